package moq.relay.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Draft;

/** One relay of a test cluster, in-process on 127.0.0.1: engine, MoQT sessions, QUIC server and {@link Cluster}. */
final class ClusterNode implements AutoCloseable
{
    final Relay relay;
    final RelayServer server;
    final String url;
    private Cluster cluster;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<MoqClient> clients = new ArrayList<>();

    /**
     * @param cluster the {@code moq.relay.cluster.*} properties besides the advertised URL, or null to start the
     *                cluster later ({@link #startCluster}), once the other relays' URLs are known.
     */
    ClusterNode(final Path certDir, final Map<String, String> cluster)
    {
        final Map<String, String> base = new HashMap<>(Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k"));
        relay = new Relay(RelayConfiguration.from(base), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(500)), TestServers.certificate(certDir),
            sessions.register(SessionFactories.builder()).build());
        sessions.bindEventLoops(server.eventLoops());
        timer.scheduleAtFixedRate(() -> relay.expireIdle(System.nanoTime()), 100, 100, TimeUnit.MILLISECONDS);
        url = "moqt://127.0.0.1:" + server.localAddress().getPort();
        if (cluster != null)
        {
            startCluster(cluster);
        }
    }

    void startCluster(final Map<String, String> properties)
    {
        final Map<String, String> all = new HashMap<>(properties);
        all.put(RelayConfiguration.CLUSTER_ADVERTISED_URL_PROP_NAME, url);
        all.putIfAbsent(RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, "insecure");
        cluster = Cluster.start(relay, RelayConfiguration.from(all), server.localAddress().getPort(),
            server.eventLoops().get(0)); // as MoqRelay starts it
    }

    Cluster cluster()
    {
        return cluster;
    }

    MoqClient connect(final Draft draft) throws Exception
    {
        final MoqClient c = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), draft,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        synchronized (clients)
        {
            clients.add(c);
        }
        return c;
    }

    /** The relay dies without a word: its cluster stops refreshing and its QUIC server stops answering. */
    @Override
    public void close()
    {
        final List<MoqClient> all;
        synchronized (clients)
        {
            all = new ArrayList<>(clients);
        }
        all.parallelStream().forEach(MoqClient::close);
        if (cluster != null)
        {
            cluster.close();
        }
        server.close();
        timer.shutdownNow();
        relay.close();
    }
}
