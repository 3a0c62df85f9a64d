package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.ClusterForwardingTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.PrefixSubscription;
import moq.relay.client.PublishedNamespace;
import moq.relay.client.Subscription;
import moq.relay.client.TrackOffer;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.param.PropertyType;

/**
 * What static upstreams (no Redis) carry besides SUBSCRIBE: SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS forwarded to the
 * upstream and its answers relayed as they come and go (loop-free in a ring), mirrored tracks answering SUBSCRIBE_OK
 * and TRACK_STATUS with the origin's Largest Location and Track Properties, and peer links closed once idle.
 */
@Timeout(60)
class StaticUpstreamDiscoveryTest
{
    static final List<KeyValuePair> PROPERTIES = List.of(
        KeyValuePair.ofVarint(PropertyType.DEFAULT_PUBLISHER_PRIORITY, 7),
        KeyValuePair.ofVarint(PropertyType.DEFAULT_PUBLISHER_GROUP_ORDER, 1));

    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withoutRedis();

    /** NAMESPACE ("+suffix") and NAMESPACE_DONE ("-suffix") in arrival order. */
    static final class Events implements PrefixSubscription.NamespaceListener
    {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onNamespace(final TrackNamespace suffix)
        {
            events.add("+" + suffix);
        }

        @Override
        public void onNamespaceDone(final TrackNamespace suffix)
        {
            events.add("-" + suffix);
        }
    }

    static String ns(final String... fields)
    {
        return TrackNamespace.of(fields).toString();
    }

    @Test
    void subscribeNamespaceOnBFollowsTheNamespacesOfItsStaticUpstream() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient before = a.connect(Draft.DRAFT_18);
        before.publishNamespace(TrackNamespace.of("live", "early")).get(10, TimeUnit.SECONDS);
        final Events onB = new Events();
        final PrefixSubscription sub = b.connect(Draft.DRAFT_18).subscribeNamespace(TrackNamespace.of("live"), onB)
            .get(10, TimeUnit.SECONDS);
        // What A published before, what it publishes later, and B's own, each announced once.
        await(() -> onB.events.contains("+" + ns("early")), "A's earlier namespace at B's subscriber");
        final PublishedNamespace room1 = a.connect(Draft.DRAFT_18).publishNamespace(NS).get(10, TimeUnit.SECONDS);
        await(() -> onB.events.contains("+" + ns("room1")), "A's new namespace at B's subscriber");
        final MoqClient local = b.connect(Draft.DRAFT_18);
        final PublishedNamespace room2 = local.publishNamespace(TrackNamespace.of("live", "room2"))
            .get(10, TimeUnit.SECONDS);
        await(() -> onB.events.contains("+" + ns("room2")), "B's local namespace");
        // Published on both relays: one NAMESPACE, and no NAMESPACE_DONE until both withdrew it.
        final PublishedNamespace room1Local = local.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        a.connect(Draft.DRAFT_18).publishNamespace(TrackNamespace.of("other", "x")).get(10, TimeUnit.SECONDS);
        room1.withdraw();
        Thread.sleep(300);
        assertThat(onB.events).doesNotContain("-" + ns("room1"));
        room1Local.withdraw();
        await(() -> onB.events.contains("-" + ns("room1")), "NAMESPACE_DONE of room1 once both withdrew it");
        room2.withdraw();
        before.close();
        await(() -> onB.events.size() >= 6, "every NAMESPACE_DONE");
        assertThat(onB.events).containsExactlyInAnyOrder("+" + ns("early"), "+" + ns("room1"), "+" + ns("room2"),
            "-" + ns("room1"), "-" + ns("room2"), "-" + ns("early"));
        assertThat(onB.events.indexOf("+" + ns("room1"))).isLessThan(onB.events.indexOf("-" + ns("room1")));

