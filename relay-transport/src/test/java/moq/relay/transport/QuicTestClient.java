package moq.relay.transport;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.concurrent.Future;

/** A real netty QUIC client on its own UDP socket (NIO, 127.0.0.1), trusting only the given certificate. */
public final class QuicTestClient implements AutoCloseable
{
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel socket;
    private final long idleTimeoutMillis;
    /** Every connection made, for {@link #closeConnections()}. */
    private final java.util.List<QuicChannel> connections = new java.util.concurrent.CopyOnWriteArrayList<>();

    public QuicTestClient(final X509Certificate trusted, final long idleTimeoutMillis, final String... alpn)
        throws InterruptedException
    {
        this("127.0.0.1", trusted, idleTimeoutMillis, alpn);
    }

    /** A client whose socket is bound to {@code localHost} (another loopback address, e.g. 127.0.0.2). */
    public QuicTestClient(final String localHost, final X509Certificate trusted, final long idleTimeoutMillis,
        final String... alpn) throws InterruptedException
    {
        this(localHost, trusted, idleTimeoutMillis, 1 << 20, 10, alpn);
    }

    /**
     * A client granting the server {@code initialMaxData} bytes of connection flow-control credit and
     * {@code maxStreamsUni} unidirectional streams (a small window, unread, stands for a connection that takes nothing).
     */
    public QuicTestClient(final X509Certificate trusted, final long idleTimeoutMillis, final long initialMaxData,
        final long maxStreamsUni, final String... alpn) throws InterruptedException
    {
        this("127.0.0.1", trusted, idleTimeoutMillis, initialMaxData, maxStreamsUni, alpn);
    }

    private QuicTestClient(final String localHost, final X509Certificate trusted, final long idleTimeoutMillis,
        final long initialMaxData, final long maxStreamsUni, final String... alpn) throws InterruptedException
    {
        this.idleTimeoutMillis = idleTimeoutMillis;
        final QuicSslContext ssl = QuicSslContextBuilder.forClient()
            .trustManager(trusted)
            .endpointIdentificationAlgorithm(null)
            .applicationProtocols(alpn)
            .build();
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
            .handler(new QuicClientCodecBuilder()
                .sslContext(ssl)
                .maxIdleTimeout(idleTimeoutMillis, TimeUnit.MILLISECONDS)
                .initialMaxData(initialMaxData)
                .initialMaxStreamDataBidirectionalLocal(1 << 16)
                .initialMaxStreamDataBidirectionalRemote(1 << 16)
                .initialMaxStreamDataUnidirectional(1 << 16)
                .initialMaxStreamsBidirectional(10)
                .initialMaxStreamsUnidirectional(maxStreamsUni)
                .datagram(16, 16)
                .build())
            .bind(new InetSocketAddress(localHost, 0)).sync().channel();
    }

    /** Connects, giving up after the idle timeout; the returned connection's {@link Connection#peerClose} completes when the server closes it. */
    public Connection connect(final InetSocketAddress server) throws Exception
    {
        return connect(server, true);
    }

    /** As {@link #connect(InetSocketAddress)}; {@code readPeerStreams} false leaves the server's streams unread. */
    public Connection connect(final InetSocketAddress server, final boolean readPeerStreams) throws Exception
    {
        return connect(server, readPeerStreams, null);
    }

    /** As {@link #connect(InetSocketAddress, boolean)}, with {@code streamHandler} on the server's streams. */
    public Connection connect(final InetSocketAddress server, final boolean readPeerStreams,
        final io.netty.channel.ChannelHandler streamHandler) throws Exception
    {
        final CompletableFuture<QuicConnectionCloseEvent> peerClose = new CompletableFuture<>();
        final var bootstrap = QuicChannel.newBootstrap(socket);
        if (streamHandler != null)
        {
            bootstrap.streamHandler(streamHandler);
        }
        final Future<QuicChannel> connect = bootstrap
            .streamOption(ChannelOption.AUTO_READ, readPeerStreams)
            .handler(new ChannelInboundHandlerAdapter()
            {
                @Override
                public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
                {
                    if (evt instanceof QuicConnectionCloseEvent)
                    {
                        peerClose.complete((QuicConnectionCloseEvent)evt);
                    }
                    ctx.fireUserEventTriggered(evt);
                }
            })
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.max(idleTimeoutMillis, 500))
            .remoteAddress(server)
            .connect()
            .await();
        if (!connect.isSuccess())
        {
            throw new HandshakeFailed(connect.cause(), peerClose.getNow(null));
        }
        connections.add(connect.getNow());
        return new Connection(connect.getNow(), peerClose);
    }

    /**
     * Closes every connection this client made with a CONNECTION_CLOSE (application close, code 0), so that the server
     * tears them down now; {@link #close()} alone drops the socket and leaves them to the server's idle timeout.
     */
    public void closeConnections()
    {
        for (final QuicChannel c : connections)
        {
            c.close(true, 0, io.netty.buffer.Unpooled.EMPTY_BUFFER).awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        connections.clear();
    }

    @Override
    public void close()
    {
        socket.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly();
    }

    public record Connection(QuicChannel channel, CompletableFuture<QuicConnectionCloseEvent> peerClose)
    {
        public String protocol()
        {
            return channel.sslEngine().getApplicationProtocol();
        }
    }

    /** The connection attempt failed (handshake error, refused, timed out). */
    public static final class HandshakeFailed extends Exception
    {
        private static final long serialVersionUID = 1L;
        /** The server's CONNECTION_CLOSE, if one arrived. */
        public final transient QuicConnectionCloseEvent peerClose;

        HandshakeFailed(final Throwable cause, final QuicConnectionCloseEvent peerClose)
        {
            super(cause);
            this.peerClose = peerClose;
        }
    }
}
