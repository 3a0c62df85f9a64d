package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;

/**
 * Where a relay's sessions to peer relays run (issue 14, the added latency per hop): by default on one of the relay's
 * own I/O event loops ({@code moq.relay.cluster.links.io.loop}), so an object from the origin relay is ingested on
 * the thread that writes it to that loop's subscribers and the relay runs no thread of its own for peer links; with
 * the setting off, on a dedicated thread ({@code moq-cluster-peers}). Objects cross the hop byte-exact either way.
 */
@Timeout(60)
class PeerLinkEventLoopTest
{
    private static final String DEDICATED_THREAD = "moq-cluster-peers";

    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withoutRedis();

    @Test
    void peerLinksRunOnTheRelaysOwnEventLoop() throws Exception
    {
        final ClusterNode b = forwardThroughChain(Map.of());
        final Thread linkThread = b.cluster().linkGroup().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        assertThat(b.server.eventLoops().get(0).inEventLoop(linkThread))
            .as("B's session to A runs on B's I/O event loop, which writes to B's subscribers").isTrue();
        // No thread of the cluster's own (one left by another test's relay is gone within its shutdown's second).
        await(() -> liveThreads(DEDICATED_THREAD) == 0, 5, "no " + DEDICATED_THREAD + " thread");
    }

    @Test
    void offTheyRunOnADedicatedThread() throws Exception
    {
        final ClusterNode b = forwardThroughChain(Map.of(RelayConfiguration.CLUSTER_LINKS_IO_LOOP_PROP_NAME, "false"));
        final Thread linkThread = b.cluster().linkGroup().submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
        assertThat(linkThread.getName()).startsWith(DEDICATED_THREAD);
        assertThat(b.server.eventLoops().get(0).inEventLoop(linkThread)).isFalse();
    }

    /** A publisher on A, B's static upstream A, a subscriber on B that gets A's objects; returns B. */
    private ClusterNode forwardThroughChain(final Map<String, String> settings) throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        final Map<String, String> all = new java.util.HashMap<>(settings);
        all.put(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url);
        b.startCluster(all);
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final ClusterForwardingTest.Collector onB = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), onB);
        for (long g = 0; g < 3; g++)
        {
            publishGroup(track, g, 10);
        }
        await(() -> onB.objects.size() >= 30, "A's objects on B");
        assertThat(onB.objects).containsExactlyElementsOf(expected(0, 2, 10));
        return b;
    }

    private static long liveThreads(final String prefix)
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }
}
