package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import moq.relay.client.FetchListener;
import moq.relay.client.FetchResult;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;

/**
 * Upstream FETCH across relays (real Redis): a FETCH at relay B of groups B never cached, or older than B's cache, goes
 * to the track's origin relay A as a FETCH on B's peer session and A's answer is relayed, byte-exact and in order, to
 * the requester of any draft.
 */
@Timeout(60)
class ClusterUpstreamFetchTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withRedis();
    ClusterNode a;
    ClusterNode b;

    @BeforeEach
    void start()
    {
        a = cluster.redisNode();
        b = cluster.redisNode();
    }

    /** Records a fetch's objects ("g/o=payload"), End of Range markers and its end. */
    static final class Fetched implements FetchListener
    {
        final List<String> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Boolean> ended = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.add(o.groupId() + "/" + o.objectId() + "=" + new String(o.payloadBytes(), StandardCharsets.UTF_8));
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            objects.add((unknown ? "unknown.." : "none..") + groupId + "/" + objectId);
        }

        @Override
        public void onComplete()
        {
            ended.complete(true);
        }

        @Override
        public void onAborted(final String why)
        {
            ended.complete(false);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_14", "DRAFT_18", "DRAFT_20"})
    void aFetchBeyondTheLocalCacheIsAnsweredByTheOriginRelay(final Draft draft) throws Exception
    {
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        await(() -> b.cluster().knowsOrigin(NS, a.url), "B to learn that A originates " + NS);
        // A subscriber on A makes A cache the track (its publisher serves no FETCH itself).
        final ClusterForwardingTest.Collector atOrigin = new ClusterForwardingTest.Collector();
        ClusterForwardingTest.subscribe(a.connect(Draft.DRAFT_18), Filter.largestObject(), atOrigin);
        final int perGroup = 10;
        for (long g = 0; g < 3; g++)
        {
            publishGroup(track, g, perGroup);
        }

        // B has never seen the track: the whole range comes from A.
        final MoqClient requester = b.connect(draft);
        final Fetched first = new Fetched();
        final FetchResult ok = requester.fetch(NS, TRACK, new Location(0, 0), new Location(2, 0), first)
            .get(10, TimeUnit.SECONDS);
        assertThat(ok.endLocation()).as("the whole of group 2, clipped by A to its largest object")
            .isEqualTo(new Location(2, perGroup));
        assertThat(first.ended.get(10, TimeUnit.SECONDS)).as("FIN after the last object").isTrue();
        assertThat(first.objects).containsExactlyElementsOf(expected(0, 2, perGroup));

        // A subscriber on B makes B cache the track from group 3 on; a FETCH from group 1 reaches before that cache.
        final ClusterForwardingTest.Collector live = new ClusterForwardingTest.Collector();
        ClusterForwardingTest.subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), live);
        publishGroup(track, 3, perGroup);
        publishGroup(track, 4, perGroup);
        await(() -> live.objects.size() >= 2 * perGroup, "groups 3 and 4 on B");
        final Fetched second = new Fetched();
        requester.fetch(NS, TRACK, new Location(1, 0), new Location(4, perGroup), second).get(10, TimeUnit.SECONDS);
        assertThat(second.ended.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.objects).containsExactlyElementsOf(expected(1, 4, perGroup));

        // Within B's cache: served by B.
        final Fetched third = new Fetched();
        requester.fetch(NS, TRACK, new Location(3, 2), new Location(4, 0), third).get(10, TimeUnit.SECONDS);
        assertThat(third.ended.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(third.objects).containsExactlyElementsOf(expected(3, 4, perGroup).subList(2, 2 * perGroup));
    }
}
