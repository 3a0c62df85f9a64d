package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * Static upstreams (no Redis): misconfigured into a ring A→B→A (or A→B→C→A), a track published on either relay
 * reaches the other's subscribers, and a request for a namespace nobody publishes fails cleanly instead of circling;
 * a chain C→B→A (edge, mid-tier, origin) forwards through two hops, within {@code moq.relay.cluster.max.hops}.
 */
@Timeout(60)
class StaticUpstreamTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withoutRedis();

    @Test
    void aRingOfStaticUpstreamsForwardsOneHopAndRefusesWhatNobodyPublishes() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
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

    @Test
    void aChainOfStaticUpstreamsForwardsThroughTwoHops() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        final ClusterNode c = cluster.node();
        // A is the origin (no upstream of its own needed: a static upstream is only a fallback); B asks A; C asks B.
        a.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, c.url)); // a ring, for good measure
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));
        c.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, b.url));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final List<ClusterForwardingTest.Collector> onC = new ArrayList<>();
        for (final Draft d : List.of(Draft.DRAFT_18, Draft.DRAFT_14))
        {
            final ClusterForwardingTest.Collector col = new ClusterForwardingTest.Collector();
            subscribe(c.connect(d), Filter.largestObject(), col);
            onC.add(col);
        }
        final ClusterForwardingTest.Collector onB = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), onB);
        for (long g = 0; g < 3; g++)
        {
            publishGroup(track, g, 10);
        }
        for (final ClusterForwardingTest.Collector col : List.of(onC.get(0), onC.get(1), onB))
        {
            await(() -> col.objects.size() >= 30, "A's objects through the chain");
            assertThat(col.objects).containsExactlyElementsOf(expected(0, 2, 10));
        }
        // One upstream subscription per relay: C at B, B at A (C's request and B's own subscriber share it).
        assertThat(c.relay.upstreamSubscribeCount()).isEqualTo(1);
        assertThat(b.relay.upstreamSubscribeCount()).isEqualTo(1);
        assertThat(a.relay.upstreamSubscribeCount()).isEqualTo(1); // A's publisher

        track.finish(0x2, "bye");
        for (final ClusterForwardingTest.Collector col : onC)
        {
            assertThat(col.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x2L);
        }
    }

    @Test
    void aThreeRelayRingRefusesWhatNobodyPublishesAfterOneTurn() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        final ClusterNode c = cluster.node();
        a.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, b.url));
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, c.url));
        c.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient subscriber = a.connect(Draft.DRAFT_18);
        final ExecutionException e = assertThrows(ExecutionException.class, () -> subscriber.subscribe(
            TrackNamespace.of("nobody"), TRACK, moq.relay.client.SubscribeOptions.LATEST,
            new ClusterForwardingTest.Collector()).get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException)e.getCause()).errorCode()).isEqualTo(0x10L); // DOES_NOT_EXIST
        Thread.sleep(500); // nothing keeps circling
        assertThat(a.relay.upstreamSubscribeCount()).isEqualTo(1); // A asked B
        assertThat(b.relay.upstreamSubscribeCount()).isEqualTo(1); // B asked C (the request crossed A)
        assertThat(c.relay.upstreamSubscribeCount()).isZero(); // C's upstream A is on the path: asked nobody
    }

    @Test
    void theHopBoundStopsAChain() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        final ClusterNode c = cluster.node();
        final String oneHop = "1";
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url,
            RelayConfiguration.CLUSTER_MAX_HOPS_PROP_NAME, oneHop));
        c.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, b.url,
            RelayConfiguration.CLUSTER_MAX_HOPS_PROP_NAME, oneHop));
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        publisher.track(NS, TRACK, 100);
        // One hop is allowed (B asks A for its own client) ...
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), new ClusterForwardingTest.Collector());
        // ... two are not: B does not forward C's request (C → B → A).
        final ExecutionException e = assertThrows(ExecutionException.class, () -> subscribe(c.connect(Draft.DRAFT_18),
            Filter.largestObject(), new ClusterForwardingTest.Collector()));
        assertThat(((RequestRejectedException)e.getCause()).errorCode()).isEqualTo(0x10L); // DOES_NOT_EXIST
    }
}
