package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.StreamDecoder;
import moq.relay.wire.lite.LiteCodec;
import moq.relay.wire.lite.LiteControlStreamDecoder;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteLimits;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import org.agrona.DirectBuffer;

/**
 * A minimal moq-lite subscriber over WebTransport, as the browser call page's default path ({@code @moq/net}) speaks
 * it: a WebTransport session ({@link WebTransportClientConnection}) offering the moq-lite versions in
 * {@code wt-available-protocols}, the version the relay answers in {@code wt-protocol}; then one Subscribe Stream per
 * track (a WebTransport bidi stream: SUBSCRIBE, answered by SUBSCRIBE_OK or lite-05's SUBSCRIBE_START) and the relay's
 * Group Streams (WebTransport uni streams), whose frames are decoded ({@link LiteFrameDecoder}) and counted; payloads
 * are dropped. It exists so the relay's start-up warm-up runs moq-lite over WebTransport; it publishes nothing and
 * sends no SETUP (the relay reads none over WebTransport without authorization), and the Announce Stream the relay
 * opens to it is read and dropped.
 *
 * <p>Everything runs on the connection's event loop; the counters are written only there (one writer, so a volatile
 * increment is safe) and may be read from any thread. Buffer ownership: every buffer read is released here before
 * the read returns; nothing is kept.
 */
public final class LiteWebTransportSubscriber implements AutoCloseable
{
    private final WebTransportClientConnection connection;
    private final LiteVersion version;
    private final LiteCodec codec;
    private final AtomicLong nextSubscribeId = new AtomicLong();
    private volatile long frames;
    private volatile long bytes;

    private LiteWebTransportSubscriber(final WebTransportClientConnection connection, final LiteVersion version)
    {
        this.connection = connection;
        this.version = version;
        this.codec = LiteCodec.of(version);
    }

    /**
     * Connects to {@code host:port} on one event loop of {@code group} (the caller's, shut down by the caller) and
     * opens a WebTransport session on {@code path} offering {@code offered} (most preferred first); blocks up to
     * {@code timeoutNanos}. Fails when the relay answers no moq-lite version; on failure everything opened is closed
     * again.
     */
    public static LiteWebTransportSubscriber connect(final String host, final int port, final String path,
        final List<LiteVersion> offered, final ClientTrust trust, final EventLoopGroup group,
        final long timeoutNanos) throws Exception
    {
        final Holder holder = new Holder();
        final WebTransportClientConnection connection = WebTransportClientConnection.open(host, port, path,
            offered.stream().map(LiteVersion::alpn).toList(), trust, group, () -> new GroupCounter(holder),
            null, timeoutNanos);
        try
        {
            final LiteVersion version = LiteVersion.ofAlpn(String.valueOf(connection.protocol()));
            if (version == null || !offered.contains(version))
            {
                throw new IllegalStateException("wt-protocol answered " + connection.protocol());
            }
            final LiteWebTransportSubscriber client = new LiteWebTransportSubscriber(connection, version);
            holder.client = client;
            return client;
        }
        catch (final RuntimeException | Error e)
        {
            connection.close();
            throw e;
        }
    }

    /** The moq-lite version the relay chose. */
    public LiteVersion version()
    {
        return version;
    }

    /**
     * Subscribes to {@code track} of {@code broadcast} from its latest group. Completes on the publisher's answer
     * (SUBSCRIBE_OK, or lite-05's SUBSCRIBE_START); fails with
     * {@link RequestRejectedException} when the relay resets the Subscribe Stream (e.g. a broadcast it does not know
     * yet), or when the stream ends unanswered. Thread-safe.
     */
    public CompletableFuture<Void> subscribe(final String broadcast, final String track, final int priority)
    {
        final long id = nextSubscribeId.getAndIncrement();
        final SubscribeReader reader = new SubscribeReader(version);
        final byte[] body = codec.encode(new Subscribe(id, broadcast, track, priority, true, 0, 0, 0));
        connection.openBidi(reader).whenComplete((stream, failure) ->
        {
            if (failure != null)
            {
                reader.accepted.completeExceptionally(failure);
                return;
            }
            stream.writeAndFlush(Unpooled.buffer(1 + body.length).writeByte(LiteStreamType.SUBSCRIBE)
                .writeBytes(body));
        });
        return reader.accepted;
    }

