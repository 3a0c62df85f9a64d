package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * Static upstreams (no Redis), misconfigured into a ring A→B→A: a track published on either relay reaches the
 * other's subscribers, and a request for a namespace nobody publishes fails cleanly instead of circling.
 */
@Timeout(60)
class StaticUpstreamTest
{
    @TempDir
    Path certs;
    final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void stop()
    {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    void aRingOfStaticUpstreamsForwardsOneHopAndRefusesWhatNobodyPublishes() throws Exception
    {
        final ClusterNode a = new ClusterNode(certs, null);
        final ClusterNode b = new ClusterNode(certs, null);
        nodes.add(a);
        nodes.add(b);
        a.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, b.url));
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final ClusterForwardingTest.Collector onB = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_14), Filter.largestObject(), onB);
        publishGroup(track, 0, 10);
        publishGroup(track, 1, 10);
        await(() -> onB.objects.size() >= 20, "A's objects at B through B's static upstream");
        assertThat(onB.objects).containsExactlyElementsOf(expected(0, 1, 10));

        // Nobody publishes this: A asks B, B does not ask A back (the request came from a relay), and it fails.
        final long aBefore = a.relay.upstreamSubscribeCount();
        final long bBefore = b.relay.upstreamSubscribeCount();
        final MoqClient subscriber = a.connect(Draft.DRAFT_18);
        final long start = System.nanoTime();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> subscriber.subscribe(
            TrackNamespace.of("nobody"), TRACK, moq.relay.client.SubscribeOptions.LATEST,
            new ClusterForwardingTest.Collector()).get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException)e.getCause()).errorCode()).isEqualTo(0x10L); // DOES_NOT_EXIST
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(3));
        Thread.sleep(500); // nothing keeps circling
        assertThat(a.relay.upstreamSubscribeCount() - aBefore).isEqualTo(1); // A asked B once
        assertThat(b.relay.upstreamSubscribeCount() - bBefore).isZero(); // B asked nobody
    }
}
