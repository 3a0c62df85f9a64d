package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.PublishDone;
import moq.relay.wire.d20.RequestError;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft 20's Range Filters and several subscriptions per track in one session, end to end over QUIC with the
 * project's draft-20 client (draft-21 §3.1, §3.3.2, §9.1.6): each subscription gets exactly the objects its filters
 * pass, on its own alias; more Ranges than the relay's MAX_FILTER_RANGES are INVALID_FILTER; drafts 18 and 14 still
 * refuse a second subscription of a track.
 */
class Draft20RangeFiltersTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "filters");
    private static final Bytes TRACK = Bytes.utf8("video");
    private static final long INVALID_FILTER = 0x36;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_MAX_FILTER_RANGES_PROP_NAME, "3"));
    private static final Path certDir = relay.certDir();

    /** group/subgroup/object of each object received, in arrival order. */
    private static final class Got implements SubscriptionListener
    {
        final List<String> objects = new CopyOnWriteArrayList<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.add(o.groupId() + "/" + o.subgroupId() + "/" + o.objectId());
        }
    }

    private static Parameter.Range filter(final ParameterType type, final int setId, final long... bounds)
    {
        final RangeFilter.Range[] ranges = new RangeFilter.Range[bounds.length / 2];
        for (int i = 0; i < ranges.length; i++)
        {
            ranges[i] = new RangeFilter.Range(bounds[2 * i], bounds[2 * i + 1]);
        }
        return new Parameter.Range(RangeFilter.of(type, setId, 0, ranges));
    }

    private TrackPublisher publisher(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        return publisher.track(NS, TRACK, 100);
    }

    /** Groups {@code first..last}, each with subgroups 0 and 1 of objects 0..2 (no status objects), then FIN. */
    private static void publish(final TrackPublisher track, final long first, final long last)
    {
        for (long g = first; g <= last; g++)
        {
            final SubgroupWriter s0 = track.openSubgroup(g, 0);
            final SubgroupWriter s1 = track.openSubgroup(g, 1);
            for (int o = 0; o < 3; o++)
            {
                s0.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
                s1.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)o}));
            }
            s0.close();
            s1.close();
        }
    }

    @Test
    void twoSubscriptionsWithDifferentFiltersOnOneSessionReceiveExactlyTheirObjects() throws Exception
    {
        final TrackPublisher track = publisher(Draft.DRAFT_20);
        final MoqClient subscriber = relay.connect(Draft.DRAFT_20);
        final Got firstObjects = new Got();
        final Got layerOne = new Got();
        subscriber.subscribeWithParameters(NS, TRACK, SubscribeOptions.LATEST, firstObjects,
            List.of(filter(ParameterType.OBJECTID_FILTER, 0, 0, 0))).get(5, TimeUnit.SECONDS);
        subscriber.subscribeWithParameters(NS, TRACK, SubscribeOptions.LATEST, layerOne,
            List.of(filter(ParameterType.SUBGROUP_FILTER, 0, 1, 1))).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        publish(track, 1, 2);
        RelayFixture.await(() -> firstObjects.objects.size() >= 4 && layerOne.objects.size() >= 6, "the objects");
        Thread.sleep(200); // nothing more arrives
        assertThat(firstObjects.objects).containsExactlyInAnyOrder("1/0/0", "1/1/0", "2/0/0", "2/1/0");
        // 1/1/0 and 2/1/0 pass both filters: each subscription gets its copy (§3.1).
        assertThat(layerOne.objects).containsExactlyInAnyOrder("1/1/0", "1/1/1", "1/1/2", "2/1/0", "2/1/1",
            "2/1/2");
    }

    @Test
    void moreRangesThanMaxFilterRangesAreInvalidFilterAndTheSessionGoesOn() throws Exception
    {
        final TrackPublisher track = publisher(Draft.DRAFT_20);
        final MoqClient subscriber = relay.connect(Draft.DRAFT_20);
        // Four Ranges in two filters: one past the relay's 3.
        assertThatThrownBy(() -> subscriber.subscribeWithParameters(NS, TRACK, SubscribeOptions.LATEST, new Got(),
            List.of(filter(ParameterType.OBJECTID_FILTER, 0, 0, 0, 2, 2, 4, 4),
                filter(ParameterType.SUBGROUP_FILTER, 0, 0, 0))).get(5, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(RequestRejectedException.class,
                e -> assertThat(e.errorCode()).as("INVALID_FILTER").isEqualTo(INVALID_FILTER));

        // Three are within it, and the session still serves.
        final Got got = new Got();
        subscriber.subscribeWithParameters(NS, TRACK, SubscribeOptions.LATEST, got,
            List.of(filter(ParameterType.OBJECTID_FILTER, 0, 0, 0, 2, 2), filter(ParameterType.SUBGROUP_FILTER, 0, 0,
                0))).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publish(track, 1, 1);
        RelayFixture.await(() -> got.objects.size() >= 2, "the objects");
        Thread.sleep(200);
        assertThat(got.objects).containsExactly("1/0/0", "1/0/2");
    }

    /**
     * §3.3.2: REQUEST_UPDATE replaces the filters it names (and keeps the others); past MAX_FILTER_RANGES it is
     * INVALID_FILTER, which ends the subscription with PUBLISH_DONE UPDATE_FAILED (§9.5.1).
     */
    @Test
    void anUpdateWithinMaxFilterRangesIsAcceptedAndOneBeyondItEndsTheSubscription() throws Exception
    {
        publisher(Draft.DRAFT_20);
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes stream = peer.request(new Subscribe(peer.nextRequestId(), NS, TRACK,
                MessageParameters.of(filter(ParameterType.OBJECTID_FILTER, 0, 0, 0),
                    new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT))));
            RelayFixture.await(() -> !messages(stream).isEmpty(), "the answer");
            assertThat(messages(stream).get(0)).isInstanceOf(SubscribeOk.class);

            // OBJECTID_FILTER replaced by two Ranges, SUBGROUP_FILTER added: 3 Ranges in all, the limit.
            stream.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(), MessageParameters.of(
                filter(ParameterType.OBJECTID_FILTER, 0, 1, 1, 3, 3),
                filter(ParameterType.SUBGROUP_FILTER, 0, 0, 0)))));
            RelayFixture.await(() -> messages(stream).size() >= 2, "the update's answer");
            assertThat(messages(stream).get(1)).isEqualTo(RequestOk.EMPTY);

            // One more Range on top of the subscription's 3 (SUBGROUP_FILTER now two): 4, past the limit.
            stream.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(), MessageParameters.of(
                filter(ParameterType.SUBGROUP_FILTER, 0, 0, 0, 2, 2)))));
            RelayFixture.await(() -> messages(stream).size() >= 4, "REQUEST_ERROR and PUBLISH_DONE");
            assertThat(messages(stream).get(2)).isInstanceOfSatisfying(RequestError.class,
                e -> assertThat(e.errorCode()).as("INVALID_FILTER").isEqualTo(INVALID_FILTER));
            assertThat(messages(stream).get(3)).isInstanceOfSatisfying(PublishDone.class,
                d -> assertThat(d.statusCode()).as("UPDATE_FAILED").isEqualTo(0x8));
        }
    }

    /**
     * §3.3.2, §9.18.1: a SUBSCRIBE_TRACKS' object filters are those of every track it offers; its TRACK_PROPERTY_FILTER
     * decides which tracks are offered at all (a track without the property is not).
     */
    @Test
    void subscribeTracksFiltersTheObjectsOfTheTracksItOffersAndTheTracksByTheirProperties() throws Exception
    {
        try (RawPeer filtered = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer byProperty = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = filtered.request(new moq.relay.wire.d20.SubscribeTracks(
                filtered.nextRequestId(), NS, MessageParameters.of(filter(ParameterType.OBJECTID_FILTER, 0, 1, 1))));
            final RawPeer.RawBytes none = byProperty.request(new moq.relay.wire.d20.SubscribeTracks(
                byProperty.nextRequestId(), NS, MessageParameters.of(new Parameter.Range(RangeFilter.of(
                    ParameterType.TRACK_PROPERTY_FILTER, 0, 0x30, new RangeFilter.Range(1, 1))))));
            RelayFixture.await(() -> messages(tracks).contains(RequestOk.EMPTY) &&
                messages(none).contains(RequestOk.EMPTY), "both SUBSCRIBE_TRACKS accepted");

            final MoqClient publisher = relay.connect(Draft.DRAFT_20);
            final TrackPublisher track = publisher.track(NS, TRACK, 100);
            track.publish().get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> !filtered.relayRequests.isEmpty() &&
                filtered.relayRequests.get(0).count() == 1, "the relay's PUBLISH");
            filtered.relayRequests.get(0).channel().writeAndFlush(filtered.encode(RequestOk.EMPTY)); // PUBLISH_OK
            Thread.sleep(300); // the relay raises the publisher's Forward State
            publish(track, 1, 1);
            RelayFixture.await(() -> filtered.objects.contains("1/1"), "object 1 of subgroup 0 or 1");
            Thread.sleep(200);
            assertThat(filtered.objects).containsExactly("1/1", "1/1");
            assertThat(byProperty.relayRequests).as("no PUBLISH of a track without the property").isEmpty();
        }
    }

    /**
     * §9.18.1: the SUBSCRIBE_TRACKS parameters "are used by the publisher as the initial Subscription parameters when a
     * PUBLISH is sent as a result of SUBSCRIBE_TRACKS. These Parameters are explicitly communicated in PUBLISH": the
     * relay's PUBLISH restates the object Range Filters (not the TRACK_PROPERTY_FILTER, which PUBLISH cannot carry).
     */
    @Test
    void thePublishOfASubscribeTracksRestatesItsRangeFilters() throws Exception
    {
        final RangeFilter objects = RangeFilter.of(ParameterType.OBJECTID_FILTER, 1, 0, new RangeFilter.Range(0, 0),
            new RangeFilter.Range(4, -1));
        final RangeFilter property = RangeFilter.of(ParameterType.OBJECT_PROPERTY_FILTER, 2, 0x3C,
            new RangeFilter.Range(7, 9));
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = peer.request(new moq.relay.wire.d20.SubscribeTracks(peer.nextRequestId(),
                NS, MessageParameters.of(new Parameter.Range(property), new Parameter.Range(objects))));
            RelayFixture.await(() -> messages(tracks).contains(RequestOk.EMPTY), "SUBSCRIBE_TRACKS accepted");

            final MoqClient publisher = relay.connect(Draft.DRAFT_20);
            publisher.track(NS, TRACK, 100).publish().get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> !peer.relayRequests.isEmpty() && peer.relayRequests.get(0).count() == 1,
                "the relay's PUBLISH");
            final moq.relay.wire.d20.Publish publish =
                (moq.relay.wire.d20.Publish)peer.relayRequests.get(0).decoded().get(0);
            assertThat(publish.parameters().rangeFilters()).containsExactly(objects, property);
        }
    }

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    @Test
    void draftsEighteenAndFourteenStillRefuseASecondSubscriptionOfATrack() throws Exception
    {
        publisher(Draft.DRAFT_18);
        for (final Draft draft : List.of(Draft.DRAFT_18, Draft.DRAFT_14))
        {
            final MoqClient subscriber = relay.connect(draft);
            subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Got()).get(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Got())
                .get(5, TimeUnit.SECONDS)).as(draft.toString()).cause()
                .isInstanceOfSatisfying(RequestRejectedException.class, e -> assertThat(e.errorCode())
                    .as("DUPLICATE_SUBSCRIPTION (draft 14 has no such code: its default)")
                    .isEqualTo(draft == Draft.DRAFT_18 ? 0x19 : Draft14Codes.subscribeError(
                        moq.relay.engine.RequestErrorCode.DUPLICATE_SUBSCRIPTION)));
        }
        final MoqClient d20 = relay.connect(Draft.DRAFT_20);
        d20.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Got()).get(5, TimeUnit.SECONDS);
        d20.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Got()).get(5, TimeUnit.SECONDS);
    }
}
