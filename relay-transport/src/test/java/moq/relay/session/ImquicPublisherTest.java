package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.RequestUpdate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft 18: a publisher PUBLISHes with Forward=0 before anyone subscribes. The draft has the relay answer Forward=0 and
 * raise it with REQUEST_UPDATE on the PUBLISH's request stream once a subscriber appears; imquic (meetecho's C
 * library, MOQT_IMPLEMENTATION "imquic &lt;version&gt;") closes the session with PROTOCOL_VIOLATION on any
 * REQUEST_UPDATE on a request stream it opened. For that peer (PeerQuirks) the relay answers Forward=1 and never
 * updates its PUBLISH; every other publisher gets the draft's exchange.
 */
class ImquicPublisherTest
{
    private static final long ALIAS = 5;
    private static final long PROTOCOL_VIOLATION = 0x3;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    /** PUBLISH with Forward=0 on a request stream; returns the stream once its REQUEST_OK arrived. */
    private static RawPeer.RawBytes publish(final RawPeer peer) throws Exception
    {
        final RawPeer.RawBytes stream = peer.request(new Publish(peer.nextRequestId(), NS, TRACK, ALIAS,
            MessageParameters.of(new Parameter.Forward(false)), Properties.EMPTY));
        RelayFixture.await(() -> first(stream.decoded(), RequestOk.class) != null, "REQUEST_OK for PUBLISH");
        return stream;
    }

    private static <T> T first(final List<ControlMessage> messages, final Class<T> type)
    {
        return messages.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
    }

    /** What imquic does with a REQUEST_UPDATE on its PUBLISH stream: it ends the session. */
    private static void actLikeImquic(final RawPeer peer, final RawPeer.RawBytes publish)
    {
        if (first(publish.decoded(), RequestUpdate.class) != null)
        {
            peer.connection.channel().close(true, (int)PROTOCOL_VIOLATION,
                io.netty.buffer.Unpooled.copiedBuffer("REQUEST_UPDATE on a request stream we opened",
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void anImquicPublisherIsRelayedToALateSubscriber() throws Exception
    {
        try (RawPeer imquic = new RawPeer(relay, certDir, Draft.DRAFT_18, "imquic 0.0.1-alpha"))
        {
            final RawPeer.RawBytes publish = publish(imquic);
            final boolean forward = first(publish.decoded(), RequestOk.class).forward();

            final Received late = new Received();
            final Subscription subscription = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, late).get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            actLikeImquic(imquic, publish);
            assertThat(first(publish.decoded(), RequestUpdate.class)).as("no REQUEST_UPDATE on imquic's PUBLISH")
                .isNull();
            assertThat(forward).as("REQUEST_OK Forward=1 for imquic").isTrue();

            final RawPeer.DataOut group = imquic.openSubgroup(ALIAS, 0);
            group.objects(0, 5);
            group.finish();
            RelayFixture.await(() -> late.normalObjects() == 5, "imquic's objects at the late subscriber");
            assertThat(late.ids).extracting(id -> id[0] + "/" + id[1])
                .containsExactly("0/0", "0/1", "0/2", "0/3", "0/4");

            // The last subscriber leaving does not update the PUBLISH either.
            subscription.unsubscribe();
            Thread.sleep(300);
            assertThat(first(publish.decoded(), RequestUpdate.class)).isNull();
            assertThat(imquic.connection.peerClose()).isNotDone();
            assertThat(imquic.connection.channel().isActive()).isTrue();
        }
    }

    @Test
    void anyOtherPublisherGetsForwardZeroThenRequestUpdate() throws Exception
    {
        try (RawPeer peer = new RawPeer(relay, certDir, Draft.DRAFT_18, "some-publisher"))
        {
            final RawPeer.RawBytes publish = publish(peer);
            assertThat(first(publish.decoded(), RequestOk.class).forward()).as("nobody subscribed yet").isFalse();

            relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, new Received())
                .get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> first(publish.decoded(), RequestUpdate.class) != null,
                "REQUEST_UPDATE on the PUBLISH stream");
            assertThat(first(publish.decoded(), RequestUpdate.class).parameters().forward()).contains(true);
        }
    }
}