    /** Frames with a payload received on Group Streams. */
    public long frames()
    {
        return frames;
    }

    /** Payload bytes received. */
    public long bytes()
    {
        return bytes;
    }

    /** Closes the QUIC connection and the socket. */
    @Override
    public void close()
    {
        connection.close();
    }

    /** The client, once created: the stream handlers are made before it exists. */
    private static final class Holder
    {
        volatile LiteWebTransportSubscriber client;
    }

    /** Feeds a stream's bytes to a decoder, releasing them; a malformed stream is closed (no client's business). */
    private abstract static class DecodingReader extends ChannelInboundHandlerAdapter
    {
        private final ByteBufChunks chunks = new ByteBufChunks(0);
        private boolean failed;

        /** The decoder of the stream's bytes, or null to drop them. */
        abstract StreamDecoder decoder();

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            try
            {
                final StreamDecoder decoder = decoder();
                if (!failed && decoder != null)
                {
                    chunks.feed(buf, decoder);
                }
            }
            catch (final WireException e)
            {
                failed = true;
                ctx.close();
            }
            finally
            {
                buf.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                ctx.close(); // done at the peer's FIN
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            final StreamDecoder decoder = decoder();
            if (decoder != null)
            {
                decoder.close();
            }
            ctx.fireChannelInactive();
        }
    }

    /** A Subscribe Stream's replies: the first answer completes {@link #accepted}, a reset fails it. */
    private static final class SubscribeReader extends DecodingReader implements LiteMessageSink
    {
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        private final LiteControlStreamDecoder decoder;

        SubscribeReader(final LiteVersion version)
        {
            this.decoder = new LiteControlStreamDecoder(version, LiteStreamSide.SUBSCRIBE_REPLY, this,
                LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, BufferBudget.UNBOUNDED);
        }

        @Override
        StreamDecoder decoder()
        {
            return decoder;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            LiteClient.answered(message, accepted);
        }

        @Override
        public void onEnd()
        {
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            accepted.completeExceptionally(LiteClient.subscribeFailure(cause));
            ctx.close();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            accepted.completeExceptionally(new IllegalStateException("Subscribe Stream ended unanswered"));
            super.channelInactive(ctx);
        }
    }

    /**
     * One of the relay's WebTransport uni streams, after its session id: a Group Stream (type 0x0) has its frames
     * counted; any other (lite-05's SETUP) is dropped.
     */
    private static final class GroupCounter extends DecodingReader implements LiteFrameHandler
    {
        private final Holder holder;
        private LiteFrameDecoder decoder;
        private boolean typeRead;

        GroupCounter(final Holder holder)
        {
            this.holder = holder;
        }

        @Override
        StreamDecoder decoder()
        {
            return decoder;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            final LiteWebTransportSubscriber client = holder.client;
            if (!typeRead && buf.isReadable())
            {
                typeRead = true;
                // Before the client exists no subscription does: such a stream is the relay's SETUP.
                if (client != null && buf.getByte(buf.readerIndex()) == LiteStreamType.GROUP)
                {
                    decoder = new LiteFrameDecoder(client.version, LiteFrameDecoder.Mode.GROUP, this,
                        BufferBudget.UNBOUNDED);
                }
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // a reset Group Stream (e.g. TOO_FAR_BEHIND): nothing more to count
        }

        @Override
        public void onGroup(final long subscribeId, final long sequence)
        {
        }

        @Override
        public void onFrame(final long length, final long timestamp)
        {
            if (length > 0)
            {
                holder.client.frames++;
            }
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            holder.client.bytes += length;
        }

        @Override
        public void onFrameEnd()
        {
        }

        @Override
        public void onStreamEnd()
        {
        }
    }
}
