package moq.relay.cluster;

import static moq.relay.cluster.ClusterForwardingTest.NS;
import static moq.relay.cluster.ClusterForwardingTest.TRACK;
import static moq.relay.cluster.ClusterForwardingTest.await;
import static moq.relay.cluster.ClusterForwardingTest.expected;
import static moq.relay.cluster.ClusterForwardingTest.publishGroup;
import static moq.relay.cluster.StaticUpstreamDiscoveryTest.ns;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import moq.relay.client.MoqClient;
import moq.relay.client.PrefixSubscription;
import moq.relay.client.TrackOffer;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.RelayObserver;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.Session;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * A relay's upstream SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS at its static upstream switching prefix (a wider one
 * wanted covers the narrower one it holds, or the other way round) against a real upstream relay: the upstream never
 * refuses the new request PREFIX_OVERLAP (the relay sends it only once the upstream has let go of the old one), so
 * discovery has no one-second gap of a retry; and a track mirrored by SUBSCRIBE_TRACKS that a downstream holds with
 * Forward=0 lives on after the SUBSCRIBE_TRACKS ends (docs/cluster.md "Static upstreams").
 */
@Timeout(60)
class UpstreamPrefixSwitchTest
{
    @RegisterExtension
    final ClusterNodes cluster = ClusterNodes.withoutRedis();

    /** Every SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS answer on a relay: "KIND prefix OK|ERROR_CODE". */
    static List<String> prefixAnswers(final ClusterNode node)
    {
        final List<String> answers = new CopyOnWriteArrayList<>();
        node.relay.observer(RelayObserver.both(node.relay.observer(), new RelayObserver()
        {
            @Override
            public void requestAnswered(final Session session, final RequestKind kind, final TrackNamespace namespace,
                final Bytes track, final RequestErrorCode error)
            {
                if (kind == RequestKind.SUBSCRIBE_NAMESPACE || kind == RequestKind.SUBSCRIBE_TRACKS)
                {
                    answers.add(kind + " " + namespace + " " + (error == null ? "OK" : error.name()));
                }
            }
        }));
        return answers;
    }

