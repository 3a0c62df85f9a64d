package moq.relay.transport.web;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import moq.relay.transport.tls.ServerCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development web server: one TCP port that answers both HTTPS (the relay's certificate) and plain HTTP, told
 * apart by the first bytes ({@link OptionalSslHandler}). Plain {@code http://localhost:PORT/} is a secure context in
 * browsers, so the demo page can open WebTransport with {@code serverCertificateHashes} and no certificate warning.
 *
 * <p>One NIO thread: this serves a page and a few short texts, never media.
 */
public final class DevWebServer implements AutoCloseable
{
    /** Largest request accepted (headers included); the routes take no body. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(DevWebServer.class);

    private final EventLoopGroup group;
    private final Channel listener;

    private DevWebServer(final EventLoopGroup group, final Channel listener)
    {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Binds TCP {@code address} and serves until {@link #close()}.
     *
     * @throws StartupException when the port cannot be bound, naming what to change.
     */
    public static DevWebServer start(final InetSocketAddress address, final ServerCertificate certificate,
        final AnnouncedNamespaces announced)
    {
        final SslContext ssl = sslContext(certificate);
        final String fingerprint = HexFormat.of().formatHex(certificate.sha256());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("moq-relay-dev-web",
            true), NioIoHandler.newFactory());
        try
        {
            final Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new OptionalSslHandler(ssl), new HttpServerCodec(),
                            new HttpObjectAggregator(MAX_REQUEST_BYTES), new DevWebHandler(fingerprint, announced));
                    }
                })
                .bind(address).sync().channel();
            final DevWebServer server = new DevWebServer(group, listener);
            LOG.info("development web server on tcp {}: http://localhost:{}/ (demo), /fingerprint, /certificate.sha256", address,
                server.localAddress().getPort());
            return server;
        }
        catch (final InterruptedException ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while binding tcp " + address, ex);
        }
        catch (final Exception ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new StartupException("cannot bind tcp " + address + " for the development web server (" +
                ex.getMessage() + "); free that TCP port, set -D" + RelayConfiguration.PORT_PROP_NAME +
                " to a port free for both UDP and TCP, or drop --dev / -D" + RelayConfiguration.DEV_PROP_NAME, ex);
        }
    }

    public InetSocketAddress localAddress()
    {
        return (InetSocketAddress)listener.localAddress();
    }

    @Override
    public void close()
    {
        listener.close().awaitUninterruptibly(1_000);
        group.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2_000);
    }

    private static SslContext sslContext(final ServerCertificate certificate)
    {
        try
        {
            return SslContextBuilder.forServer(certificate.key(),
                certificate.chain().toArray(new java.security.cert.X509Certificate[0])).build();
        }
        catch (final Exception ex)
        {
            throw new StartupException("the development web server cannot use the relay's certificate " +
                certificate.origin() + ": " + ex.getMessage(), ex);
        }
    }
}
