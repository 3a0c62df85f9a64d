package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A REQUEST_UPDATE's own Request ID is a request's (draft-18 §"Request ID", draft-21 §6.4.2.1: "Each SUBSCRIBE, ...
 * REQUEST_UPDATE, and TRACK_STATUS message consumes a Request ID"; a wrong parity or a duplicate "MUST close the
 * session with INVALID_REQUEST_ID"), checked as the ids of the requests that open streams are: a reused or odd one
 * closes the session, a fresh one is answered, and the id it consumed cannot open a request afterwards. Draft 14's
 * SUBSCRIBE_UPDATE has a Request ID of its own too (taken in order under MAX_REQUEST_ID) and names its subscription,
 * which "MUST match an existing Request ID" (PROTOCOL_VIOLATION otherwise).
 */
class RequestUpdateRequestIdTest
{
    private static final TrackNamespace NS = TrackNamespace.of("update", "ids");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(java.util.Map.of());
    private static final Path certDir = relay.certDir();

    private MoqClient publisher;

    @BeforeEach
    void start() throws Exception
    {
        publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        publisher.track(NS, TRACK, 100);
    }

    /** A SUBSCRIBE (request id 0) of the published track on a request stream, answered with SUBSCRIBE_OK. */
    private static RawPeer.RawBytes subscribe(final RawPeer peer) throws Exception
    {
        final long id = peer.nextRequestId();
        final RawPeer.RawBytes stream = peer.request(subscribeMessage(peer.draft, id));
        RelayFixture.await(() -> !messages(peer, stream).isEmpty(), "SUBSCRIBE_OK");
        assertThat(messages(peer, stream).get(0).getClass().getSimpleName()).isEqualTo("SubscribeOk");
        return stream;
    }

    private static ControlMessage subscribeMessage(final Draft draft, final long id)
    {
        return draft == Draft.DRAFT_20 ?
            new moq.relay.wire.d20.Subscribe(id, NS, TRACK, moq.relay.wire.d20.MessageParameters.EMPTY) :
            new moq.relay.wire.d18.Subscribe(id, NS, TRACK, moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.Filter(moq.relay.wire.d18.SubscriptionFilter.largestObject())));
    }

    /** A REQUEST_UPDATE of the subscriber priority with Request ID {@code id}. */
    private static ControlMessage update(final RawPeer peer, final long id)
    {
        return peer.draft == Draft.DRAFT_20 ?
            new moq.relay.wire.d20.RequestUpdate(id, moq.relay.wire.d20.MessageParameters.of(
                new moq.relay.wire.d20.Parameter.SubscriberPriority(7))) :
            new moq.relay.wire.d18.RequestUpdate(id, moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.SubscriberPriority(7)));
    }

    private static List<ControlMessage> messages(final RawPeer peer, final RawPeer.RawBytes stream)
    {
        return stream.decoded(peer.codec);
    }

    private static void assertClosedWith(final RawPeer peer, final SessionError error) throws Exception
    {
        final QuicConnectionCloseEvent close = peer.connection.peerClose().get(5, TimeUnit.SECONDS);
        assertThat(close.isApplicationClose()).isTrue();
        assertThat((long)close.error()).as("close code").isEqualTo(error.code());
    }

    @ParameterizedTest
    @EnumSource(names = {"DRAFT_18", "DRAFT_20"})
    void aFreshUpdateIdIsAnsweredAndConsumed(final Draft draft) throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null))
        {
            final RawPeer.RawBytes stream = subscribe(peer);
            stream.channel().writeAndFlush(peer.encode(update(peer, peer.nextRequestId()))); // id 2
            RelayFixture.await(() -> messages(peer, stream).size() == 2, "REQUEST_OK");
            assertThat(messages(peer, stream).get(1).getClass().getSimpleName()).isEqualTo("RequestOk");
            assertThat(peer.connection.peerClose()).as("the session stays up").isNotDone();

            // Id 2 is the update's now: a SUBSCRIBE reusing it is a duplicate.
            peer.request(subscribeMessage(draft, 2));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DRAFT_18", "DRAFT_20"})
    void anUpdateReusingItsSubscriptionsIdClosesTheSession(final Draft draft) throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null))
        {
            final RawPeer.RawBytes stream = subscribe(peer);
            stream.channel().writeAndFlush(peer.encode(update(peer, 0)));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DRAFT_18", "DRAFT_20"})
    void aSecondUpdateWithTheSameIdClosesTheSession(final Draft draft) throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null))
        {
            final RawPeer.RawBytes stream = subscribe(peer);
            final long id = peer.nextRequestId();
            stream.channel().writeAndFlush(peer.encode(update(peer, id)));
            RelayFixture.await(() -> messages(peer, stream).size() == 2, "REQUEST_OK");
            stream.channel().writeAndFlush(peer.encode(update(peer, id)));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"DRAFT_18", "DRAFT_20"})
    void anOddUpdateIdFromTheClientClosesTheSession(final Draft draft) throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null))
        {
            final RawPeer.RawBytes stream = subscribe(peer);
            stream.channel().writeAndFlush(peer.encode(update(peer, 3)));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }

    // ---- draft 14: SUBSCRIBE_UPDATE on the control stream

    private static long subscribe14(final RawPeer peer) throws Exception
    {
        final long id = peer.nextRequestId();
        peer.send(new moq.relay.wire.d14.Subscribe(id, NS, TRACK, 128, moq.relay.wire.d14.GroupOrder.ASCENDING, true,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY));
        RelayFixture.await(() -> peer.control.first(moq.relay.wire.d14.SubscribeOk.class) != null, "SUBSCRIBE_OK");
        return id;
    }

    private static moq.relay.wire.d14.SubscribeUpdate update14(final long id, final long subscription)
    {
        return new moq.relay.wire.d14.SubscribeUpdate(id, subscription, new Location(0, 0), 0, 7, true,
            moq.relay.wire.d14.MessageParameters.EMPTY);
    }

    @Test
    void draft14AFreshSubscribeUpdateKeepsTheSessionAndAReusedIdClosesIt() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, null))
        {
            final long subscription = subscribe14(peer);
            final long id = peer.nextRequestId();
            peer.send(update14(id, subscription));
            final long next = peer.nextRequestId(); // a TRACK_STATUS after it: answered, so the update was taken
            peer.send(new moq.relay.wire.d14.TrackStatus(next, NS, Bytes.utf8("other"), 128,
                moq.relay.wire.d14.GroupOrder.ASCENDING, true, moq.relay.wire.d14.SubscriptionFilter.largestObject(),
                moq.relay.wire.d14.MessageParameters.EMPTY));
            RelayFixture.await(() -> peer.control.decoded().stream().anyMatch(m ->
                m instanceof moq.relay.wire.d14.TrackStatusOk || m instanceof moq.relay.wire.d14.TrackStatusError),
                "the TRACK_STATUS answer");
            assertThat(peer.connection.peerClose()).isNotDone();

            peer.send(update14(id, subscription));
            assertClosedWith(peer, SessionError.INVALID_REQUEST_ID);
        }
    }

    @Test
    void draft14ASubscribeUpdateOfAnIdThatNeverExistedClosesTheSession() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_14, null))
        {
            subscribe14(peer);
            peer.send(update14(peer.nextRequestId(), 10));
            assertClosedWith(peer, SessionError.PROTOCOL_VIOLATION);
        }
    }
}
