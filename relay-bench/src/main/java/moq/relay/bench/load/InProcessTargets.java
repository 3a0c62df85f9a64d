package moq.relay.bench.load;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.SelfSignedCertificates;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.tls.TlsSettings;

/**
 * The relay and the ceiling sender in the load generator's own process, on 127.0.0.1 and an ephemeral port: for the
 * suite's own test. CPU and RSS are then the whole process's, load generator included.
 */
public final class InProcessTargets
{
    private InProcessTargets()
    {
    }

    private static ServerSettings settings()
    {
        return new ServerSettings("127.0.0.1", 0, 1, true, List.of(SessionFactories.MOQT_18, SessionFactories.MOQ_00,
            moq.relay.wire.lite.LiteVersion.LITE_05.alpn()),
            Duration.ofMillis(500));
    }

    private static ServerCertificate certificate(final Path certDir)
    {
        return SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(certDir), Clock.systemUTC());
    }

    /** The real relay (engine, MoQT sessions, QUIC server) with the engine configured by {@code engineProperties}. */
    public static Target relay(final Path certDir, final Map<String, String> engineProperties)
    {
        final Relay relay = new Relay(RelayConfiguration.from(engineProperties), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        final RelayServer server = new RelayServer(settings(), QuicSettings.fromSystemProperties(),
            certificate(certDir), sessions.register(SessionFactories.builder()).build()).start();
        sessions.bindEventLoops(server.eventLoops());
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> relay.expireIdle(System.nanoTime()), 100, 100, TimeUnit.MILLISECONDS);
        return new Target()
        {
            @Override
            public String kind()
            {
                return "relay";
            }

            @Override
            public InetSocketAddress address()
            {
                return server.localAddress();
            }

            @Override
            public long pid()
            {
                return ProcessHandle.current().pid();
            }

            @Override
            public boolean generatesObjects()
            {
                return false;
            }

            @Override
            public RelaySkipCounters skipCounters()
            {
                return skipCountersOf(relay);
            }

            @Override
            public void close()
            {
                server.close();
                timer.shutdownNow();
                relay.close();
            }
        };
    }

    /** The skip counters of an in-process relay, summed over its egress loops. */
    static RelaySkipCounters skipCountersOf(final Relay relay)
    {
        long tooFarBehind = 0;
        long subgroupsSkipped = 0;
        for (int i = 0; i < relay.egressLoopCount(); i++)
        {
            tooFarBehind += relay.egressLoop(i).counters().tooFarBehindResets();
            subgroupsSkipped += relay.egressLoop(i).counters().subgroupsSkipped();
        }
        return new RelaySkipCounters(tooFarBehind, subgroupsSkipped);
    }

    public static Target ceiling(final Path certDir, final Workload workload)
    {
        final CeilingServer ceiling = new CeilingServer(settings(), QuicSettings.fromSystemProperties(),
            certificate(certDir), workload);
        return new Target()
        {
            @Override
            public String kind()
            {
                return "ceiling";
            }

            @Override
            public InetSocketAddress address()
            {
                return ceiling.address();
            }

            @Override
            public long pid()
            {
                return ProcessHandle.current().pid();
            }

            @Override
            public boolean generatesObjects()
            {
                return true;
            }

            @Override
            public void startObjects()
            {
                ceiling.startObjects();
            }

            @Override
            public Map<String, Long> stopObjects()
            {
                return ceiling.stopObjects();
            }

            @Override
            public void close()
            {
                ceiling.close();
            }
        };
    }
}
