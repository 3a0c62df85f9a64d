package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.netty.util.concurrent.Promise;
import moq.relay.transport.session.WaitingOpens;

/**
 * Opens local streams of one QUIC connection only within the peer's stream credit (netty burns a stream id on a
 * {@code createStream} over the limit); the rest wait in {@link WaitingOpens} (priority order, at most
 * {@code maxPending}) until a {@code QuicStreamLimitChangedEvent} calls {@link #drain()}. Event-loop confined.
 *
 * <p>An open with credit while none of its direction waits is created at once and gets the transport's own future
 * (issue #19: the video call opens a stream per audio frame and subscriber, and queueing each through
 * {@link WaitingOpens} cost a promise, an entry, tree and map nodes and two listeners per stream).
 */
final class StreamOpenQueue
{
    private final QuicChannel connection;
    private final WaitingOpens<StreamOpenQueue> waiting;
    private int bidiInFlight;
    private int uniInFlight;
    private boolean closed;
    /** Counts a created stream out of flight (shared: no listener object per stream). */
    private final GenericFutureListener<Future<QuicStreamChannel>> bidiCreated = f -> bidiInFlight--;
    private final GenericFutureListener<Future<QuicStreamChannel>> uniCreated = f -> uniInFlight--;

    StreamOpenQueue(final QuicChannel connection, final int maxPending)
    {
        this.connection = connection;
        this.waiting = new WaitingOpens<>(maxPending);
    }

    /** Queues an open; cancelling the returned future before the stream opens withdraws the request. */
    Future<QuicStreamChannel> open(final QuicStreamType type, final ChannelHandler handler, final int rank)
    {
        if (!closed && waiting.isEmpty(type) && credit(type) > 0 && connection.eventLoop().inEventLoop())
        {
            return createNow(type, handler);
        }
        final Promise<QuicStreamChannel> promise = connection.eventLoop().newPromise();
        if (closed)
        {
            return promise.setFailure(new IllegalStateException("session closed"));
        }
        waiting.add(this, type, rank, handler, promise);
        drain(type);
        return promise;
    }

    /** Opens waiting now (tests, diagnostics). */
    int waiting()
    {
        return waiting.waiting(this);
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
        waiting.failAll(null, new IllegalStateException("session closed"));
    }

    /** Streams of {@code type} the peer's credit allows beyond those being created. */
    private long credit(final QuicStreamType type)
    {
        return connection.peerAllowedStreams(type) -
            (type == QuicStreamType.BIDIRECTIONAL ? bidiInFlight : uniInFlight);
    }

    /**
     * Creates a stream now; its future is the transport's (on the event loop it is done on return: nothing is left
     * to cancel). One still in creation counts against the credit until done.
     */
    private Future<QuicStreamChannel> createNow(final QuicStreamType type, final ChannelHandler handler)
    {
        final Future<QuicStreamChannel> created = connection.createStream(type, handler);
        if (!created.isDone())
        {
            final boolean isBidi = type == QuicStreamType.BIDIRECTIONAL;
            if (isBidi)
            {
                bidiInFlight++;
            }
            else
            {
                uniInFlight++;
            }
            created.addListener(isBidi ? bidiCreated : uniCreated);
        }
        return created;
    }

    private void drain(final QuicStreamType type)
    {
        final boolean isBidi = type == QuicStreamType.BIDIRECTIONAL;
        while (!closed && !waiting.isEmpty(type) &&
            connection.peerAllowedStreams(type) - (isBidi ? bidiInFlight : uniInFlight) > 0)
        {
            final WaitingOpens.Open<StreamOpenQueue> r = waiting.poll(type);
            if (r == null)
            {
                return; // only cancelled opens were left: they spend no stream id
            }
            if (isBidi)
            {
                bidiInFlight++;
            }
            else
            {
                uniInFlight++;
            }
            connection.createStream(type, r.handler()).addListener(f ->
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
                    if (!r.promise().trySuccess((QuicStreamChannel)f.getNow()))
                    {
                        ((QuicStreamChannel)f.getNow()).close();
                    }
                }
                else
                {
                    r.promise().tryFailure(f.cause());
                }
            });
        }
    }
}
