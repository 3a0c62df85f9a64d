package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;

/**
 * Opens local streams of one QUIC connection only within the peer's stream credit (netty burns a stream id on a
 * {@code createStream} over the limit), queueing the rest in order, at most {@code maxPending}, until a
 * {@code QuicStreamLimitChangedEvent} calls {@link #drain()}. Event-loop confined.
 */
final class StreamOpenQueue
{
    private final QuicChannel connection;
    private final int maxPending;
    private final ArrayDeque<Request> bidi = new ArrayDeque<>();
    private final ArrayDeque<Request> uni = new ArrayDeque<>();
    private int bidiInFlight;
    private int uniInFlight;
    private boolean closed;

    StreamOpenQueue(final QuicChannel connection, final int maxPending)
    {
        this.connection = connection;
        this.maxPending = maxPending;
    }

    /** Queues an open; cancelling the returned future before the stream opens withdraws the request. */
    Future<QuicStreamChannel> open(final QuicStreamType type, final ChannelHandler handler)
    {
        final Promise<QuicStreamChannel> promise = connection.eventLoop().newPromise();
        if (closed)
        {
            return promise.setFailure(new IllegalStateException("session closed"));
        }
        if (bidi.size() + uni.size() >= maxPending)
        {
            purgeCancelled(bidi);
            purgeCancelled(uni);
        }
        if (bidi.size() + uni.size() >= maxPending)
        {
            return promise.setFailure(new IllegalStateException("too many streams waiting for credit: " + maxPending));
        }
        queue(type).add(new Request(handler, promise));
        drain();
        return promise;
    }

    /** Stream credit may have grown. */
    void drain()
    {
        drain(QuicStreamType.BIDIRECTIONAL);
        drain(QuicStreamType.UNIDIRECTIONAL);
    }

    void close()
    {
        closed = true;
        for (final ArrayDeque<Request> q : java.util.List.of(bidi, uni))
        {
            Request r;
            while ((r = q.poll()) != null)
            {
                r.promise.tryFailure(new IllegalStateException("session closed"));
            }
        }
    }

    private void drain(final QuicStreamType type)
    {
        final ArrayDeque<Request> q = queue(type);
        final boolean isBidi = type == QuicStreamType.BIDIRECTIONAL;
        while (!closed && !q.isEmpty() &&
            connection.peerAllowedStreams(type) - (isBidi ? bidiInFlight : uniInFlight) > 0)
        {
            final Request r = q.poll();
            if (r.promise.isDone())
            {
                continue; // cancelled while it waited (e.g. its subgroup was reset): spends no stream id
            }
            if (isBidi)
            {
                bidiInFlight++;
            }
            else
            {
                uniInFlight++;
            }
            connection.createStream(type, r.handler).addListener(f ->
            {
                if (isBidi)
                {
                    bidiInFlight--;
                }
                else
                {
                    uniInFlight--;
                }
                if (f.isSuccess())
                {
                    if (!r.promise.trySuccess((QuicStreamChannel)f.getNow()))
                    {
                        ((QuicStreamChannel)f.getNow()).close();
                    }
                }
                else
                {
                    r.promise.tryFailure(f.cause());
                }
            });
        }
    }

    private static void purgeCancelled(final ArrayDeque<Request> q)
    {
        q.removeIf(r -> r.promise.isDone());
    }

    private ArrayDeque<Request> queue(final QuicStreamType type)
    {
        return type == QuicStreamType.BIDIRECTIONAL ? bidi : uni;
    }

    private record Request(ChannelHandler handler, Promise<QuicStreamChannel> promise)
    {
    }
}
