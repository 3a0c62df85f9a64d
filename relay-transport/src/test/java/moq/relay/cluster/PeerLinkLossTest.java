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
 * A peer link whose session ends while the origin relay lives on (an idle timeout on a stalled host, a network blip):
 * the relay subscribes its tracks at the same origin again, so its subscribers keep their subscription (no PUBLISH_DONE
 * when the grace ends) and get the origin's objects again within 2 s, without subscribing again. Before, the upstream
 * subscription waited out the grace for a switchover that never came and then ended with GOING_AWAY.
 */
@Timeout(60)
class PeerLinkLossTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withRedis();

    @Test
    void aStaticUpstreamsTracksAreSubscribedAgainWhenTheLinkIsLost() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        subscribersKeepTheirSubscriptionAcrossALostLink(publisher.track(NS, TRACK, 100), b);
    }

    @Test
    void aRedisOriginsTracksAreSubscribedAgainWhenTheLinkIsLost() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode b = cluster.redisNode();
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        await(() -> b.cluster().knowsOrigin(NS, a.url), "B to learn that A originates " + NS);
        subscribersKeepTheirSubscriptionAcrossALostLink(publisher.track(NS, TRACK, 100), b);
    }

    private static void subscribersKeepTheirSubscriptionAcrossALostLink(final TrackPublisher track, final ClusterNode b)
        throws Exception
    {
        final ClusterForwardingTest.Collector subscriber = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), subscriber);
        publishGroup(track, 0, 5);
        await(() -> subscriber.objects.size() >= 5, "group 0 through the link");
        assertThat(subscriber.objects).containsExactlyElementsOf(expected(0, 0, 5));

        b.cluster().dropLinkSessions();
        final long droppedAt = System.nanoTime();
        // Groups keep coming at 10 a second, as a live track's would; those sent while the link was down are lost.
        long g = 1;
        long firstAfter = -1;
        while (System.nanoTime() - droppedAt < TimeUnit.SECONDS.toNanos(2))
        {
            publishGroup(track, g, 5);
            final long sent = g++;
            Thread.sleep(100);
            if (subscriber.objects.stream().anyMatch(o -> o.startsWith(sent + "/")))
            {
                firstAfter = sent;
                break;
            }
        }
        assertThat(firstAfter).as("a group published after the link was lost reached B's subscriber within 2 s")
            .isPositive();
        // The grace (the cluster TTL, 3 s) passes: the subscription must not end, and every later group arrives whole.
        Thread.sleep(RelayConfiguration.CLUSTER_TTL_DEFAULT.toMillis() + 500);
        final long last = g + 2;
        for (; g <= last; g++)
        {
            publishGroup(track, g, 5);
        }
        // The group first seen may have been joined part-way; every one after it is whole and in order.
        final long from = firstAfter + 1;
        await(() -> subscriber.objects.containsAll(expected(from, last, 5)), "every group after the relink");
        assertThat(subscriber.done).as("no PUBLISH_DONE at B's subscriber").isNotDone();
        assertThat(subscriber.objects.subList(subscriber.objects.indexOf(expected(from, from, 5).get(0)),
            subscriber.objects.size())).containsExactlyElementsOf(expected(from, last, 5));
        assertThat(b.relay.upstreamSubscribeCount()).as("the engine subscribed upstream once").isEqualTo(1);
    }
}
