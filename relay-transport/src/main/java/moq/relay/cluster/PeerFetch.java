package moq.relay.cluster;

import java.util.List;
import java.util.concurrent.CompletionException;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.client.FetchListener;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamFetch;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Draft;

/**
 * The engine's upstream FETCH ({@link UpstreamFetch}) at a peer relay: a standalone FETCH of the same range on the
 * {@link PeerLink}'s session, whose FETCH_OK or error, objects, End of Range markers and end are handed to the engine.
 * The engine's cancel becomes the client's fetch cancel (at once, or when the FETCH_OK names the request).
 * ByteBuf ownership: the client owns each payload during {@link #onObject}; the engine copies it in the call.
 */
final class PeerFetch implements FetchListener
{
    /** Publisher priority of an object whose stream inherits the track's default (not stated on the stream). */
    private static final int DEFAULT_PRIORITY = 128;

    private final UpstreamFetch fetch;
    private final PeerLink link;
    /** This fetch's use of the link, given back once it is answered with an error, ends or is cancelled. */
    private final PeerLink.Use use;
    private final UnsafeBuffer properties = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private MoqClient client;
    private long requestId = -1;
    private boolean stopped;

    PeerFetch(final UpstreamFetch fetch, final PeerLink.Use use)
    {
        this.fetch = fetch;
        this.use = use;
        this.link = use.link();
    }

    /** Sends the FETCH (asynchronously: the engine's lock is held by the caller). */
    void start()
    {
        fetch.onCancel(this::cancel);
        link.client()
            .thenCompose(c ->
            {
                synchronized (this)
                {
                    client = c;
                }
                return c.fetch(fetch.track().namespace(), fetch.track().name(), fetch.start(), fetch.end(), this);
            })
            .whenCompleteAsync((ok, failure) -> // never inline: the engine's lock may be held
            {
                if (failure == null)
                {
                    final boolean cancelNow;
                    synchronized (this)
                    {
                        requestId = ok.requestId();
                        cancelNow = stopped;
                    }
                    if (cancelNow)
                    {
                        client.cancelFetch(ok.requestId());
                        return;
                    }
                    fetch.accept(ok.endOfTrack(), ok.endLocation(), List.of());
                    return;
                }
                use.release();
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
                    failure.getCause() : failure;
                if (cause instanceof RequestRejectedException r)
                {
                    fetch.reject(UpstreamTrack.errorCode(r.errorCode()), "peer relay " + link.peer() + ": " +
                        r.getMessage());
                }
                else
                {
                    fetch.reject(RequestErrorCode.INTERNAL_ERROR, "peer relay " + link.peer() + ": " + cause);
                }
            }, link.scheduler());
    }

    private void cancel()
    {
        final MoqClient c;
        final long id;
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
            c = client;
            id = requestId;
        }
        use.release();
        if (c != null && id != -1)
        {
            c.cancelFetch(id);
        }
    }

    @Override
    public void onObject(final ReceivedObject o)
    {
        final byte[] props = o.properties();
        properties.wrap(props);
        final io.netty.buffer.ByteBuf p = o.payload();
        final int n = p.readableBytes();
        if (p.hasMemoryAddress())
        {
            payload.wrap(p.memoryAddress() + p.readerIndex(), n);
        }
        else
        {
            payload.wrap(io.netty.buffer.ByteBufUtil.getBytes(p, p.readerIndex(), n, false));
        }
        final int priority = o.publisherPriority() < 0 ? DEFAULT_PRIORITY : o.publisherPriority();
        // A draft-14 link's objects carry Extension Headers: stored flagged, converted for subscribers of 18 and 20.
        if (!fetch.object(o.groupId(), o.subgroupId(), o.datagram(), o.objectId(), priority, (int)o.status(),
            properties, 0, props.length, payload, 0, n, link.peer().draft() == Draft.DRAFT_14))
        {
            cancel();
        }
    }

    @Override
    public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
        fetch.endOfRange(groupId, objectId, unknown);
    }

    @Override
    public void onComplete()
    {
        use.release();
        fetch.complete();
    }

    @Override
    public void onAborted(final String why)
    {
        use.release();
        fetch.reset(StreamResetCode.INTERNAL_ERROR);
    }
}
