package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * After the relay sent GOAWAY (graceful shutdown, draining), drafts 18 and 20 over QUIC. Draft-21 §9.2: "The GOAWAY
 * message does not impact subscription state ... a publisher MAY reject new requests after sending a GOAWAY": a
 * REQUEST_UPDATE of an existing subscription modifies it, it opens nothing, so it is still answered REQUEST_OK; a new
 * request is refused REQUEST_ERROR GOING_AWAY.
 */
class UpdateAfterGoawayTest
{
    private static final TrackNamespace NS = TrackNamespace.of("goaway", "update");
    private static final Bytes TRACK = Bytes.utf8("video");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(java.util.Map.of());
    private static final Path certDir = relay.certDir();

    @BeforeEach
    void start() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        publisher.track(NS, TRACK, 100);
    }

    private static ControlMessage subscribe(final Draft draft, final long id)
    {
        return draft == Draft.DRAFT_20 ?
            new moq.relay.wire.d20.Subscribe(id, NS, TRACK, moq.relay.wire.d20.MessageParameters.EMPTY) :
            new moq.relay.wire.d18.Subscribe(id, NS, TRACK, moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.Filter(moq.relay.wire.d18.SubscriptionFilter.largestObject())));
    }

    private static ControlMessage update(final Draft draft, final long id)
    {
        return draft == Draft.DRAFT_20 ?
            new moq.relay.wire.d20.RequestUpdate(id, moq.relay.wire.d20.MessageParameters.of(
                new moq.relay.wire.d20.Parameter.SubscriberPriority(7))) :
            new moq.relay.wire.d18.RequestUpdate(id, moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.SubscriberPriority(7)));
    }

    private static List<ControlMessage> messages(final RawPeer peer, final RawPeer.RawBytes stream)
    {
        return stream.decoded(peer.codec);
    }

    private static long errorCode(final ControlMessage m)
    {
        return m instanceof moq.relay.wire.d20.RequestError e ? e.errorCode() :
            ((moq.relay.wire.d18.RequestError)m).errorCode();
    }

    @ParameterizedTest
    @EnumSource(names = {"DRAFT_18", "DRAFT_20"})
    void anUpdateOfASubscriptionIsAnsweredANewRequestIsRefusedGoingAway(final Draft draft) throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, draft, null))
        {
            final RawPeer.RawBytes subscription = peer.request(subscribe(draft, peer.nextRequestId()));
            RelayFixture.await(() -> !messages(peer, subscription).isEmpty(), "SUBSCRIBE_OK");
            assertThat(messages(peer, subscription).get(0).getClass().getSimpleName()).isEqualTo("SubscribeOk");

            final Thread shutdown = new Thread(relay.server::shutdownGracefully); // GOAWAY, then up to 10 s drain
            shutdown.start();
            RelayFixture.await(() -> !relay.server.isServing(), "the relay draining");
            Thread.sleep(300); // the GOAWAY sent

            subscription.channel().writeAndFlush(peer.encode(update(draft, peer.nextRequestId())));
            RelayFixture.await(() -> messages(peer, subscription).size() == 2, "the update's answer");
            assertThat(messages(peer, subscription).get(1).getClass().getSimpleName())
                .as("GOAWAY does not impact subscription state").isEqualTo("RequestOk");

            final RawPeer.RawBytes second = peer.request(subscribe(draft, peer.nextRequestId()));
            RelayFixture.await(() -> !messages(peer, second).isEmpty(), "the new SUBSCRIBE's answer");
            assertThat(errorCode(messages(peer, second).get(0))).as("GOING_AWAY")
                .isEqualTo(moq.relay.wire.d20.RequestErrorCode.GOING_AWAY);
            assertThat(peer.connection.peerClose()).as("the session stays up while draining").isNotDone();
            peer.close();
            shutdown.join(10_000);
        }
    }
}
