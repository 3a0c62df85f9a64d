package moq.relay.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The client side of one WebTransport session over HTTP/3 (draft-ietf-webtrans-http3), as a browser opens it: netty's
 * HTTP/3 client, an extended CONNECT ({@code :protocol webtransport}) on a path, optionally offering application
 * protocols in {@code wt-available-protocols} and reading the {@code wt-protocol} answered; then WebTransport streams
 * opened with their prefix ({@code 0x41} bidi, {@code 0x54} uni, then the session id), the peer's uni streams handed on after
 * their session id (and, for a client that is asked, the peer's bidi streams after their prefix), and the session's
 * datagrams. Shared by the warm-up's WebTransport clients ({@link WebTransportSubscriber}: MoQT draft 14;
 * {@link LiteWebTransportSubscriber}: moq-lite; {@link LiteClient#connectWebTransport}: a moq-lite publisher).
 *
 * <p>Buffer ownership: what the handlers given here are passed is theirs to release; everything else read is
 * released here.
 */
final class WebTransportClientConnection
{
    /** Draft-02 SETTINGS_ENABLE_WEBTRANSPORT: the relay requires it (and H3_DATAGRAM) of a WebTransport client. */
    private static final long ENABLE_WEBTRANSPORT_DRAFT02 = 0x2b603742L;
    /** WebTransport stream types (draft-ietf-webtrans-http3 4.1, 4.2). */
    private static final long WT_BIDI = 0x41;
    private static final long WT_UNI = 0x54;
    private static final long INITIAL_MAX_DATA = 64L << 20;
    private static final long INITIAL_MAX_STREAM_DATA = 16L << 20;

    private final Channel socket;
    private final QuicChannel quic;
    private final QuicStreamChannel connect;
    private final String protocol;

    private WebTransportClientConnection(final Channel socket, final QuicChannel quic,
        final QuicStreamChannel connect, final String protocol)
    {
        this.socket = socket;
        this.quic = quic;
        this.connect = connect;
        this.protocol = protocol;
    }

    /**
     * Connects to {@code host:port} on one event loop of {@code group} (the caller's) and opens a WebTransport session
     * on {@code path}, offering {@code protocols} (none: no {@code wt-available-protocols}); blocks up to
     * {@code timeoutNanos}. Each uni stream the peer opens gets a handler of {@code uniStreams} behind the session id;
     * datagrams go to {@code datagrams} (a {@link ByteBuf} each, quarter stream id first; null: dropped), which must
     * pass every other message on (the streams the peer opens, which the connection's pipeline then registers). Streams the peer opens
     * both ways (moq-lite's Announce Stream) are read and dropped, never answered. On failure everything opened is
     * closed again.
     */
    static WebTransportClientConnection open(final String host, final int port, final String path,
        final List<String> protocols, final ClientTrust trust, final EventLoopGroup group,
        final Supplier<ChannelHandler> uniStreams, final ChannelHandler datagrams, final long timeoutNanos)
        throws Exception
    {
        return open(host, port, path, protocols, trust, group, uniStreams, null, datagrams, timeoutNanos);
    }

    /**
     * As above, and each WebTransport bidi stream the peer opens gets a handler of {@code bidiStreams} behind its
     * signal value and session id (null: read and dropped): a publishing client's way to be asked (moq-lite's
     * Announce and Subscribe Streams).
     */
    static WebTransportClientConnection open(final String host, final int port, final String path,
        final List<String> protocols, final ClientTrust trust, final EventLoopGroup group,
        final Supplier<ChannelHandler> uniStreams, final Supplier<ChannelHandler> bidiStreams,
        final ChannelHandler datagrams, final long timeoutNanos) throws Exception
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        final Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
            .handler(Http3.newQuicClientCodecBuilder()
                .sslContext(trust.sslContext("h3"))
                .maxIdleTimeout(30_000, TimeUnit.MILLISECONDS)
                .initialMaxData(INITIAL_MAX_DATA)
                .initialMaxStreamDataBidirectionalLocal(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamDataBidirectionalRemote(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamsBidirectional(100)
                .initialMaxStreamsUnidirectional(10_000)
                .datagram(1024, 1024)
                .build())
            .bind(new InetSocketAddress(host, 0)).sync().channel();
        QuicChannel quic = null;
        try
        {
            final Http3Settings settings = new Http3Settings((id, v) -> true).enableH3Datagram(true);
            settings.put(ENABLE_WEBTRANSPORT_DRAFT02, 1L);
            quic = QuicChannel.newBootstrap(socket)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void handlerAdded(final ChannelHandlerContext ctx)
                    {
                        ctx.pipeline().addLast(new ConnectionHandler(settings,
                            type -> type == WT_UNI ? new PrefixSkip(1, uniStreams.get()) : new Discard(),
                            bidiStreams), datagrams == null ? new DropDatagrams() : datagrams);
                        ctx.pipeline().remove(this);
                    }
                })
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    left(deadline))))
                .remoteAddress(new InetSocketAddress(host, port))
                .connect().get(left(deadline), TimeUnit.NANOSECONDS);

            final CompletableFuture<Http3Headers> response = new CompletableFuture<>();
            final QuicStreamChannel connect = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler()
            {
                @Override
                protected void channelRead(final ChannelHandlerContext ctx, final Http3HeadersFrame frame)
                {
                    response.complete(frame.headers());
                }

                @Override
                protected void channelRead(final ChannelHandlerContext ctx, final Http3DataFrame frame)
                {
                    frame.release(); // capsules: none these clients need
                }

                @Override
                protected void channelInputClosed(final ChannelHandlerContext ctx)
                {
                    response.completeExceptionally(new IllegalStateException("CONNECT stream closed"));
                }
            }).get(left(deadline), TimeUnit.NANOSECONDS);
            final Http3Headers headers = new DefaultHttp3Headers()
                .method("CONNECT").protocol("webtransport").scheme("https").authority(host).path(path);
            headers.set("sec-webtransport-http3-draft02", "1");
            if (!protocols.isEmpty())
            {
                // A Structured Fields List of Strings, as @moq/net sends it.
                headers.set("wt-available-protocols",
                    protocols.stream().map(p -> '"' + p + '"').collect(Collectors.joining(", ")));
            }
            connect.writeAndFlush(new DefaultHttp3HeadersFrame(headers));
            final Http3Headers answer = response.get(left(deadline), TimeUnit.NANOSECONDS);
            final CharSequence status = answer.status();
            if (status == null || !"200".contentEquals(status))
            {
                throw new IllegalStateException("CONNECT answered " + status);
            }
            final CharSequence chosen = answer.get("wt-protocol");
            return new WebTransportClientConnection(socket, quic, connect,
                chosen == null ? null : chosen.toString().replace("\"", "").trim());
        }
        catch (final Exception | Error e)
        {
            if (quic != null)
            {
                quic.close();
            }
            socket.close();
            throw e;
        }
    }

    /** The {@code wt-protocol} the server answered (unquoted), or null when it answered none. */
    String protocol()
    {
        return protocol;
    }

    /**
     * Opens a WebTransport bidi stream read by {@code handler}; completes once its prefix is written (not flushed: the
     * caller's first write flushes it). Thread-safe.
     */
    CompletableFuture<QuicStreamChannel> openBidi(final ChannelHandler handler)
    {
        final CompletableFuture<QuicStreamChannel> opened = new CompletableFuture<>();
        openStream(QuicStreamType.BIDIRECTIONAL, handler).addListener(f ->
        {
            if (f.isSuccess())
            {
                opened.complete((QuicStreamChannel)f.getNow());
            }
            else
            {
                opened.completeExceptionally(f.cause());
            }
        });
        return opened;
    }

    /**
     * Opens a WebTransport stream of {@code type} ({@code handler} in its pipeline); succeeds once its prefix (signal
     * value {@code 0x41} or stream type {@code 0x54}, then the session id) is written, not flushed: the caller's first
     * write flushes it, and writes made in this future's listeners follow the prefix. Thread-safe.
     */
    Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler)
    {
        final Promise<QuicStreamChannel> opened = quic.eventLoop().newPromise();
        quic.createStream(type, handler).addListener(f ->
        {
            if (!f.isSuccess())
            {
                opened.tryFailure(f.cause());
                return;
            }
            final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
            final ByteBuf prefix = Unpooled.buffer(16);
            writeVarint(prefix, type == QuicStreamType.BIDIRECTIONAL ? WT_BIDI : WT_UNI);
            writeVarint(prefix, connect.streamId());
            stream.write(prefix);
            opened.trySuccess(stream);
        });
        return opened;
    }

    /** The QUIC connection the session runs on. */
    QuicChannel quic()
    {
        return quic;
    }

    /** The UDP socket the QUIC connection runs on (closed by {@link #close()}). */
    Channel socket()
    {
        return socket;
    }

    /** Closes the QUIC connection (no WebTransport close capsule: the whole connection goes) and the socket. */
    void close()
    {
        connect.close();
        quic.close();
        socket.close();
    }

    private static long left(final long deadline)
    {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** A QUIC variable-length integer (RFC 9000 16), in the shortest form. */
    private static void writeVarint(final ByteBuf out, final long value)
    {
        if (value < 1L << 6)
        {
            out.writeByte((int)value);
        }
        else if (value < 1L << 14)
        {
            out.writeShort((int)value | 0x4000);
        }
        else if (value < 1L << 30)
        {
            out.writeInt((int)value | 0x8000_0000);
        }
        else
        {
            out.writeLong(value | 0xC000_0000_0000_0000L);
        }
    }

    /**
     * netty's HTTP/3 client, except that a stream the server opens both ways is a WebTransport stream (the relay's
     * moq-lite sessions open an Announce Stream to every peer), read and dropped, not a connection error.
     */
    private static final class ConnectionHandler extends Http3ClientConnectionHandler
    {
        /** Handlers of the peer's WebTransport bidi streams, behind their prefix; null: all dropped. */
        private final Supplier<ChannelHandler> bidiStreams;

        ConnectionHandler(final Http3Settings settings,
            final java.util.function.LongFunction<ChannelHandler> unknownUniStreams,
            final Supplier<ChannelHandler> bidiStreams)
        {
            super(new Discard(), null, unknownUniStreams, new DefaultHttp3SettingsFrame(settings), true,
                (id, v) -> true);
            this.bidiStreams = bidiStreams;
        }

        @Override
        protected void initBidirectionalStream(final ChannelHandlerContext ctx, final QuicStreamChannel stream)
        {
            // No HTTP/3 framing here: the stream's first bytes are WebTransport's signal value and session id.
            stream.pipeline().addLast(bidiStreams == null ? new Discard() : new PrefixSkip(2, bidiStreams.get()));
        }
    }

    /** Releases what it reads. */
    private static final class Discard extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Releases the connection's datagrams, passing the rest (the peer's new streams) on. */
    private static final class DropDatagrams extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof ByteBuf)
            {
                ((ByteBuf)msg).release();
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * First handler of a peer's WebTransport stream: skips its prefix, {@code varints} QUIC varints (a uni stream,
     * whose 0x54 type netty's HTTP/3 layer read: the session id; a bidi stream: the 0x41 signal value and the session
     * id), then hands the rest of the stream to the handler behind it.
     */
    private static final class PrefixSkip extends ChannelInboundHandlerAdapter
    {
        private final ChannelHandler next;
        /** Varints still to skip, the current one included. */
        private int varints;
        /** Bytes of the current varint still to skip; -1 before its first byte. */
        private int left = -1;

        PrefixSkip(final int varints, final ChannelHandler next)
        {
            this.varints = varints;
            this.next = next;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            ctx.pipeline().addAfter(ctx.name(), null, next);
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            while (varints > 0 && buf.isReadable())
            {
                if (left < 0)
                {
                    left = 1 << ((buf.getByte(buf.readerIndex()) & 0xFF) >> 6);
                }
                final int skip = Math.min(left, buf.readableBytes());
                buf.skipBytes(skip);
                left -= skip;
                if (left == 0)
                {
                    varints--;
                    left = -1;
                }
            }
            if (varints == 0)
            {
                ctx.pipeline().remove(this);
            }
            if (buf.isReadable())
            {
                ctx.fireChannelRead(buf);
            }
            else
            {
                buf.release();
            }
        }
    }
}
