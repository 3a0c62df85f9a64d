package moq.relay.session;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

import moq.relay.wire.WireException;

/**
 * The requests a draft-14 relay session sends on its own (SUBSCRIBE upstream, SUBSCRIBE_UPDATE, PUBLISH_NAMESPACE for
 * a SUBSCRIBE_NAMESPACE), each given the next request id of the server's (odd) sequence as the peer's MAX_REQUEST_ID
 * allows (draft-14 §"MAX_REQUEST_ID"). A request that finds no id free waits in order; the peer hears REQUESTS_BLOCKED
 * once per limit. Bounded: beyond {@code maxWaiting} a request is refused. Event-loop confined, like the session.
 */
final class OwnRequests
{
    /** A request of the relay's own, sent once an id is free. */
    interface Request
    {
        /** True if the request is no longer wanted by the time its id comes (it is then skipped). */
        boolean obsolete();

        void send(long requestId);
    }

    private final int maxWaiting;
    /** Tells the peer the relay is blocked at this MAX_REQUEST_ID (REQUESTS_BLOCKED). */
    private final LongConsumer blockedAt;
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean open;
    private long peerMax;
    private long next = 1;
    private long blockedReportedAt = -1;

    OwnRequests(final int maxWaiting, final LongConsumer blockedAt)
    {
        this.maxWaiting = maxWaiting;
        this.blockedAt = blockedAt;
    }

    /** The peer's CLIENT_SETUP granted {@code maxRequestId}: requests may go out from now on. */
    void open(final long maxRequestId)
    {
        open = true;
        peerMax = maxRequestId;
        release();
    }

    /** The peer's MAX_REQUEST_ID. */
    void maxRequestId(final long maxRequestId) throws WireException
    {
        if (maxRequestId < peerMax)
        {
            throw WireException.protocolViolation("MAX_REQUEST_ID decreased");
        }
        peerMax = maxRequestId;
        release();
    }

    /**
     * Sends {@code r} now if an id is free, else queues it.
     *
     * @return false if {@code maxWaiting} requests already wait: {@code r} is dropped.
     */
    boolean submit(final Request r)
    {
        if (waiting.size() >= maxWaiting)
        {
            return false;
        }
        waiting.add(r);
        release();
        return true;
    }

    private void release()
    {
        while (!waiting.isEmpty() && open && next < peerMax)
        {
            final Request r = waiting.poll();
            if (r.obsolete())
            {
                continue;
            }
            final long id = next;
            next += 2;
            r.send(id);
        }
        if (!waiting.isEmpty() && open && blockedReportedAt != peerMax)
        {
            blockedReportedAt = peerMax;
            blockedAt.accept(peerMax);
        }
    }
}
