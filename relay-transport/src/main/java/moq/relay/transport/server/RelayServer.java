package moq.relay.transport.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import moq.relay.transport.quic.InitialPacketGate;
import moq.relay.transport.quic.InitialRefusals;
import moq.relay.transport.quic.QuicServerCodecs;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.quic.ReusePortCodecDispatcher;
import moq.relay.transport.quic.UdpTransport;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.ServerTlsContext;
import moq.relay.transport.web.AnnouncedNamespaces;
import moq.relay.transport.web.DevWebServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's UDP/QUIC server: one port for raw QUIC MoQT and HTTP/3, {@code eventLoops} sockets on it (SO_REUSEPORT
 * when more than one), every connection routed by ALPN to a {@link SessionFactories session factory}.
 *
 * <p>Life cycle: {@link #start()} returns once every socket is bound; {@link #shutdownGracefully()} stops new
 * connections, sends GOAWAY to every session, drains for at most the configured timeout, then closes everything;
 * {@link #awaitTermination()} blocks until then. With {@link ServerSettings#dev()} the {@link DevWebServer} runs on
 * TCP at the same port number for exactly that life.
 */
public final class RelayServer implements AutoCloseable
{
    /** With port 0 and the dev web server: ephemeral UDP ports tried until the same TCP port is free too. */
    private static final int EPHEMERAL_PORT_ATTEMPTS = 8;
    /** Time allowed for CONNECTION_CLOSE frames to leave before the sockets close. */
    private static final Duration CLOSE_FLUSH_TIMEOUT = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final ServerSettings settings;
    private final QuicSettings quicSettings;
    private final ServerCertificate certificate;
    private final SessionFactories factories;
    private final ConnectionRegistry registry =
        new ConnectionRegistry(ConnectionLimits.from(RelayConfiguration.defaults()));
    private final InitialRefusals refusals =
        new InitialRefusals(RelayConfiguration.defaults().refusedInitialClosesPerSecond());
    private final InitialPacketGate gate = new InitialPacketGate(refusals);
    private final List<Channel> sockets = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private EventLoopGroup group;
    private InetSocketAddress localAddress;
    private AnnouncedNamespaces announced = AnnouncedNamespaces.NONE;
    private DevWebServer devWeb;
    private boolean shuttingDown;
    /** Read by the I/O threads for every new connection. */
    private volatile ConnectionEvents events = ConnectionEvents.NONE;
    /** Names the I/O threads ({@code moq-relay-io-N-M}); the start-up warm-up's own server names its threads apart. */
    private String threadName = "moq-relay-io";

    public RelayServer(final ServerSettings settings, final QuicSettings quicSettings,
        final ServerCertificate certificate, final SessionFactories factories)
    {
        this.settings = settings;
        this.quicSettings = quicSettings;
        this.certificate = certificate;
        this.factories = factories;
    }

    /** Connection caps and the setup deadline (the configuration's defaults unless set); call before {@link #start()}. */
    public synchronized RelayServer connectionLimits(final ConnectionLimits limits)
    {
        registry.limits(limits);
        refusals.closesPerSecond(limits.refusedInitialCloses());
        return this;
    }

    /** Who hears of failed handshakes and refused connections (metrics); call before {@link #start()}. */
    public synchronized RelayServer connectionEvents(final ConnectionEvents events)
    {
        this.events = events;
        refusals.onAnswer(events::initialRefusedWithClose);
        return this;
    }

    /** Whether the server is listening and not shutting down (draining): what a readiness probe asks. */
    public synchronized boolean isServing()
    {
        return group != null && !shuttingDown;
    }

    /** Connections held, handshaking ones included (what {@link ConnectionLimits} counts). */
    public int connectionCount()
    {
        return registry.connectionCount();
    }

    /** The I/O threads' name prefix (default {@code moq-relay-io}); call before {@link #start()}. */
    public synchronized RelayServer threadName(final String prefix)
    {
        this.threadName = prefix;
        return this;
    }

    /** What the dev web server's {@code /announced} route lists; call before {@link #start()}. */
    public synchronized RelayServer announcedNamespaces(final AnnouncedNamespaces announced)
    {
        this.announced = announced;
        return this;
    }

    /**
     * Binds the UDP sockets (and, in development mode, the TCP port of the same number) and returns once bound.
     *
     * @throws StartupException when the address cannot be bound, naming the property to change.
     */
    public synchronized RelayServer start()
    {
        if (group != null)
        {
            throw new IllegalStateException("already started");
        }
        final InetAddress address = resolve(settings.bindAddress());
        final UdpTransport transport = UdpTransport.select(settings.epoll(), quicSettings);
        int socketCount = settings.eventLoops();
        if (socketCount > 1 && !transport.supportsReusePort())
        {
            LOG.warn("-D{}={} needs the epoll transport for SO_REUSEPORT; serving from one socket",
                RelayConfiguration.EVENT_LOOPS_PROP_NAME, socketCount);
            socketCount = 1;
        }
        final QuicSslContext ssl = ServerTlsContext.create(certificate, settings.alpn());
        final QuicServerCodecs codecs = new QuicServerCodecs(quicSettings, ssl, transport, connectionInitializer(),
            this::admitsInitial, refusals);
        group = transport.newEventLoopGroup(socketCount, threadName);
        try
        {
            final boolean reusePort = socketCount > 1;
            final ChannelHandler dispatcher = reusePort ? new ReusePortCodecDispatcher(codecs) : null;
            final Bootstrap bootstrap = transport.newBootstrap(group, reusePort).handler(new ChannelInitializer<>()
            {
                @Override
                protected void initChannel(final Channel ch)
                {
                    ch.pipeline().addLast(gate, dispatcher != null ? dispatcher : codecs.newCodec());
                }
            });
            final int attempts = settings.dev() && settings.port() == 0 ? EPHEMERAL_PORT_ATTEMPTS : 1;
            for (int attempt = 1; devWeb == null; attempt++)
            {
                int port = settings.port();
                for (int i = 0; i < socketCount; i++)
                {
                    final Channel socket = bind(bootstrap, new InetSocketAddress(address, port));
                    sockets.add(socket);
                    port = ((InetSocketAddress)socket.localAddress()).getPort();
                }
                localAddress = (InetSocketAddress)sockets.get(0).localAddress();
                if (!settings.dev())
                {
                    break;
                }
                try
                {
                    devWeb = DevWebServer.start(new InetSocketAddress(address, port), certificate, announced);
                }
                catch (final StartupException ex)
                {
                    if (attempt >= attempts)
                    {
                        throw ex;
                    }
                    closeSockets(); // that ephemeral number is taken on TCP: try another
                }
            }
        }
        catch (final RuntimeException ex)
        {
            closeSockets();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw ex;
        }
        LOG.info("listening on udp {} with {} socket(s), transport {}, ALPN {}", localAddress, socketCount,
            transport, String.join(",", settings.alpn()));
        for (final String alpn : settings.alpn())
        {
            if (factories.forAlpn(alpn) == null)
            {
                LOG.warn("ALPN {} is offered but has no session handler yet: such connections are refused", alpn);
            }
        }
        LOG.info("certificate {} SHA-256 fingerprint {}", certificate.origin(), certificate.sha256Fingerprint());
        return this;
    }

    /** The bound address; with port 0 configured, the ephemeral port chosen. */
    public synchronized InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /** The event loops of the bound sockets, one per socket (each owns the connections of its socket). */
    public synchronized java.util.List<io.netty.channel.EventLoop> eventLoops()
    {
        final java.util.List<io.netty.channel.EventLoop> loops = new java.util.ArrayList<>();
        for (final Channel socket : sockets)
        {
            loops.add(socket.eventLoop());
        }
        return loops;
    }

    /** Sessions currently open. */
    public int sessionCount()
    {
        return registry.size();
    }

    /**
     * Graceful shutdown: no new connections, GOAWAY to every session, wait until they have all closed or the drain
     * timeout passed, close the rest (with each session's GOAWAY-timeout code) and release the sockets and
     * threads. Returns when done; safe to call more than once and from a shutdown hook.
     */
    public void shutdownGracefully()
    {
        shutdown(settings.drainTimeout());
    }

    /** Immediate shutdown: as {@link #shutdownGracefully()} without GOAWAY and drain. */
    @Override
    public void close()
    {
        shutdown(null);
    }

    /** Blocks until the server has shut down. */
    public void awaitTermination() throws InterruptedException
    {
        terminated.await();
    }

    private void shutdown(final Duration drainTimeout)
    {
        synchronized (this)
        {
            if (shuttingDown || group == null)
            {
                return;
            }
            shuttingDown = true;
        }
        try
        {
            gate.close();
            registry.stopAccepting();
            if (drainTimeout != null && registry.size() > 0)
            {
                LOG.info("draining: GOAWAY to {} session(s), waiting up to {}ms", registry.size(),
                    drainTimeout.toMillis());
                registry.goAwayAll("");
                if (!registry.awaitEmpty(drainTimeout))
                {
                    LOG.info("drain timeout: closing {} remaining session(s)", registry.size());
                }
            }
            registry.closeAll(drainTimeout == null ? "relay stopped" : "relay shutdown: drain timeout",
                CLOSE_FLUSH_TIMEOUT);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            if (devWeb != null)
            {
                devWeb.close();
            }
            closeSockets();
            group.shutdownGracefully(0, CLOSE_FLUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(CLOSE_FLUSH_TIMEOUT.toMillis() * 2);
            LOG.info("stopped");
            terminated.countDown();
        }
    }

    /**
     * At a new connection's first Initial packet: a connection the limits would refuse is dropped there, before its
     * handshake (a flood would otherwise cost a TLS key exchange and signature per connection). {@link SessionRouter}
     * still admits each created connection (the counts may have moved on another socket's event loop).
     */
    private boolean admitsInitial(final InetSocketAddress sender)
    {
        if (registry.hasRoomFor(sender))
        {
            return true;
        }
        events.initialDropped("connection_limit");
        return false;
    }

    private ChannelHandler connectionInitializer()
    {
        return new ChannelInitializer<QuicChannel>()
        {
            @Override
            protected void initChannel(final QuicChannel connection)
            {
                connection.pipeline().addLast(new SessionRouter(factories, registry, events));
            }
        };
    }

    private void closeSockets()
    {
        for (final Channel socket : sockets)
        {
            socket.close().awaitUninterruptibly(CLOSE_FLUSH_TIMEOUT.toMillis());
        }
        sockets.clear();
    }

    private static Channel bind(final Bootstrap bootstrap, final InetSocketAddress address)
    {
        try
        {
            return bootstrap.bind(address).sync().channel();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while binding udp " + address, ex);
        }
        catch (final Exception ex)
        {
            throw new StartupException("cannot bind udp " + address + " (" + ex.getMessage() + "); set -D" +
                RelayConfiguration.PORT_PROP_NAME + " to a free port or -D" +
                RelayConfiguration.BIND_ADDRESS_PROP_NAME + " to a local address", ex);
        }
    }

    private static InetAddress resolve(final String bindAddress)
    {
        try
        {
            return InetAddress.getByName(bindAddress);
        }
        catch (final UnknownHostException ex)
        {
            throw new StartupException("invalid -D" + RelayConfiguration.BIND_ADDRESS_PROP_NAME + "=" +
                bindAddress + ": unknown host; write a local IP address such as 0.0.0.0, :: or 127.0.0.1", ex);
        }
    }
}
