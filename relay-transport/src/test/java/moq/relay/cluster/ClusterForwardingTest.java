package moq.relay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * Three relays on loopback that find each other through a real Redis: a publisher on A, subscribers on B and C (both
 * drafts) get every object byte-exact and in order through one upstream subscription per track per relay; a late
 * joiner on C is served from C's cache; the publisher's PUBLISH_DONE reaches every relay's subscribers.
 */
@Timeout(60)
class ClusterForwardingTest
{
    static final TrackNamespace NS = TrackNamespace.of("live", "room1");
    static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withRedis();

    /** Collects one subscriber's objects (payload text "g/o") and its PUBLISH_DONE. */
    static final class Collector implements SubscriptionListener
    {
        final List<String> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        /** Subgroup streams that ended with a FIN ("g/sg"), as the forwarding relays closed them. */
        final List<String> fins = new CopyOnWriteArrayList<>();

        @Override
        public void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
        {
            if (!reset)
            {
                fins.add(groupId + "/" + subgroupId);
            }
        }

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.add(o.groupId() + "/" + o.objectId() + "=" + new String(o.payloadBytes(), StandardCharsets.UTF_8));
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            done.complete(statusCode);
        }
    }

    static Subscription subscribe(final MoqClient c, final Filter filter, final Collector into) throws Exception
    {
        return c.subscribe(NS, TRACK, SubscribeOptions.of(filter), into).get(10, TimeUnit.SECONDS);
    }

    static String payload(final long g, final long o)
    {
        return "g" + g + "o" + o + "-".repeat((int)(g * 7 + o) % 50); // varied lengths
    }

    static List<String> expected(final long fromGroup, final long toGroup, final int perGroup)
    {
        final List<String> out = new ArrayList<>();
        for (long g = fromGroup; g <= toGroup; g++)
        {
            for (long o = 0; o < perGroup; o++)
            {
                out.add(g + "/" + o + "=" + payload(g, o));
            }
        }
        return out;
    }

    static void publishGroup(final TrackPublisher track, final long g, final int perGroup)
    {
        final SubgroupWriter w = track.openSubgroup(g, 0);
        for (long o = 0; o < perGroup; o++)
        {
            w.write(o, Unpooled.wrappedBuffer(payload(g, o).getBytes(StandardCharsets.UTF_8)));
        }
        w.close();
    }

    /** Waits up to 20 s: generous, since a loaded 2-core CI box is slow; timing bounds are asserted separately. */
    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        await(condition, 20, what);
    }

    static void await(final BooleanSupplier condition, final int seconds, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void subscribersOnTwoOtherRelaysGetEveryObjectThroughOneUpstreamSubscriptionEach() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode b = cluster.redisNode();
        final ClusterNode c = cluster.redisNode();

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        await(() -> b.cluster().knowsOrigin(NS, a.url) && c.cluster().knowsOrigin(NS, a.url),
            "B and C to learn that A originates " + NS);

        final List<Collector> collectors = new ArrayList<>();
        for (final ClusterNode n : List.of(b, c))
        {
            for (final Draft d : List.of(Draft.DRAFT_18, Draft.DRAFT_14, Draft.DRAFT_18))
            {
                final Collector col = new Collector();
                subscribe(n.connect(d), Filter.largestObject(), col);
                collectors.add(col);
            }
        }
        // One upstream SUBSCRIBE from each of B and C, however many subscribers they have; A's publisher got one.
        assertThat(b.relay.upstreamSubscribeCount()).isEqualTo(1);
        assertThat(c.relay.upstreamSubscribeCount()).isEqualTo(1);
        assertThat(a.relay.upstreamSubscribeCount()).isEqualTo(1);

        final int perGroup = 20;
        for (long g = 0; g < 5; g++)
        {
            publishGroup(track, g, perGroup);
        }
        final List<String> want = expected(0, 4, perGroup);
        for (final Collector col : collectors)
        {
            await(() -> col.objects.size() >= want.size(), "every object at every subscriber");
        }
        for (final Collector col : collectors)
        {
            assertThat(col.objects).containsExactlyElementsOf(want);
            // Each group's subgroup stream was closed (FIN) by B and C as the publisher closed it on A.
            await(() -> col.fins.size() >= 5, "the FIN of every subgroup stream");
            assertThat(col.fins).containsExactlyInAnyOrder("0/0", "1/0", "2/0", "3/0", "4/0");
        }

        // A late joiner on C is served from C's cache: no new upstream subscription.
        final Collector late = new Collector();
        subscribe(c.connect(Draft.DRAFT_18), Filter.absoluteStart(new Location(2, 0)), late);
        await(() -> late.objects.size() >= 3 * perGroup, "the cached groups 2..4 at the late joiner");
        assertThat(late.objects).containsExactlyElementsOf(expected(2, 4, perGroup));
        assertThat(c.relay.upstreamSubscribeCount()).isEqualTo(1);

        // A FETCH on C of groups that came from A is served from C's cache (end {3, 0}: the whole of group 3).
        final List<String> fetched = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> fetchDone = new CompletableFuture<>();
        c.connect(Draft.DRAFT_18).fetch(NS, TRACK, new Location(1, 0), new Location(3, 0),
            new moq.relay.client.FetchListener()
            {
                @Override
                public void onObject(final ReceivedObject o)
                {
                    fetched.add(o.groupId() + "/" + o.objectId() + "=" +
                        new String(o.payloadBytes(), StandardCharsets.UTF_8));
                }

                @Override
                public void onComplete()
                {
                    fetchDone.complete(null);
                }
            }).get(10, TimeUnit.SECONDS);
        fetchDone.get(10, TimeUnit.SECONDS);
        assertThat(fetched).containsExactlyElementsOf(expected(1, 3, perGroup));

        // The publisher ends the track on A: PUBLISH_DONE reaches the subscribers of B and C.
        track.finish(0x2, "bye");
        for (final Collector col : collectors)
        {
            assertThat(col.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x2L);
        }
    }

    @Test
    void aNamespaceNobodyPublishesIsRefusedAndAWithdrawnOneLeavesTheDirectory() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode b = cluster.redisNode();
        final MoqClient subscriber = b.connect(Draft.DRAFT_18);
        final ExecutionException nobody = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> subscribe(subscriber, Filter.largestObject(), new Collector()));
        assertThat(nobody.getCause()).isInstanceOf(RequestRejectedException.class);
        assertThat(((RequestRejectedException)nobody.getCause()).errorCode()).isEqualTo(0x10L); // DOES_NOT_EXIST

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final var published = publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        await(() -> b.cluster().knowsOrigin(NS, a.url), "B to learn of A's namespace");
        published.withdraw();
        await(() -> !b.cluster().knowsOrigin(NS, a.url), "B to learn that A withdrew it");
    }

    @Test
    void aNamespaceSubscriberOnAnotherRelaySeesTheNamespaceComeAndGo() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode c = cluster.redisNode();
        // The engine session a SUBSCRIBE_NAMESPACE of a client of C maps onto (the client has no SUBSCRIBE_NAMESPACE).
        final List<String> events = new CopyOnWriteArrayList<>();
        c.relay.openSession("namespace subscriber", 0).subscribeNamespace(1, TrackNamespace.of("live"),
            new moq.relay.engine.NamespaceListener()
            {
                @Override
                public void namespace(final TrackNamespace suffix)
                {
                    events.add("+" + suffix);
                }

                @Override
                public void namespaceDone(final TrackNamespace suffix)
                {
                    events.add("-" + suffix);
                }
            }, new moq.relay.engine.RequestCallback()
            {
                @Override
                public void ok()
                {
                }

                @Override
                public void error(final moq.relay.engine.RequestErrorCode code, final String reason)
                {
                    events.add("error " + code);
                }
            });
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final var published = publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        await(() -> events.size() >= 1, "NAMESPACE on C");
        published.withdraw();
        await(() -> events.size() >= 2, "NAMESPACE_DONE on C");
        assertThat(events).containsExactly("+" + TrackNamespace.of("room1"), "-" + TrackNamespace.of("room1"));
    }

    @Test
    void trackStatusOnAnotherRelayIsAnsweredByTheOrigin() throws Exception
    {
        final ClusterNode a = cluster.redisNode();
        final ClusterNode c = cluster.redisNode();
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Collector local = new Collector();
        subscribe(a.connect(Draft.DRAFT_18), Filter.largestObject(), local); // so that A has the track's objects
        publishGroup(track, 0, 5);
        publishGroup(track, 1, 5);
        await(() -> local.objects.size() >= 10, "the objects at A");
        await(() -> c.cluster().knowsOrigin(NS, a.url), "C to learn of A's namespace");

        // TRACK_STATUS of a client of C, as its session maps it onto the engine (the client has no TRACK_STATUS).
        final CompletableFuture<Object> answer = new CompletableFuture<>();
        c.relay.openSession("track status", 0).trackStatus(new moq.relay.engine.FullTrackName(NS, TRACK),
            new moq.relay.engine.TrackStatusCallback()
            {
                @Override
                public void ok(final Location largest, final boolean endOfTrack,
                    final List<moq.relay.wire.KeyValuePair> trackProperties)
                {
                    answer.complete(largest);
                }

                @Override
                public void error(final moq.relay.engine.RequestErrorCode code, final String reason)
                {
                    answer.complete(code + " " + reason);
                }
            });
        assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo(new Location(1, 4));
    }
}