        // A subscriber's track under a mirrored namespace is forwarded as before.
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        await(() -> onB.events.size() >= 7, "room1 again");
        final ClusterForwardingTest.Collector objects = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), objects);
        publishGroup(track, 0, 5);
        await(() -> objects.objects.size() >= 5, "objects at B");
        assertThat(objects.objects).containsExactlyElementsOf(expected(0, 0, 5));

        // The last SUBSCRIBE_NAMESPACE goes: B stops asking A and forgets what it mirrored.
        assertThat(b.cluster().upstreamMirrors()).isPositive();
        sub.cancel();
        await(() -> b.cluster().upstreamMirrors() == 0, "B's mirrors of A's namespaces to go");
    }

    @Test
    void theUpstreamIsAskedOnlyForThePrefixesDownstreamRequestsWant() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(TrackNamespace.of("live", "room1", "cam")).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(TrackNamespace.of("other", "x")).get(10, TimeUnit.SECONDS);
        final Events wide = new Events();
        final PrefixSubscription live = b.connect(Draft.DRAFT_18)
            .subscribeNamespace(TrackNamespace.of("live"), wide).get(10, TimeUnit.SECONDS);
        await(() -> wide.events.contains("+" + ns("room1", "cam")), "A's namespace under live at B");
        Thread.sleep(300);
        // Only what B's subscriber wants is copied from A: not other/x.
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_NAMESPACE " + ns("live"));

        // A narrower prefix is served by the wider request (no second, overlapping one).
        final Events narrow = new Events();
        final PrefixSubscription room = b.connect(Draft.DRAFT_18)
            .subscribeNamespace(TrackNamespace.of("live", "room1"), narrow).get(10, TimeUnit.SECONDS);
        await(() -> narrow.events.contains("+" + ns("cam")), "live/room1/cam at the narrower subscriber");
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_NAMESPACE " + ns("live"));

        // The wider one goes: B asks for the narrower prefix instead; what it mirrored stays without a flap.
        live.cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().equals(
            List.of("SUBSCRIBE_NAMESPACE " + ns("live", "room1"))), "B's request for live/room1 only");
        Thread.sleep(1500); // past the sweep of what the new request did not announce again
        assertThat(narrow.events).containsExactly("+" + ns("cam"));
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);
        publisher.publishNamespace(TrackNamespace.of("live", "room1", "mic")).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(TrackNamespace.of("live", "room2")).get(10, TimeUnit.SECONDS);
        await(() -> narrow.events.contains("+" + ns("mic")), "a new namespace through the narrower request");
        Thread.sleep(300);
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(2); // not live/room2

        // Disjoint prefixes: one request each; none left once no downstream request wants one.
        final PrefixSubscription other = b.connect(Draft.DRAFT_18)
            .subscribeNamespace(TrackNamespace.of("other"), new Events()).get(10, TimeUnit.SECONDS);
        await(() -> b.cluster().upstreamMirrors() == 3, "other/x mirrored for the new subscriber");
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactlyInAnyOrder(
            "SUBSCRIBE_NAMESPACE " + ns("live", "room1"), "SUBSCRIBE_NAMESPACE " + ns("other"));
        room.cancel();
        other.cancel();
        await(() -> b.cluster().upstreamMirrors() == 0 && b.cluster().upstreamDiscoveryRequests().isEmpty(),
            "no request and no mirror at B");
    }

    @Test
    void subscribeTracksAsksTheUpstreamForItsPrefixOnly() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.track(NS, TRACK, 100).publish().get(10, TimeUnit.SECONDS);
        publisher.track(TrackNamespace.of("other", "x"), TRACK, 100).publish().get(10, TimeUnit.SECONDS);
        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        b.connect(Draft.DRAFT_18).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offers.add(offer);
            return new ClusterForwardingTest.Collector();
        }).get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "B's PUBLISH of A's track under live");
        Thread.sleep(300);
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1); // not other/x's track
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_TRACKS " + ns("live"));
    }

    @Test
    void aTrackMirroredBySubscribeTracksLivesOnWhileAPlainSubscriberHoldsIt() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        final PrefixSubscription tracks = b.connect(Draft.DRAFT_18).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offers.add(offer);
            return new ClusterForwardingTest.Collector();
        }).get(10, TimeUnit.SECONDS);
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        track.publish().get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "B's PUBLISH of A's track");
        offers.get(0).accepted().get(10, TimeUnit.SECONDS);

        // A plain SUBSCRIBE on B joins the mirrored track.
        final ClusterForwardingTest.Collector plain = new ClusterForwardingTest.Collector();
        final Subscription s = subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), plain);
        final long[] group = {0};
        await(() ->
        {
            publishGroup(track, group[0]++, 3);
            sleep(100);
            return !plain.objects.isEmpty();
        }, "A's objects at B's plain subscriber");

        // The SUBSCRIBE_TRACKS ends: the track the plain subscriber holds carries on.
        tracks.cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().isEmpty(), "B's SUBSCRIBE_TRACKS at A to end");
        Thread.sleep(300);
        final long next = group[0];
        publishGroup(track, next, 3);
        await(() -> plain.objects.containsAll(expected(next, next, 3)), "group " + next + " at the plain subscriber");
        assertThat(plain.done).isNotDone();
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);

        // Its subscribers leave (the plain one, and the offer's, which outlived its SUBSCRIBE_TRACKS): it goes.
        s.unsubscribe();
        offers.get(0).subscription().unsubscribe();
        await(() -> b.cluster().upstreamMirrors() == 0, "B's mirror to go with its last subscriber");
    }

    @Test
    void aDraft14StaticUpstreamIsAskedWithItsSubscribeNamespace() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url + "?draft=14"));

        final Events onB = new Events();
        final PrefixSubscription sub = b.connect(Draft.DRAFT_18).subscribeNamespace(TrackNamespace.of("live"), onB)
            .get(10, TimeUnit.SECONDS);
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final PublishedNamespace room1 = publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        a.connect(Draft.DRAFT_18).publishNamespace(TrackNamespace.of("other", "x")).get(10, TimeUnit.SECONDS);
        await(() -> onB.events.contains("+" + ns("room1")), "A's namespace at B's subscriber, through draft 14");
        assertThat(b.cluster().linkDrafts()).containsExactly(Draft.DRAFT_14);
        Thread.sleep(300);
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_NAMESPACE " + ns("live"));
        // Draft 14 has no SUBSCRIBE_TRACKS: B's subscriber is answered, nothing is asked upstream.
        b.connect(Draft.DRAFT_18).subscribeTracks(TrackNamespace.of("live"), offer -> null).get(10, TimeUnit.SECONDS);
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_NAMESPACE " + ns("live"));

        // A track under the mirrored namespace is subscribed over the draft-14 link.
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final ClusterForwardingTest.Collector objects = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), objects);
        publishGroup(track, 0, 5);
        await(() -> objects.objects.size() >= 5, "objects at B");
        assertThat(objects.objects).containsExactlyElementsOf(expected(0, 0, 5));

        // PUBLISH_NAMESPACE_DONE on A reaches B's subscriber; the last SUBSCRIBE_NAMESPACE ends B's at A.
        room1.withdraw();
        await(() -> onB.events.contains("-" + ns("room1")), "NAMESPACE_DONE of room1 at B");
        sub.cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().isEmpty() && b.cluster().upstreamMirrors() == 0,
            "B's SUBSCRIBE_NAMESPACE at A to end");
    }

    /** Properties of draft 18 ({0x02: 100}, Immutable {0x3C: 1, 0x3D: "x"}, {0x41: "hi"}, {0x70: 300}): the block
     * of {@code CrossDraftPropertiesTest}, written by hand from the texts, and the same block in draft 14's form. */
    private static final byte[] DRAFT18_BLOCK = hex("0264 0905 3c01 010178 36026869 2f812c");
    private static final byte[] DRAFT18_AS_14 = hex("024064 0b05 3c01 3d0178 4041026869 4070412c");

    private static byte[] hex(final String hex)
    {
        return moq.relay.wire.Bytes.fromHex(hex.replace(" ", "")).toByteArray();
    }

    /** Each object's properties ("g/o=hex"), as a subscription or fetch received them. */
    static final class Properties implements moq.relay.client.SubscriptionListener, moq.relay.client.FetchListener
    {
        final List<String> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onObject(final moq.relay.client.ReceivedObject o)
        {
            objects.add(o.groupId() + "/" + o.objectId() + "=" + moq.relay.wire.Bytes.wrap(o.properties()).hex());
        }

        @Override
        public void onComplete()
        {
            complete.complete(null);
        }

        @Override
        public void onAborted(final String why)
        {
            complete.completeExceptionally(new AssertionError(why));
        }
    }

    /**
     * Over a draft-14 link the objects carry draft-14 Extension Headers: B stores them as such, so its draft-18
     * subscribers get the publisher's draft-18 properties back, and its draft-14 subscribers draft 14's form, live and
     * through B's upstream FETCH of a group it never had.
     */
    @Test
    void propertiesCrossADraft14LinkInTheirSubscribersEncoding() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url + "?draft=14"));
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        // Group 0 before anyone on B subscribed: A's cache has it (a subscriber on A makes A cache the track; the
        // client's publisher serves no FETCH itself), B's never will.
        subscribe(a.connect(Draft.DRAFT_18), Filter.largestObject(), new ClusterForwardingTest.Collector());
        track.firstSubscriber().get(10, TimeUnit.SECONDS);
        final var g0 = track.openSubgroup(0, 0, -1, true);
        g0.write(0, DRAFT18_BLOCK, io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {1}));
        g0.close();

        final Properties on18 = new Properties();
        final Properties on14 = new Properties();
        b.connect(Draft.DRAFT_18).subscribe(NS, TRACK, moq.relay.client.SubscribeOptions.LATEST, on18)
            .get(10, TimeUnit.SECONDS);
        b.connect(Draft.DRAFT_14).subscribe(NS, TRACK, moq.relay.client.SubscribeOptions.LATEST, on14)
            .get(10, TimeUnit.SECONDS);
        assertThat(b.cluster().linkDrafts()).containsExactly(Draft.DRAFT_14);
        final var g1 = track.openSubgroup(1, 0, -1, true);
        g1.write(0, DRAFT18_BLOCK, io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {2}));
        g1.close();
        await(() -> on18.objects.contains("1/0=" + moq.relay.wire.Bytes.wrap(DRAFT18_BLOCK).hex())
            && on14.objects.contains("1/0=" + moq.relay.wire.Bytes.wrap(DRAFT18_AS_14).hex()),
            "group 1 at B's subscribers in their drafts' encodings; got " + on18.objects + " and " + on14.objects);

        final Properties fetched = new Properties();
        b.connect(Draft.DRAFT_18).fetch(NS, TRACK, new Location(0, 0), new Location(0, 0), fetched)
            .get(10, TimeUnit.SECONDS);
        fetched.complete.get(10, TimeUnit.SECONDS);
        assertThat(fetched.objects).containsExactly("0/0=" + moq.relay.wire.Bytes.wrap(DRAFT18_BLOCK).hex());
    }

    @Test
    void aRingOfStaticUpstreamsAnnouncesEachNamespaceOnceAndNothingCircles() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        a.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, b.url));
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final Events onA = new Events();
        final Events onB = new Events();
        a.connect(Draft.DRAFT_18).subscribeNamespace(TrackNamespace.of("live"), onA).get(10, TimeUnit.SECONDS);
        b.connect(Draft.DRAFT_18).subscribeNamespace(TrackNamespace.of("live"), onB).get(10, TimeUnit.SECONDS);
        final PublishedNamespace fromA = a.connect(Draft.DRAFT_18).publishNamespace(TrackNamespace.of("live", "a"))
            .get(10, TimeUnit.SECONDS);
        b.connect(Draft.DRAFT_18).publishNamespace(TrackNamespace.of("live", "b")).get(10, TimeUnit.SECONDS);
        await(() -> onA.events.size() >= 2 && onB.events.size() >= 2, "both namespaces on both relays");
        Thread.sleep(500); // an echo would arrive by now
        assertThat(onA.events).containsExactlyInAnyOrder("+" + ns("a"), "+" + ns("b"));
        assertThat(onB.events).containsExactlyInAnyOrder("+" + ns("a"), "+" + ns("b"));
        // Each relay mirrors only the other's own namespace (nothing of its own came back through the other).
        assertThat(a.cluster().upstreamMirrors()).isEqualTo(1);
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);

        fromA.withdraw();
        await(() -> onB.events.contains("-" + ns("a")) && onA.events.contains("-" + ns("a")), "NAMESPACE_DONE of a");
        Thread.sleep(300);
        assertThat(onA.events).hasSize(3);
        assertThat(onB.events).hasSize(3);
    }

    @Test
    void subscribeTracksOnBIsOfferedTracksPublishedOnItsStaticUpstream() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        final ClusterForwardingTest.Collector objects = new ClusterForwardingTest.Collector();
        b.connect(Draft.DRAFT_18).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offers.add(offer);
            return objects;
        }).get(10, TimeUnit.SECONDS);

        // PUBLISH on A, no PUBLISH_NAMESPACE: only B's SUBSCRIBE_TRACKS at A can bring it to B.
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final TrackPublisher track = publisher.track(NS, TRACK, 100).trackProperties(PROPERTIES);
        track.publish().get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "B's PUBLISH of A's track");
        final TrackOffer offer = offers.get(0);
        assertThat(offer.namespace()).isEqualTo(NS);
        assertThat(offer.name()).isEqualTo(TRACK);
        assertThat(offer.trackProperties()).containsExactlyElementsOf(PROPERTIES);
        offer.accepted().get(10, TimeUnit.SECONDS);

        // Accepted with Forward=1 at B: B raises its own forward at A, and A's objects flow.
        final long[] group = {0};
        await(() ->
        {
            publishGroup(track, group[0]++, 3);
            sleep(100);
            return !objects.objects.isEmpty();
        }, "an object published on A at B's SUBSCRIBE_TRACKS subscriber");
        final long next = group[0];
        publishGroup(track, next, 3);
        await(() -> objects.objects.containsAll(expected(next, next, 3)), "group " + next + " at B");

        // The publisher ends the track: PUBLISH_DONE at B's subscriber, and B's mirror goes.
        track.finish(0x2, "bye");
        assertThat(objects.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x2L);
        await(() -> b.cluster().upstreamMirrors() == 0, "B's mirror of the track to go");
    }

    @Test
    void aTrackMirroredFromTheUpstreamAnswersWithTheOriginsLargestLocationAndProperties() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100).trackProperties(PROPERTIES);
        final ClusterForwardingTest.Collector local = new ClusterForwardingTest.Collector();
        subscribe(a.connect(Draft.DRAFT_18), Filter.largestObject(), local); // so that A holds the objects
        publishGroup(track, 0, 5);
        publishGroup(track, 1, 5);
        await(() -> local.objects.size() >= 10, "the objects at A");

        // TRACK_STATUS on B of a track B holds nothing of: asked at A.
        assertThat(trackStatus(b, NS)).isEqualTo(new Location(1, 4) + " " + PROPERTIES);

        // SUBSCRIBE on B: B's SUBSCRIBE_OK says what A's said.
        final Subscription s = subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(),
            new ClusterForwardingTest.Collector());
        assertThat(s.largest()).isEqualTo(new Location(1, 4));
        assertThat(s.trackProperties()).containsExactlyElementsOf(PROPERTIES);
        // And TRACK_STATUS on B, now answered from B's own track.
        assertThat(trackStatus(b, NS)).isEqualTo(new Location(1, 4) + " " + PROPERTIES);
    }

    @Test
    void aPeerLinkNoRequestUsesIsClosedAfterTheIdleTimeout() throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url,
            RelayConfiguration.CLUSTER_LINK_IDLE_TIMEOUT_PROP_NAME, "300ms"));

        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(10, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final ClusterForwardingTest.Collector first = new ClusterForwardingTest.Collector();
        final Subscription s = subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), first);
        assertThat(b.cluster().connectedLinks()).isEqualTo(1);
        Thread.sleep(1000); // well past the idle timeout: a link in use stays
        assertThat(b.cluster().connectedLinks()).isEqualTo(1);
        publishGroup(track, 0, 3);
        await(() -> first.objects.size() >= 3, "objects through the link");

        s.unsubscribe();
        final long start = System.nanoTime();
        await(() -> b.cluster().connectedLinks() == 0, "B to close its idle link to A");
        assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));

        // The next request connects again.
        final ClusterForwardingTest.Collector second = new ClusterForwardingTest.Collector();
        subscribe(b.connect(Draft.DRAFT_18), Filter.largestObject(), second);
        assertThat(b.cluster().connectedLinks()).isEqualTo(1);
        publishGroup(track, 1, 3);
        await(() -> second.objects.size() >= 3, "objects through the new link");
        assertThat(second.objects).containsExactlyElementsOf(expected(1, 1, 3));
    }

    /** TRACK_STATUS of a client of {@code node}, as its session maps it onto the engine: "largest properties". */
    static String trackStatus(final ClusterNode node, final TrackNamespace ns) throws Exception
    {
        final CompletableFuture<String> answer = new CompletableFuture<>();
        node.relay.openSession("track status", 0).trackStatus(new FullTrackName(ns, TRACK), new TrackStatusCallback()
        {
            @Override
            public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
            {
                answer.complete(largest + " " + properties);
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                answer.complete(code + " " + reason);
            }
        });
        return answer.get(10, TimeUnit.SECONDS);
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
