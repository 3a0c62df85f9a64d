package moq.relay.transport.webtransport;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3GoAwayFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.http3.Http3Settings;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;

/**
 * A WebTransport client for tests on netty's HTTP/3 client: Extended CONNECT on a request stream, then raw QUIC
 * streams with the 0x41 / 0x54 prefix and datagrams with the quarter stream id, as browsers send them.
 */
public final class WebTransportTestClient implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel socket;
    final QuicChannel quic;
    final BlockingQueue<byte[]> datagrams = new LinkedBlockingQueue<>();
    /** Server-opened uni streams: the bytes after the 0x54 type (session id varint, then payload), at FIN. */
    final BlockingQueue<CompletableFuture<byte[]>> serverUniStreams = new LinkedBlockingQueue<>();
    public final BlockingQueue<CompletableFuture<byte[]>> serverBidiStreams = new LinkedBlockingQueue<>();
    final CompletableFuture<Long> goAway = new CompletableFuture<>();
    final CompletableFuture<Http3SettingsFrame> serverSettings = new CompletableFuture<>();
    final CompletableFuture<QuicConnectionCloseEvent> connectionClose = new CompletableFuture<>();

    public WebTransportTestClient(final X509Certificate trusted, final InetSocketAddress server) throws Exception
    {
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
            .handler(Http3.newQuicClientCodecBuilder()
                .sslContext(QuicSslContextBuilder.forClient().trustManager(trusted)
                    .endpointIdentificationAlgorithm(null).applicationProtocols("h3").build())
                .maxIdleTimeout(10_000, TimeUnit.MILLISECONDS)
                .initialMaxData(1 << 20)
                .initialMaxStreamDataBidirectionalLocal(1 << 16)
                .initialMaxStreamDataBidirectionalRemote(1 << 16)
                .initialMaxStreamDataUnidirectional(1 << 16)
                .initialMaxStreamsBidirectional(20)
                .initialMaxStreamsUnidirectional(20)
                .datagram(64, 64)
                .build())
            .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        final Http3Settings settings = new Http3Settings((id, v) -> true).enableH3Datagram(true);
        settings.put(WebTransportHttp3Settings.ENABLE_WEBTRANSPORT_DRAFT02, 1L);
        final ChannelInboundHandlerAdapter tail = new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (msg instanceof ByteBuf)
                {
                    final ByteBuf buf = (ByteBuf)msg;
                    final byte[] bytes = new byte[buf.readableBytes()];
                    buf.readBytes(bytes);
                    buf.release();
                    datagrams.add(bytes);
                    return;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
            {
                if (evt instanceof QuicConnectionCloseEvent)
                {
                    connectionClose.complete((QuicConnectionCloseEvent)evt);
                }
                ctx.fireUserEventTriggered(evt);
            }
        };
        final ChannelHandlerContext[] tailContext = new ChannelHandlerContext[1];
        final ChannelInboundHandlerAdapter serverBidiCapture = new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (msg instanceof QuicStreamChannel && ((QuicStreamChannel)msg).type() == QuicStreamType.BIDIRECTIONAL)
                {
                    // netty's HTTP/3 client refuses server-opened bidi streams: skip it, straight to the pipeline tail.
                    final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
                    serverBidiStreams.add(bytes);
                    ((QuicStreamChannel)msg).pipeline().addLast(new Collector(bytes));
                    tailContext[0].fireChannelRead(msg);
                    return;
                }
                ctx.fireChannelRead(msg);
            }
        };
        quic = QuicChannel.newBootstrap(socket)
            .handler(new ChannelInboundHandlerAdapter()
            {
                @Override
                public void handlerAdded(final ChannelHandlerContext ctx)
                {
                    ctx.pipeline().addLast(serverBidiCapture, new Http3ClientConnectionHandler(
                        new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext c, final Object msg)
                            {
                                if (msg instanceof Http3SettingsFrame)
                                {
                                    serverSettings.complete((Http3SettingsFrame)msg);
                                }
                                else if (msg instanceof Http3GoAwayFrame)
                                {
                                    goAway.complete(((Http3GoAwayFrame)msg).id());
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        },
                        null,
                        type ->
                        {
                            final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
                            if (type == 0x54)
                            {
                                serverUniStreams.add(bytes);
                            }
                            return new Collector(bytes);
                        },
                        new DefaultHttp3SettingsFrame(settings), true, (id, v) -> true), tail);
                    tailContext[0] = ctx.pipeline().context(tail);
                    ctx.pipeline().remove(this);
                }
            })
            .remoteAddress(server)
            .connect().get(5, TimeUnit.SECONDS);
    }

    /** A CONNECT request stream: the response and the capsule bytes the server sends on it. */
    public static final class Session
    {
        QuicStreamChannel stream;
        final CompletableFuture<Http3Headers> response = new CompletableFuture<>();
        final ByteBuf capsules = Unpooled.buffer();
        final CompletableFuture<Void> fin = new CompletableFuture<>();
        final CompletableFuture<Throwable> reset = new CompletableFuture<>();

        long id()
        {
            return stream.streamId();
        }

        public synchronized byte[] capsuleBytes()
        {
            final byte[] bytes = new byte[capsules.readableBytes()];
            capsules.getBytes(capsules.readerIndex(), bytes);
            return bytes;
        }

        public String status() throws Exception
        {
            return response.get(5, TimeUnit.SECONDS).status().toString();
        }

        public String header(final String name) throws Exception
        {
            final CharSequence value = response.get(5, TimeUnit.SECONDS).get(name);
            return value == null ? null : value.toString();
        }
    }

    /** Creates a request stream without sending anything yet (its id is allocated). */
    Session newSessionStream() throws Exception
    {
        final Session session = new Session();
        session.stream = Http3.newRequestStream(quic, new Http3RequestStreamInboundHandler()
        {
            @Override
            protected void channelRead(final ChannelHandlerContext ctx, final Http3HeadersFrame frame)
            {
                session.response.complete(frame.headers());
            }

            @Override
            protected void channelRead(final ChannelHandlerContext ctx, final Http3DataFrame frame)
            {
                synchronized (session)
                {
                    session.capsules.writeBytes(frame.content());
                }
                frame.release();
            }

            @Override
            protected void channelInputClosed(final ChannelHandlerContext ctx)
            {
                session.fin.complete(null);
            }

            @Override
            public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
            {
                session.reset.complete(cause);
            }
        }).get(5, TimeUnit.SECONDS);
        return session;
    }

    void sendConnect(final Session session, final String path, final String origin, final String availableProtocols)
        throws Exception
    {
        final Http3Headers headers = new DefaultHttp3Headers()
            .method("CONNECT").protocol("webtransport").scheme("https").authority("localhost").path(path);
        headers.set("sec-webtransport-http3-draft02", "1");
        if (origin != null)
        {
            headers.set("origin", origin);
        }
        if (availableProtocols != null)
        {
            headers.set("wt-available-protocols", availableProtocols);
        }
        session.stream.writeAndFlush(new DefaultHttp3HeadersFrame(headers)).sync();
    }

    public Session connect(final String path, final String origin, final String availableProtocols) throws Exception
    {
        final Session session = newSessionStream();
        sendConnect(session, path, origin, availableProtocols);
        return session;
    }

    /** Writes capsule bytes in a DATA frame on the CONNECT stream, optionally with FIN. */
    void sendCapsule(final Session session, final ByteBuf capsule, final boolean fin) throws Exception
    {
        session.stream.writeAndFlush(new DefaultHttp3DataFrame(capsule)).sync();
        if (fin)
        {
            session.stream.shutdownOutput().sync();
        }
    }

    /** Opens a WebTransport bidi stream (0x41, session id, payload) and sends FIN; the future gets the answer. */
    CompletableFuture<byte[]> bidi(final long sessionId, final String payload) throws Exception
    {
        return bidiRaw(header(0x41, sessionId), payload);
    }

    CompletableFuture<byte[]> bidiRaw(final ByteBuf header, final String payload) throws Exception
    {
        return bidiRaw(header, payload, true);
    }

    /** As {@link #bidi} but leaves the stream open (no FIN), so the server never answers it. */
    CompletableFuture<byte[]> bidiOpen(final long sessionId, final String payload) throws Exception
    {
        return bidiRaw(header(0x41, sessionId), payload, false);
    }

    private CompletableFuture<byte[]> bidiRaw(final ByteBuf header, final String payload, final boolean fin)
        throws Exception
    {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        final QuicStreamChannel stream = quic.createStream(QuicStreamType.BIDIRECTIONAL, new Collector(answer))
            .get(5, TimeUnit.SECONDS);
        stream.write(header);
        final var write = stream.writeAndFlush(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
        if (fin)
        {
            write.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
        return answer;
    }

    void uni(final long sessionId, final String payload) throws Exception
    {
        final QuicStreamChannel stream = quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        stream.write(header(0x54, sessionId));
        stream.writeAndFlush(Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8))
            .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    }

    void datagram(final long sessionId, final String payload)
    {
        final ByteBuf datagram = Unpooled.directBuffer();
        WtVarint.write(datagram, sessionId >>> 2);
        datagram.writeCharSequence(payload, StandardCharsets.UTF_8);
        quic.writeAndFlush(datagram);
    }

    static ByteBuf header(final long type, final long sessionId)
    {
        final ByteBuf header = Unpooled.buffer();
        WtVarint.write(header, type);
        WtVarint.write(header, sessionId);
        return header;
    }

    @Override
    public void close()
    {
        quic.close();
        socket.close().awaitUninterruptibly(2_000);
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
    }

    /** Collects a stream's bytes; completes at FIN, exceptionally on reset or close before FIN. */
    static final class Collector extends ChannelInboundHandlerAdapter
    {
        private final CompletableFuture<byte[]> result;
        private final ByteBuf bytes = Unpooled.buffer();

        Collector(final CompletableFuture<byte[]> result)
        {
            this.result = result;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf buf = (ByteBuf)msg;
            bytes.writeBytes(buf);
            buf.release();
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                final byte[] all = new byte[bytes.readableBytes()];
                bytes.readBytes(all);
                result.complete(all);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            result.completeExceptionally(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            result.completeExceptionally(new IllegalStateException("stream closed before FIN"));
            ctx.fireChannelInactive();
        }
    }

    /** The reset code of a stream that failed with RESET_STREAM, else -1. */
    static long resetCode(final Throwable failure)
    {
        Throwable t = failure;
        while (t != null)
        {
            if (t instanceof QuicStreamResetException)
            {
                return ((QuicStreamResetException)t).applicationProtocolCode();
            }
            t = t.getCause();
        }
        return -1;
    }
}
