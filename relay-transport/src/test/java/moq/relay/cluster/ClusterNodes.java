package moq.relay.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import moq.relay.config.RelayConfiguration;

/**
 * The lifecycle of a test cluster as a JUnit 5 extension: the {@link ClusterNode}s a test starts share one certificate
 * directory made for that test, and are closed after it in the order they were started; with {@link #withRedis()} a
 * real Redis ({@link RedisServer}, skipped outside CI when {@code redis-server} is missing) runs for each test too and
 * is stopped after the nodes. A test class declares, instead of a {@code @TempDir}, a node list and
 * {@code @BeforeEach}/{@code @AfterEach} methods,
 * <pre>
 * &#64;RegisterExtension
 * final ClusterNodes cluster = ClusterNodes.withRedis();
 * </pre>
 * and starts relays with {@link #node()}, {@link #node(Map)} or {@link #redisNode()}.
 */
final class ClusterNodes implements BeforeEachCallback, AfterEachCallback
{
    private final boolean withRedis;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private Path certs;
    private RedisServer redis;

    private ClusterNodes(final boolean withRedis)
    {
        this.withRedis = withRedis;
    }

    /** Relays that find each other through static upstreams or not at all: no Redis. */
    static ClusterNodes withoutRedis()
    {
        return new ClusterNodes(false);
    }

    /** Relays and a Redis of their own for each test. */
    static ClusterNodes withRedis()
    {
        return new ClusterNodes(true);
    }

    @Override
    public void beforeEach(final ExtensionContext context) throws Exception
    {
        certs = Files.createTempDirectory("moq-cluster-certs");
        if (withRedis)
        {
            redis = RedisServer.start();
        }
    }

    @Override
    public void afterEach(final ExtensionContext context) throws Exception
    {
        try
        {
            nodes.forEach(ClusterNode::close);
            nodes.clear();
            if (redis != null)
            {
                redis.close();
                redis = null;
            }
        }
        finally
        {
            deleteCertificates();
        }
    }

    /** A relay whose cluster starts later ({@link ClusterNode#startCluster}), once the others' URLs are known. */
    ClusterNode node()
    {
        return node(null);
    }

    /** A relay with these {@code moq.relay.cluster.*} properties (null: none yet). */
    ClusterNode node(final Map<String, String> cluster)
    {
        final ClusterNode n = new ClusterNode(certs, cluster);
        nodes.add(n);
        return n;
    }

    /** A relay that registers and looks up namespaces in this test's Redis. */
    ClusterNode redisNode()
    {
        return node(Map.of(RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME, redis().url()));
    }

    RedisServer redis()
    {
        if (redis == null)
        {
            throw new IllegalStateException("no Redis: register ClusterNodes.withRedis()");
        }
        return redis;
    }

    /** The certificate directory the relays of this test share (for test peers that trust it). */
    Path certs()
    {
        return certs;
    }

    private void deleteCertificates() throws IOException
    {
        if (certs == null)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(certs))
        {
            for (final Path p : (Iterable<Path>)files.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(p);
            }
        }
        certs = null;
    }
}
