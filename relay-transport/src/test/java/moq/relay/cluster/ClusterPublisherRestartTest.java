package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * A publisher that restarts on its origin relay while its old session lingers (docs/engine.md "A restart beside a
 * lingering session") is heard on another relay of the cluster too: B's subscribers of the track get PUBLISH_DONE, B's
 * namespace subscribers hear the namespace withdrawn and published again (what makes a draft-14 watcher reload the
 * broadcast), and subscribing again on B gets the new publisher's objects through A.
 */
@Timeout(60)
class ClusterPublisherRestartTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withRedis();

    @Test
    void aRestartOnTheOriginIsHeardByAnotherRelaysSubscribers() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode b = cluster.redisNode();
        final MoqClient lingering = a.connect(Draft.DRAFT_18);
        final TrackPublisher oldTrack = lingering.track(NS, TRACK, 100);
        lingering.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        await(() -> b.cluster().knowsOrigin(NS, a.url), "B to learn that A originates " + NS);

        final MoqClient watcher = b.connect(Draft.DRAFT_18);
        final StaticUpstreamDiscoveryTest.Events heard = new StaticUpstreamDiscoveryTest.Events();
        watcher.subscribeNamespace(TrackNamespace.of("live"), heard).get(10, TimeUnit.SECONDS);
        final String room = "+" + StaticUpstreamDiscoveryTest.ns("room1");
        await(() -> heard.events.contains(room), "the namespace at B's watcher");
        final ClusterForwardingTest.Collector stayed = new ClusterForwardingTest.Collector();
        subscribe(watcher, Filter.largestObject(), stayed);
        oldTrack.firstSubscriber().get(10, TimeUnit.SECONDS);
        publishGroup(oldTrack, 5, 3);
        await(() -> stayed.objects.size() >= 3, "the old publisher's group at B");

        // The old session stays open; a new session of the same publisher publishes again from group 0.
        final MoqClient restarted = a.connect(Draft.DRAFT_18);
        final TrackPublisher newTrack = restarted.track(NS, TRACK, 100);
        restarted.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        assertThat(stayed.done.get(10, TimeUnit.SECONDS)).as("PUBLISH_DONE TRACK_ENDED at B").isEqualTo(0x2L);
        final String gone = "-" + StaticUpstreamDiscoveryTest.ns("room1");
        await(() -> heard.events.contains(gone) && heard.events.lastIndexOf(room) > heard.events.indexOf(gone),
            "the namespace withdrawn and published again at B's watcher, heard " + heard.events);

        final ClusterForwardingTest.Collector again = new ClusterForwardingTest.Collector();
        subscribe(watcher, Filter.largestObject(), again);
        await(() -> newTrack.subscriberCount() == 1, "A's subscription to the new publisher");
        publishGroup(newTrack, 0, 3);
        await(() -> again.objects.size() >= 3, "the new publisher's group at B");
        assertThat(again.objects).containsExactlyElementsOf(expected(0, 0, 3));
    }
}
