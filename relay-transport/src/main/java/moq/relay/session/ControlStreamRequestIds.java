package moq.relay.session;

import java.util.TreeSet;
import java.util.function.LongConsumer;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

/**
 * The control-stream drafts' (14) request-id flow control of the peer's requests: even ids, ascending, below the
 * MAX_REQUEST_ID the relay granted, which it raises (MAX_REQUEST_ID) once less than a window is left. The request-stream
 * drafts bound requests by QUIC stream credit instead ({@link PeerRequestIds}). With {@link PeerQuirks#lateRequestIds()}
 * (@moq/lite) ids the peer skipped stay usable once, within the window; every other peer gets INVALID_REQUEST_ID for
 * an id below one received. Event loop.
 */
final class ControlStreamRequestIds
{
    private final int window;
    /** Sends MAX_REQUEST_ID with the new grant. */
    private final LongConsumer grant;
    private long next;
    private long granted;
    /** The ids skipped and still usable once (late request ids quirk), else null. */
    private TreeSet<Long> skipped;

    ControlStreamRequestIds(final int window, final LongConsumer grant)
    {
        this.window = window;
        this.grant = grant;
        this.granted = 2L * window;
    }

    /** The MAX_REQUEST_ID granted at SERVER_SETUP. */
    long granted()
    {
        return granted;
    }

    /** The peer may send an id it skipped later (once each, the oldest forgotten beyond the window). */
    void allowLateIds()
    {
        skipped = new TreeSet<>();
    }

    /**
     * Whether the peer's {@code requestId} (even) was never used by it: draft-14 SUBSCRIBE_UPDATE's Subscription
     * Request ID "MUST match an existing Request ID" (a session error otherwise). An id above every one received, or
     * one it skipped and has not sent late, never existed; odd ids are the relay's and not judged here.
     */
    boolean neverUsed(final long requestId)
    {
        return (requestId & 1) == 0 &&
            (Long.compareUnsigned(requestId, next) >= 0 || skipped != null && skipped.contains(requestId));
    }

    /** Checks a new peer request id (parity, order, MAX_REQUEST_ID) and extends the window. */
    void admit(final long requestId) throws WireException
    {
        if ((requestId & 1) == 0 && requestId < next && skipped != null && skipped.remove(requestId))
        {
            return; // a skipped id, arriving late (quirk above); the grant already covers it
        }
        if ((requestId & 1) != 0 || requestId < next)
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "request id " + requestId +
                ((requestId & 1) != 0 ? " is odd" : " was used or skipped back"));
        }
        if (requestId >= granted)
        {
            throw new WireException(SessionError.TOO_MANY_REQUESTS, "request id " + requestId +
                " beyond MAX_REQUEST_ID " + granted);
        }
        if (skipped != null)
        {
            for (long id = next; id < requestId; id += 2)
            {
                skipped.add(id);
            }
            while (skipped.size() > window)
            {
                skipped.pollFirst(); // bounded: the oldest skipped ids expire first
            }
        }
        next = requestId + 2;
        if (granted - next < window)
        {
            granted = next + 2L * window;
            grant.accept(granted);
        }
    }
}