    /**
     * Narrower, then at once wider: B's request for the narrower prefix is still unanswered at A when the wider one is
     * wanted (the case that made A see both and refuse the second); then wider, then narrower again once the wider goes.
     */
    @ParameterizedTest(name = "downstream draft {0}, link {1}")
    @CsvSource({"DRAFT_18, ''", "DRAFT_20, ''", "DRAFT_14, ?draft=14"})
    void aSubscribeNamespaceSwitchesPrefixWithoutARefusal(final Draft draft, final String link) throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url + link));
        final List<String> atA = prefixAnswers(a);
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.publishNamespace(TrackNamespace.of("live", "room1", "cam")).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(TrackNamespace.of("live", "room2")).get(10, TimeUnit.SECONDS);

        // Two subscribers (one session may not hold overlapping prefixes itself), asking back to back.
        final MoqClient first = b.connect(draft);
        final MoqClient second = b.connect(draft);
        final StaticUpstreamDiscoveryTest.Events narrow = new StaticUpstreamDiscoveryTest.Events();
        final StaticUpstreamDiscoveryTest.Events wide = new StaticUpstreamDiscoveryTest.Events();
        final CompletableFuture<PrefixSubscription> room = first.subscribeNamespace(
            TrackNamespace.of("live", "room1"), narrow);
        final CompletableFuture<PrefixSubscription> live = second.subscribeNamespace(TrackNamespace.of("live"), wide);
        room.get(10, TimeUnit.SECONDS);
        live.get(10, TimeUnit.SECONDS);
        await(() -> wide.events.contains("+" + ns("room1", "cam")) && wide.events.contains("+" + ns("room2")),
            "A's namespaces at B's wider subscriber");
        await(() -> narrow.events.contains("+" + ns("cam")), "live/room1/cam at B's narrower subscriber");
        await(() -> atA.contains("SUBSCRIBE_NAMESPACE " + ns("live") + " OK"), "A to accept B's wider request");
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_NAMESPACE " + ns("live"));
        // A namespace published now is discovered through the wider request.
        publisher.publishNamespace(TrackNamespace.of("live", "room3")).get(10, TimeUnit.SECONDS);
        await(() -> wide.events.contains("+" + ns("room3")), "a new namespace at B's wider subscriber");

        // The wider one goes: B asks for the narrower prefix again, A refuses nothing, room1/cam does not flap.
        live.get().cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().equals(
            List.of("SUBSCRIBE_NAMESPACE " + ns("live", "room1"))), "B's request for live/room1 only");
        await(() -> atA.lastIndexOf("SUBSCRIBE_NAMESPACE " + ns("live", "room1") + " OK") >
            atA.indexOf("SUBSCRIBE_NAMESPACE " + ns("live") + " OK"), "A to accept B's narrower request again");
        publisher.publishNamespace(TrackNamespace.of("live", "room1", "mic")).get(10, TimeUnit.SECONDS);
        await(() -> narrow.events.contains("+" + ns("mic")), "a new namespace through the narrower request");
        assertThat(narrow.events).containsExactly("+" + ns("cam"), "+" + ns("mic"));
        assertThat(atA).allMatch(x -> x.endsWith(" OK"), "no request of B refused at A");
    }

    /** The same switch of SUBSCRIBE_TRACKS: B's wider request is accepted and offers A's tracks under it. */
    @ParameterizedTest(name = "downstream draft {0}")
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_20"})
    void aSubscribeTracksSwitchesPrefixWithoutARefusal(final Draft draft) throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));
        final List<String> atA = prefixAnswers(a);
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.track(NS, TRACK, 100).publish().get(10, TimeUnit.SECONDS);
        publisher.track(TrackNamespace.of("live", "room2"), TRACK, 100).publish().get(10, TimeUnit.SECONDS);

        final MoqClient first = b.connect(draft);
        final MoqClient second = b.connect(draft);
        final List<String> narrow = new CopyOnWriteArrayList<>();
        final List<String> wide = new CopyOnWriteArrayList<>();
        final CompletableFuture<PrefixSubscription> room = first.subscribeTracks(NS, offer ->
        {
            narrow.add(offer.namespace().toString());
            return new ClusterForwardingTest.Collector();
        });
        final CompletableFuture<PrefixSubscription> live = second.subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            wide.add(offer.namespace().toString());
            return new ClusterForwardingTest.Collector();
        });
        room.get(10, TimeUnit.SECONDS);
        live.get(10, TimeUnit.SECONDS);
        await(() -> wide.contains(NS.toString()) && wide.contains(TrackNamespace.of("live", "room2").toString()),
            "A's tracks offered to B's wider subscriber");
        await(() -> atA.contains("SUBSCRIBE_TRACKS " + ns("live") + " OK"), "A to accept B's wider request");
        // B offers a track after its SUBSCRIBE_TRACKS_OK, on its own request stream: not ordered with the OK.
        await(() -> narrow.contains(NS.toString()), "A's track offered to B's narrower subscriber");
        assertThat(narrow).containsExactly(NS.toString());
        assertThat(b.cluster().upstreamDiscoveryRequests()).containsExactly("SUBSCRIBE_TRACKS " + ns("live"));
        publisher.track(TrackNamespace.of("live", "room3"), TRACK, 100).publish().get(10, TimeUnit.SECONDS);
        await(() -> wide.contains(TrackNamespace.of("live", "room3").toString()),
            "a track published now offered through the wider request");
        assertThat(atA).allMatch(x -> x.endsWith(" OK"), "no request of B refused at A");
    }

    /**
     * A downstream accepted a mirrored track with Forward=0: its SUBSCRIBE_TRACKS ending (and with it B's at A) does
     * not end that subscription; it can still ask for the objects, and it ends when the publisher ends the track.
     */
    @ParameterizedTest(name = "downstream draft {0}")
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_20"})
    void aForwardZeroHolderKeepsAMirroredTrackAfterItsSubscribeTracksEnds(final Draft draft) throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        track.publish().get(10, TimeUnit.SECONDS);

        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        final ClusterForwardingTest.Collector objects = new ClusterForwardingTest.Collector();
        final PrefixSubscription tracks = b.connect(draft).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offer.forward(false);
            offers.add(offer);
            return objects;
        }).get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "B's PUBLISH of A's track");
        offers.get(0).accepted().get(10, TimeUnit.SECONDS);

        tracks.cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().isEmpty(), "B's SUBSCRIBE_TRACKS at A to end");
        Thread.sleep(1500);
        assertThat(objects.done).as("PUBLISH_DONE at the Forward=0 holder").isNotDone();
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);

        // Still a subscription: Forward=1 brings A's objects.
        offers.get(0).forward(true);
        final long[] group = {0};
        await(() ->
        {
            publishGroup(track, group[0]++, 3);
            sleep(100);
            return !objects.objects.isEmpty();
        }, "A's objects at the holder once it forwards");
        final long next = group[0];
        publishGroup(track, next, 3);
        await(() -> objects.objects.containsAll(expected(next, next, 3)), "group " + next + " at the holder");

        // The publisher ends the track: PUBLISH_DONE reaches the holder, and B's mirror goes.
        track.finish(0x2, "bye");
        assertThat(objects.done.get(10, TimeUnit.SECONDS)).isEqualTo(0x2L);
        await(() -> b.cluster().upstreamMirrors() == 0, "B's mirror of the track to go");
    }

    /** The holder leaves: B's mirror, covered by no request and held by nobody, goes. */
    @ParameterizedTest(name = "downstream draft {0}")
    @EnumSource(value = Draft.class, names = {"DRAFT_18"})
    void aMirroredTrackGoesWithItsLastForwardZeroHolder(final Draft draft) throws Exception
    {
        final ClusterNode a = cluster.node();
        final ClusterNode b = cluster.node();
        b.startCluster(Map.of(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, a.url));
        final MoqClient publisher = a.connect(Draft.DRAFT_18);
        publisher.track(NS, TRACK, 100).publish().get(10, TimeUnit.SECONDS);

        final List<TrackOffer> offers = new CopyOnWriteArrayList<>();
        final PrefixSubscription tracks = b.connect(draft).subscribeTracks(TrackNamespace.of("live"), offer ->
        {
            offer.forward(false);
            offers.add(offer);
            return new ClusterForwardingTest.Collector();
        }).get(10, TimeUnit.SECONDS);
        await(() -> !offers.isEmpty(), "B's PUBLISH of A's track");
        offers.get(0).accepted().get(10, TimeUnit.SECONDS);
        tracks.cancel();
        await(() -> b.cluster().upstreamDiscoveryRequests().isEmpty(), "B's SUBSCRIBE_TRACKS at A to end");
        Thread.sleep(300);
        assertThat(b.cluster().upstreamMirrors()).isEqualTo(1);

        offers.get(0).subscription().unsubscribe();
        await(() -> b.cluster().upstreamMirrors() == 0, "B's mirror to go with its last holder");
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
