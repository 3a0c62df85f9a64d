package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.RequestError;
import moq.relay.wire.d20.RequestErrorCode;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.SubscribeTracks;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * REQUEST_UPDATE of a draft-20 SUBSCRIBE_TRACKS over QUIC (draft-21 §9.20.19: "In the case of a REQUEST_UPDATE for
 * SUBSCRIBE_TRACKS, it specifies the Forwarding State on future subscriptions that match the prefix. Existing
 * subscriptions are unaffected."): answered REQUEST_OK, the tracks offered after it carry its FORWARD; a parameter no
 * such update may carry is PROTOCOL_VIOLATION (§9.20.1); its Request ID is checked as any request's.
 */
class SubscribeTracksUpdateTest
{
    private static final TrackNamespace NS = TrackNamespace.of("d20", "tracks");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of());
    private static final Path certDir = relay.certDir();

    private MoqClient publisher;

    @BeforeEach
    void start() throws Exception
    {
        publisher = relay.connect(Draft.DRAFT_20);
    }

    private static List<ControlMessage> messages(final RawPeer.RawBytes stream)
    {
        return stream.decoded(Draft20ControlCodec.INSTANCE);
    }

    /** SUBSCRIBE_TRACKS of {@link #NS} with {@code parameters}, accepted; its stream. */
    private static RawPeer.RawBytes subscribeTracks(final RawPeer peer, final moq.relay.wire.param.Parameter... parameters)
        throws Exception
    {
        final RawPeer.RawBytes tracks = peer.request(new SubscribeTracks(peer.nextRequestId(), NS,
            MessageParameters.of(parameters)));
        RelayFixture.await(() -> messages(tracks).contains(RequestOk.EMPTY), "SUBSCRIBE_TRACKS accepted");
        return tracks;
    }

    /** The relay's {@code n}th PUBLISH to {@code peer}, once it arrived. */
    private static Publish offered(final RawPeer peer, final int n) throws Exception
    {
        RelayFixture.await(() -> peer.relayRequests.size() > n && peer.relayRequests.get(n).count() == 1,
            "the relay's PUBLISH " + n);
        return (Publish)peer.relayRequests.get(n).decoded().get(0);
    }

    private TrackPublisher publishTrack(final String name) throws Exception
    {
        final TrackPublisher track = publisher.track(NS, Bytes.utf8(name), 100);
        track.publish().get(5, TimeUnit.SECONDS);
        return track;
    }

    private static void publishGroup(final TrackPublisher track, final long g)
    {
        final SubgroupWriter s = track.openSubgroup(g, 0);
        s.write(0, Unpooled.wrappedBuffer(new byte[] {(byte)g}));
        s.close();
    }

    private static void assertClosedWith(final RawPeer peer, final SessionError error) throws Exception
    {
        final QuicConnectionCloseEvent close = peer.connection.peerClose().get(5, TimeUnit.SECONDS);
        assertThat(close.isApplicationClose()).isTrue();
        assertThat((long)close.error()).as("close code").isEqualTo(error.code());
    }

    @Test
    void forwardAppliesToTheTracksOfferedAfterTheUpdateOnly() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = subscribeTracks(peer, new Parameter.Forward(false));
            final TrackPublisher before = publishTrack("before");
            assertThat(offered(peer, 0).parameters().forward()).contains(false);

            tracks.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.Forward(true)))));
            RelayFixture.await(() -> messages(tracks).size() == 2, "the update's answer");
            assertThat(messages(tracks).get(1)).isEqualTo(RequestOk.EMPTY);
            assertThat(peer.connection.peerClose()).as("the session stays up").isNotDone();

            final TrackPublisher after = publishTrack("after");
            assertThat(offered(peer, 1).parameters().forward()).as("the PUBLISH restates the new Forward")
                .contains(true);
            for (final RecordedMessages offer : peer.relayRequests)
            {
                offer.channel().writeAndFlush(peer.encode(RequestOk.EMPTY)); // PUBLISH_OK
            }
            Thread.sleep(300);
            publishGroup(before, 5);
            publishGroup(after, 1);
            RelayFixture.await(() -> peer.objects.contains("1/0"), "the later track's objects: Forward 1");
            Thread.sleep(300);
            assertThat(peer.objects).as("the earlier track's subscription is unaffected: Forward 0")
                .doesNotContain("5/0");
        }
    }

    /**
     * §3.3.2: TRACK_PROPERTY_FILTER "MAY appear multiple times in a SUBSCRIBE_TRACKS message or REQUEST_UPDATE for it";
     * in REQUEST_UPDATE "non-zero replaces it entirely": the tracks offered from then on pass it.
     */
    @Test
    void aTrackPropertyFilterUpdateChoosesTheTracksOfferedAfterIt() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = subscribeTracks(peer);
            tracks.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.Range(RangeFilter.of(ParameterType.TRACK_PROPERTY_FILTER, 0, 0x30,
                    new RangeFilter.Range(1, 1))))))); // DYNAMIC_GROUPS 1
            RelayFixture.await(() -> messages(tracks).size() == 2, "the update's answer");
            assertThat(messages(tracks).get(1)).isEqualTo(RequestOk.EMPTY);

            publisher.track(NS, Bytes.utf8("plain"), 100).publish().get(5, TimeUnit.SECONDS);
            publisher.track(NS, Bytes.utf8("dynamic"), 100).trackProperties(List.of(KeyValuePair.ofVarint(0x30, 1)))
                .publish().get(5, TimeUnit.SECONDS);
            assertThat(offered(peer, 0).trackName()).isEqualTo(Bytes.utf8("dynamic"));
            Thread.sleep(300);
            assertThat(peer.relayRequests).as("no PUBLISH of the track without the property").hasSize(1);
        }
    }

    @Test
    void aParameterNoSuchUpdateMayCarryClosesTheSession() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = subscribeTracks(peer);
            // SUBSCRIBER_PRIORITY: "REQUEST_UPDATE (for a subscription or FETCH)" only (§9.20.8).
            tracks.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.SubscriberPriority(3)))));
            assertClosedWith(peer, SessionError.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void aPrefixUpdateTheRelayDoesNotApplyFailsAndClosesTheRequest() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = subscribeTracks(peer);
            tracks.channel().writeAndFlush(peer.encode(new RequestUpdate(peer.nextRequestId(),
                MessageParameters.of(new Parameter.TrackNamespacePrefix(TrackNamespace.of("d20"))))));
            RelayFixture.await(() -> messages(tracks).size() == 2, "the update's answer");
            assertThat(((RequestError)messages(tracks).get(1)).errorCode()).isEqualTo(RequestErrorCode.NOT_SUPPORTED);
            // The SUBSCRIBE_TRACKS ended with it (§9.5.1): a track published now is not offered.
            publishTrack("later");
            Thread.sleep(500);
            assertThat(peer.relayRequests).isEmpty();
            assertThat(peer.connection.peerClose()).as("the session stays up").isNotDone();
        }
    }

    @Test
    void anUpdateReusingTheSubscribeTracksIdClosesTheSession() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_20, null))
        {
            final RawPeer.RawBytes tracks = subscribeTracks(peer);
            tracks.channel().writeAndFlush(peer.encode(new RequestUpdate(0,
                MessageParameters.of(new Parameter.Forward(false)))));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }
}
