package moq.relay;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import moq.relay.auth.Authorizer;
import moq.relay.auth.TokenAuthorizer;
import moq.relay.config.ConfigurationException;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Relay;
import moq.relay.engine.RelayObserver;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.Session;
import moq.relay.metrics.AdminServer;
import moq.relay.metrics.RelayMetrics;
import moq.relay.metrics.SessionEndLog;
import moq.relay.session.MoqtSessions;
import moq.relay.session.PublishedNamespaces;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.ConnectionLimits;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.ServerCertificates;
import moq.relay.transport.tls.TlsSettings;
import moq.relay.warmup.StartupWarmup;
import moq.relay.warmup.WarmupReport;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * A MoQT relay embedded in a Java application: the engine, the MoQT sessions (drafts 18 and 14, raw QUIC and
 * WebTransport on one UDP port), the engine's timer, and the optional admin listener ({@code /metrics},
 * {@code /health}, {@code /ready}), configured from code.
 *
 * <pre>{@code
 * MoqRelay relay = MoqRelay.builder()
 *     .port(4443)
 *     .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "256m") // any moq.relay.* setting
 *     .adminPort(9464)
 *     .listener(new RelayListener() { ... })
 *     .start();
 * ...
 * relay.stop(); // GOAWAY to every session, drain (moq.relay.shutdown.drain.timeout), close
 * }</pre>
 *
 * <p>Settings are the same {@code moq.relay.*} names as the system properties (README's configuration table), given
 * as a map: the builder never reads system properties unless given them ({@code settings(System.getProperties())}).
 * Thread-safe; {@link #stop()} and {@link #close()} may be called more than once, from any thread.
 */
public final class MoqRelay implements AutoCloseable
{
    private final Relay relay;
    private final RelayServer server;
    private final RelayMetrics metrics;
    private final AdminServer admin;
    private final ScheduledExecutorService timer;
    private final Authorizer authorizer;
    private final ServerCertificate certificate;
    /** The JIT warm-up at start-up ({@code moq.relay.warmup.duration}); the relay is ready once it is done. */
    private final StartupWarmup warmup;
    /** This relay's part in a cluster (docs/cluster.md), or null when none is configured. */
    private volatile moq.relay.cluster.Cluster cluster;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private boolean stopped;
    /** How long a stop waits for a cancelled warm-up to have closed its throwaway relay (normally milliseconds). */
    private static final java.time.Duration WARMUP_STOP_WAIT = java.time.Duration.ofSeconds(3);

    private MoqRelay(final Relay relay, final RelayServer server, final RelayMetrics metrics, final AdminServer admin,
        final ScheduledExecutorService timer, final Authorizer authorizer, final ServerCertificate certificate,
        final StartupWarmup warmup)
    {
        this.relay = relay;
        this.server = server;
        this.metrics = metrics;
        this.admin = admin;
        this.timer = timer;
        this.authorizer = authorizer;
        this.certificate = certificate;
        this.warmup = warmup;
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** The UDP address the relay serves (with port 0 configured, the ephemeral port chosen). */
    public InetSocketAddress address()
    {
        return server.localAddress();
    }

    public int port()
    {
        return server.localAddress().getPort();
    }

    /** The admin listener's address, or null when it is off ({@code moq.relay.admin.port} unset). */
    public InetSocketAddress adminAddress()
    {
        return admin == null ? null : admin.address();
    }

    /** The hex SHA-256 of the certificate's DER: WebTransport's {@code serverCertificateHashes} value. */
    public String certificateSha256()
    {
        return certificate.sha256Fingerprint();
    }

    /** The relay's metrics (also served on the admin listener); {@link RelayMetrics#authRefused} counts refusals. */
    public RelayMetrics metrics()
    {
        return metrics;
    }

    /** The authorization hook the sessions consult. */
    public Authorizer authorizer()
    {
        return authorizer;
    }

    /** Listening, warmed up ({@code moq.relay.warmup.duration}) and not draining: what {@code /ready} answers. */
    public boolean isReady()
    {
        return server.isServing() && warmup.isDone();
    }

    /**
     * Completes once the start-up warm-up has finished (at once when {@code moq.relay.warmup.duration} is 0s), with
     * what it did. Sessions are served meanwhile; only {@link #isReady()} waits for it.
     */
    public java.util.concurrent.CompletableFuture<WarmupReport> warmup()
    {
        return warmup.report();
    }

    /** QUIC connections held now, handshaking ones included. */
    public int connectionCount()
    {
        return server.connectionCount();
    }

    /**
     * Graceful stop: no new connections, GOAWAY to every session, wait until they have closed or
     * {@code moq.relay.shutdown.drain.timeout} passed ({@code /ready} answers 503 meanwhile), close the rest, then
     * release the engine and the admin listener. Returns when done.
     */
    public void stop()
    {
        shutDown(true);
    }

    /** Immediate stop: as {@link #stop()} without GOAWAY and drain. */
    @Override
    public void close()
    {
        shutDown(false);
    }

    /** Blocks until the relay has stopped. */
    public void awaitTermination() throws InterruptedException
    {
        terminated.await();
    }

    private void shutDown(final boolean graceful)
    {
        synchronized (this)
        {
            if (stopped)
            {
                return;
            }
            stopped = true;
        }
        warmup.cancel(); // stops within a round; it closes its own relay meanwhile
        try
        {
            if (graceful)
            {
                server.shutdownGracefully();
            }
            else
            {
                server.close();
            }
        }
        finally
        {
            if (cluster != null)
            {
                cluster.close();
            }
            timer.shutdownNow();
            relay.close();
            if (admin != null)
            {
                admin.close();
            }
            warmup.awaitStopped(WARMUP_STOP_WAIT);
            terminated.countDown();
        }
    }

    /** Settings and hooks of a relay to start. */
    public static final class Builder
    {
        private final Map<String, String> settings = new HashMap<>();
        private RelayListener listener = RelayListener.NONE;
        private Authorizer authorizer; // null: the token scheme from the settings (moq.relay.auth.*), or none

        private Builder()
        {
        }

        /** One setting, by its {@code moq.relay.*} name (see the README's configuration table). */
        public Builder set(final String name, final String value)
        {
            settings.put(name, value);
            return this;
        }

        /** Every entry of {@code values} whose key and value are strings (a map, or {@code System.getProperties()}). */
        public Builder settings(final Map<?, ?> values)
        {
            for (final Map.Entry<?, ?> e : values.entrySet())
            {
                if (e.getKey() instanceof String && e.getValue() instanceof String)
                {
                    settings.put((String)e.getKey(), (String)e.getValue());
                }
            }
            return this;
        }

        /** UDP port ({@code moq.relay.port}); 0 picks an ephemeral one. */
        public Builder port(final int port)
        {
            return set(RelayConfiguration.PORT_PROP_NAME, Integer.toString(port));
        }

        /** Local address to bind ({@code moq.relay.bind.address}). */
        public Builder bindAddress(final String address)
        {
            return set(RelayConfiguration.BIND_ADDRESS_PROP_NAME, address);
        }

        /** PEM certificate chain and private key; without them a self-signed certificate is generated. */
        public Builder certificate(final Path certFile, final Path keyFile)
        {
            set(RelayConfiguration.TLS_CERT_FILE_PROP_NAME, certFile.toString());
            return set(RelayConfiguration.TLS_KEY_FILE_PROP_NAME, keyFile.toString());
        }

        /** Where a generated self-signed certificate is kept ({@code moq.relay.tls.cert.dir}). */
        public Builder certificateDirectory(final Path dir)
        {
            return set(RelayConfiguration.TLS_CERT_DIR_PROP_NAME, dir.toString());
        }

        /** Turns the admin listener on at this TCP port ({@code moq.relay.admin.port}; 0 = ephemeral). */
        public Builder adminPort(final int port)
        {
            return set(RelayConfiguration.ADMIN_PORT_PROP_NAME, Integer.toString(port));
        }

        /** Who hears of sessions, publishes and subscribes. */
        public Builder listener(final RelayListener listener)
        {
            this.listener = listener;
            return this;
        }

        /**
         * The authorization decision hook, replacing the one the settings choose ({@link TokenAuthorizer} with
         * {@code moq.relay.auth.enabled}, else {@link moq.relay.auth.NoAuth}).
         */
        public Builder authorizer(final Authorizer authorizer)
        {
            this.authorizer = authorizer;
            return this;
        }

        private static Authorizer tokenAuthorizer(final RelayConfiguration config)
        {
            try
            {
                return TokenAuthorizer.fromConfiguration(config);
            }
            catch (final java.io.IOException ex)
            {
                throw new ConfigurationException(RelayConfiguration.AUTH_KEYS_PROP_NAME, config.authKeys().toString(),
                    "key files that exist and hold a JWK or JWK set (" + ex.getMessage() + ")");
            }
        }

        /**
         * Checks every setting, binds the UDP port (and the admin listener) and returns the running relay.
         *
         * @throws moq.relay.config.ConfigurationException for a bad setting, naming it
         * @throws moq.relay.transport.StartupException    when an address cannot be bound or the certificate read
         */
        public MoqRelay start()
        {
            // Every setting is read and checked before anything touches the disk or the network.
            final RelayConfiguration config = RelayConfiguration.from(settings);
            final ServerSettings serverSettings = ServerSettings.from(config);
            final QuicSettings quicSettings = QuicSettings.from(config);
            final TlsSettings tlsSettings = TlsSettings.from(config);
            final ConnectionLimits limits = ConnectionLimits.from(config);
            final int adminPort = config.adminPort();
            final String adminAddress = config.adminAddress();
            final Authorizer auth = authorizer != null ? authorizer : tokenAuthorizer(config);
            moq.relay.cluster.Cluster.validate(config);
            final ServerCertificate certificate = ServerCertificates.load(tlsSettings, Clock.systemUTC());

            // One egress loop per I/O event loop: each connection's writers run on its own thread.
            final Relay relay = new Relay(config, serverSettings.eventLoops());
            final RelayMetrics metrics = new RelayMetrics(relay);
            relay.observer(RelayObserver.both(RelayObserver.both(metrics, new SessionEndLog()),
                listener == RelayListener.NONE ? RelayObserver.NONE : new ListenerAdapter(listener)));
            final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r ->
            {
                final Thread t = new Thread(r, "moq-relay-timer");
                t.setDaemon(true);
                return t;
            });
            RelayServer server = null;
            AdminServer admin = null;
            try
            {
                final MoqtSessions sessions = new MoqtSessions(relay, auth, metrics::authRefused,
                    metrics::webTransportRefused);
                final RelayServer unstarted = new RelayServer(serverSettings, quicSettings, certificate,
                    sessions.register(moq.relay.transport.session.SessionFactories.builder()).build())
                    .connectionLimits(limits).connectionEvents(metrics);
                if (serverSettings.dev())
                {
                    unstarted.announcedNamespaces(new PublishedNamespaces(relay));
                }
                server = unstarted.start();
                sessions.bindEventLoops(server.eventLoops());
                // After the bind, so that a taken port fails start() at once; started last, below.
                final StartupWarmup warmup = StartupWarmup.of(settings, certificate, config.warmupDuration());
                // The engine's timer: rendezvous timeouts and idle track caches.
                timer.scheduleAtFixedRate(() ->
                {
                    try
                    {
                        relay.expireIdle(System.nanoTime());
                    }
                    catch (final RuntimeException ex)
                    {
                        org.slf4j.LoggerFactory.getLogger(MoqRelay.class).error("engine timer failed", ex);
                    }
                    catch (final Error error)
                    {
                        // An executor would swallow it and cancel the timer: the application's handler decides
                        // (serve's halts the process on an OutOfMemoryError).
                        final Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
                        if (handler == null)
                        {
                            throw error;
                        }
                        handler.uncaughtException(Thread.currentThread(), error);
                    }
                }, 100, 100, TimeUnit.MILLISECONDS);
                final RelayServer running = server;
                final java.util.function.BooleanSupplier ready = () -> running.isServing() && warmup.isDone();
                metrics.bindServer(running::connectionCount, ready);
                if (adminPort >= 0)
                {
                    admin = AdminServer.start(adminAddress, adminPort, metrics.registry(), ready);
                }
                final MoqRelay started = new MoqRelay(relay, server, metrics, admin, timer, auth, certificate,
                    warmup);
                // null unless configured; advertises the bound port when no URL is set (moq.relay.port may be 0)
                started.cluster = moq.relay.cluster.Cluster.start(relay, config, server.localAddress().getPort(),
                    server.eventLoops().get(0));
                warmup.start();
                return started;
            }
            catch (final RuntimeException | Error ex)
            {
                if (server != null)
                {
                    server.close();
                }
                timer.shutdownNow();
                relay.close();
                throw ex;
            }
        }
    }

    /** Engine events as a {@link RelayListener} hears them. */
    private static final class ListenerAdapter implements RelayObserver
    {
        private final RelayListener listener;

        ListenerAdapter(final RelayListener listener)
        {
            this.listener = listener;
        }

        @Override
        public void sessionOpened(final Session session)
        {
            listener.sessionOpened(info(session));
        }

        @Override
        public void sessionClosed(final Session session)
        {
            listener.sessionClosed(info(session));
        }

        @Override
        public void requestAnswered(final Session session, final RequestKind kind, final TrackNamespace namespace,
            final Bytes track, final RequestErrorCode error)
        {
            if (error != null)
            {
                listener.requestRefused(info(session), kind, namespace, track, error);
                return;
            }
            switch (kind)
            {
                case PUBLISH_NAMESPACE -> listener.namespacePublished(info(session), namespace);
                case PUBLISH -> listener.trackPublished(info(session), new FullTrackName(namespace, track));
                case SUBSCRIBE -> listener.subscribed(info(session), new FullTrackName(namespace, track));
                default ->
                {
                }
            }
        }

        private static RelayListener.SessionInfo info(final Session session)
        {
            return new RelayListener.SessionInfo(session.id(), session.name(), session.draft(), session.transport());
        }
    }
}
