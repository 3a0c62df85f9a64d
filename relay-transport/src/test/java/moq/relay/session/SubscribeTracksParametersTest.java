package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.SubscribeTracks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A draft-20 SUBSCRIBE_TRACKS' parameters over QUIC (draft-21 §9.18.1: "These parameters are used by the publisher as
 * the initial Subscription parameters when a PUBLISH is sent as a result of SUBSCRIBE_TRACKS. These Parameters are
 * explicitly communicated in PUBLISH"): the relay's PUBLISH of each offered track restates them, and the track's
 * subscription, once the subscriber's PUBLISH_OK arrives, has them as a SUBSCRIBE carrying them would: Forward 0 holds
 * its objects until a REQUEST_UPDATE sets Forward 1, a Location Filter decides where it starts,
 * INCLUDE_PROPERTIES 0 empties the PUBLISH's Track Properties (§9.20.22).
 */
class SubscribeTracksParametersTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "tracks");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of());
    private static final Path certDir = relay.certDir();

    private TrackPublisher track;

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    /** SUBSCRIBE_TRACKS of {@link #NS} with {@code parameters}, accepted. */
    private static void subscribeTracks(final RawPeer peer, final moq.relay.wire.param.Parameter... parameters) throws Exception
    {
        final RawPeer.RawBytes tracks = peer.request(new SubscribeTracks(peer.nextRequestId(), NS,
            MessageParameters.of(parameters)));
        RelayFixture.await(() -> messages(tracks).contains(RequestOk.EMPTY), "SUBSCRIBE_TRACKS accepted");
    }

    /** The relay's PUBLISH of the track to {@code peer}, once it arrived. */
    private static Publish offered(final RawPeer peer) throws Exception
    {
        RelayFixture.await(() -> !peer.relayRequests.isEmpty() && peer.relayRequests.get(0).count() == 1,
            "the relay's PUBLISH");
        return (Publish)peer.relayRequests.get(0).decoded().get(0);
    }

    private static void publishOk(final RawPeer peer)
    {
        peer.relayRequests.get(0).channel().writeAndFlush(peer.encode(RequestOk.EMPTY));
    }

    private void publishTrack(final List<KeyValuePair> properties) throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_20);
        track = publisher.track(NS, TRACK, 100).trackProperties(properties);
        track.publish().get(5, TimeUnit.SECONDS);
    }

    /** Group {@code g}: objects 0..2 on subgroup 0, then FIN. */
    private void publishGroup(final long g)
    {
        final SubgroupWriter s = track.openSubgroup(g, 0);
        for (int o = 0; o < 3; o++)
        {
            s.write(o, Unpooled.wrappedBuffer(new byte[] {(byte)g, (byte)o}));
        }
        s.close();
    }

    @Test
    void thePublishRestatesTheSubscriptionParameters() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            subscribeTracks(peer, new Parameter.ObjectDeliveryTimeout(250), new Parameter.SubgroupDeliveryTimeout(500),
                new Parameter.Forward(false), new Parameter.SubscriberPriority(9),
                new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
                new Parameter.Order(moq.relay.wire.param.GroupOrder.DESCENDING));
            publishTrack(List.of());
            final MessageParameters p = offered(peer).parameters();
            assertThat(p.objectDeliveryTimeout()).hasValue(250);
            assertThat(p.subgroupDeliveryTimeout()).hasValue(500);
            assertThat(p.forward()).contains(false);
            assertThat(p.subscriberPriority()).hasValue(9);
            assertThat(p.locationFilter()).contains(LocationFilter.NEXT_OBJECT);
            assertThat(p.groupOrder()).contains(moq.relay.wire.param.GroupOrder.DESCENDING);
        }
    }

    @Test
    void forwardZeroHoldsTheOfferedTracksObjectsUntilAnUpdateSetsIt() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            subscribeTracks(peer, new Parameter.Forward(false));
            publishTrack(List.of());
            offered(peer);
            publishOk(peer);
            Thread.sleep(300);
            publishGroup(0);
            Thread.sleep(500); // objects would arrive meanwhile
            assertThat(peer.objects).as("Forward 0: nothing forwarded").isEmpty();

            final RecordedMessages stream = peer.relayRequests.get(0);
            stream.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.Forward(true)))));
            RelayFixture.await(() -> stream.count() == 2, "REQUEST_OK of the update");
            Thread.sleep(300); // the relay raises the publisher's Forward State
            publishGroup(1);
            RelayFixture.await(() -> peer.objects.containsAll(List.of("1/0", "1/1", "1/2")),
                "group 1 once forwarding");
        }
    }

    @Test
    void aLocationFilterDecidesWhereTheOfferedTrackStarts() throws Exception
    {
        publishTrack(List.of());
        final List<Object> seen = new CopyOnWriteArrayList<>();
        relay.connect(Draft.DRAFT_20).subscribe(NS, TRACK, SubscribeOptions.LATEST, seen::add)
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publishGroup(0);
        RelayFixture.await(() -> seen.size() == 3, "group 0 in the relay's cache");

        try (RawPeer next = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer unfiltered = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            subscribeTracks(next, new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT));
            subscribeTracks(unfiltered);
            offered(next);
            offered(unfiltered);
            publishOk(next);
            publishOk(unfiltered);
            RelayFixture.await(() -> unfiltered.objects.size() == 3, "no Location Filter: the cached group 0");
            Thread.sleep(300);
            publishGroup(1);
            RelayFixture.await(() -> next.objects.size() >= 3 && unfiltered.objects.size() >= 6, "group 1");
            Thread.sleep(200);
            assertThat(next.objects).as("Next Object: from group 1 on").containsExactly("1/0", "1/1", "1/2");
            assertThat(unfiltered.objects).containsExactly("0/0", "0/1", "0/2", "1/0", "1/1", "1/2");
        }
    }

    @Test
    void includePropertiesZeroOffersTheTrackWithoutItsProperties() throws Exception
    {
        try (RawPeer without = new RawPeer(relay, certDir, Draft.DRAFT_20, null);
            RawPeer with = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            subscribeTracks(without, new Parameter.IncludeProperties(false));
            subscribeTracks(with);
            publishTrack(List.of(KeyValuePair.ofVarint(0x0E, 7))); // DEFAULT PUBLISHER PRIORITY
            assertThat(offered(with).trackProperties().pairs()).contains(KeyValuePair.ofVarint(0x0E, 7));
            assertThat(offered(without).trackProperties().pairs()).isEmpty();
        }
    }
}
