package moq.relay.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.transport.TestServers;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Draft;

/**
 * A real relay (engine + MoQT sessions + QUIC server) on 127.0.0.1 and the clients connected to it. Started by its
 * constructor, or (constructed without arguments) by {@link #start}, which {@link RelayExtension} calls before each
 * test; {@link #close} stops it, after which it may be started again.
 */
class RelayFixture implements AutoCloseable
{
    /** Segments one track may hold: cache (1 MiB of 256 KiB segments) + overflow (4) + the spare one. */
    static final int MAX_TRACK_SEGMENTS = 4 + 4 + 1;

    /** The running relay's engine and server; set by {@link #start}. */
    Relay relay;
    RelayServer server;
    private ScheduledExecutorService timer;
    private final List<MoqClient> clients = new ArrayList<>();

    RelayFixture(final Path certDir)
    {
        this(certDir, java.util.Map.of());
    }

    /** A relay whose configuration adds {@code overrides} to the fixture's. */
    RelayFixture(final Path certDir, final java.util.Map<String, String> overrides)
    {
        start(certDir, overrides);
    }

    /** Not started: {@link #start} starts it. */
    RelayFixture()
    {
    }

    /** Starts a relay whose configuration adds {@code overrides} to the fixture's, with its certificate in certDir. */
    final void start(final Path certDir, final java.util.Map<String, String> overrides)
    {
        final java.util.Map<String, String> properties = new java.util.HashMap<>(java.util.Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k"));
        properties.putAll(overrides);
        final RelayConfiguration config = RelayConfiguration.from(properties);
        relay = new Relay(config, 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        // QUIC settings from the system properties, unless the overrides name some (moq.relay.quic.*).
        final QuicSettings quic = overrides.keySet().stream().anyMatch(k -> k.startsWith("moq.relay.quic."))
            ? QuicSettings.from(config) : QuicSettings.fromSystemProperties();
        server = new RelayServer(TestServers.settings(1, Duration.ofMillis(1000)), quic,
            TestServers.certificate(certDir), sessions.register(SessionFactories.builder()).build()).start();
        sessions.bindEventLoops(server.eventLoops());
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> relay.expireIdle(System.nanoTime()), 100, 100, TimeUnit.MILLISECONDS);
    }

    MoqClient connect(final Draft draft) throws Exception
    {
        return connect(draft, moq.relay.client.SessionListener.NONE);
    }

    MoqClient connect(final Draft draft, final moq.relay.client.SessionListener listener) throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), draft,
            ClientTrust.insecure()).withListener(listener)).get(10, TimeUnit.SECONDS);
        synchronized (clients)
        {
            clients.add(c);
        }
        return c;
    }

    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        await(condition, () -> what);
    }

    static void await(final BooleanSupplier condition, final java.util.function.Supplier<String> what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close()
    {
        final List<MoqClient> all;
        synchronized (clients)
        {
            all = new ArrayList<>(clients);
            clients.clear();
        }
        all.parallelStream().forEach(MoqClient::close);
        server.close();
        timer.shutdownNow();
        relay.close();
    }
}
