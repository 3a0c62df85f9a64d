package moq.relay.client;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens local streams only when the peer has granted credit (MAX_STREAMS), queueing the rest in order until a
 * {@code QuicStreamLimitChangedEvent} brings more. netty burns a stream id on a {@code createStream} over the limit,
 * permanently costing one credit, so nothing here calls it without credit. Event-loop confined.
 */
final class StreamOpener
{
    private static final Logger LOG = LoggerFactory.getLogger(StreamOpener.class);

    private final QuicChannel connection;
    private final ArrayDeque<Request> bidi = new ArrayDeque<>();
    private final ArrayDeque<Request> uni = new ArrayDeque<>();
    private int bidiInFlight;
    private int uniInFlight;
    private boolean closed;

    StreamOpener(final QuicChannel connection)
    {
        this.connection = connection;
    }

    /**
     * Opens a stream with {@code handler} in its pipeline and calls {@code onOpen} with it (on the event loop), now
     * or once credit arrives. {@code onOpen} receives null if the stream cannot be opened (session closing).
     */
    void open(final QuicStreamType type, final ChannelHandler handler, final Consumer<QuicStreamChannel> onOpen)
    {
        queue(type).add(new Request(type, handler, onOpen));
        drain();
    }

    /** More credit may have arrived. */
    void drain()
    {
        drain(QuicStreamType.BIDIRECTIONAL);
        drain(QuicStreamType.UNIDIRECTIONAL);
    }

    int queued()
    {
        return bidi.size() + uni.size();
    }

    void close()
    {
        closed = true;
        for (final ArrayDeque<Request> q : new ArrayDeque[] {bidi, uni})
        {
            Request r;
            while ((r = q.poll()) != null)
            {
                r.onOpen.accept(null);
            }
        }
    }

    private void drain(final QuicStreamType type)
    {
        final ArrayDeque<Request> q = queue(type);
        while (!closed && !q.isEmpty() && connection.peerAllowedStreams(type) - inFlight(type) > 0)
        {
            final Request r = q.poll();
            addInFlight(type, 1);
            final Future<QuicStreamChannel> f = connection.createStream(type, r.handler);
            f.addListener(done ->
            {
                addInFlight(type, -1);
                if (f.isSuccess())
                {
                    r.onOpen.accept(f.getNow());
                }
                else
                {
                    LOG.debug("cannot open a {} stream: {}", type, f.cause().toString());
                    r.onOpen.accept(null);
                }
            });
        }
    }

    private ArrayDeque<Request> queue(final QuicStreamType type)
    {
        return type == QuicStreamType.BIDIRECTIONAL ? bidi : uni;
    }

    private int inFlight(final QuicStreamType type)
    {
        return type == QuicStreamType.BIDIRECTIONAL ? bidiInFlight : uniInFlight;
    }

    private void addInFlight(final QuicStreamType type, final int delta)
    {
        if (type == QuicStreamType.BIDIRECTIONAL)
        {
            bidiInFlight += delta;
        }
        else
        {
            uniInFlight += delta;
        }
    }

    private record Request(QuicStreamType type, ChannelHandler handler, Consumer<QuicStreamChannel> onOpen)
    {
    }
}
