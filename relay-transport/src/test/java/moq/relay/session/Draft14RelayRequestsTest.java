package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.PublishedNamespace;
import moq.relay.client.SubscribeOptions;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MaxRequestId;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.Publish;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.PublishNamespaceDone;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.PublishOk;
import moq.relay.wire.d14.RequestsBlocked;
import moq.relay.wire.d14.ServerSetup;
import moq.relay.wire.d14.SetupParameters;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.SubscribeUpdate;
import moq.relay.wire.d14.UnsubscribeNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests the relay itself sends on draft-14 sessions, seen by raw peers: PUBLISH_NAMESPACE and
 * PUBLISH_NAMESPACE_DONE for a SUBSCRIBE_NAMESPACE (within the peer's MAX_REQUEST_ID), and SUBSCRIBE_UPDATE when the
 * downstream demand (Forward) for a track the peer PUBLISHed changes. (Tracks the relay SUBSCRIBEs to upstream always
 * ask Forward 1, as draft-18 §8.3 advises relays, and are unsubscribed when demand ends.)
 */
class Draft14RelayRequestsTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    /** A raw draft-14 peer: its control stream, set up with {@code maxRequestId} granted to the relay. */
    private static QuicStreamChannel setUp(final QuicTestClient.Connection c, final RecordedMessages control,
        final long maxRequestId) throws Exception
    {
        final QuicStreamChannel stream = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
            .get(5, TimeUnit.SECONDS);
        stream.writeAndFlush(ControlBytes.draft14(new ClientSetup(List.of(Draft.DRAFT_14.version()),
            SetupParameters.builder().maxRequestId(maxRequestId).build())));
        RelayFixture.await(() -> control.first(ServerSetup.class) != null, "SERVER_SETUP");
        return stream;
    }

    private static <T> List<T> all(final RecordedMessages control, final Class<T> type)
    {
        return control.decoded().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void subscribeNamespaceAnnouncesMatchingNamespacesWithinMaxRequestIdAndWithdrawsThem() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        final PublishedNamespace before = publisher.publishNamespace(TrackNamespace.of("live", "a"))
            .get(5, TimeUnit.SECONDS);
        publisher.publishNamespace(TrackNamespace.of("other")).get(5, TimeUnit.SECONDS);
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final RecordedMessages control = new RecordedMessages(Draft14ControlCodec.INSTANCE);
            // MAX_REQUEST_ID 0: the relay may not send any request yet.
            final QuicStreamChannel stream = setUp(c, control, 0);
            stream.writeAndFlush(ControlBytes.draft14(new SubscribeNamespace(0, TrackNamespace.of("live"), MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(SubscribeNamespaceOk.class) != null, "SUBSCRIBE_NAMESPACE_OK");
            assertThat(control.first(SubscribeNamespaceOk.class).requestId()).isZero();
            RelayFixture.await(() -> control.first(RequestsBlocked.class) != null, "REQUESTS_BLOCKED");
            assertThat(control.first(PublishNamespace.class)).as("blocked by MAX_REQUEST_ID 0").isNull();

            stream.writeAndFlush(ControlBytes.draft14(new MaxRequestId(10)));
            RelayFixture.await(() -> control.first(PublishNamespace.class) != null, "PUBLISH_NAMESPACE live/a");
            final PublishNamespace first = control.first(PublishNamespace.class);
            assertThat(first.trackNamespace()).isEqualTo(TrackNamespace.of("live", "a"));
            assertThat(first.requestId()).as("the relay's (server's) request ids are odd").isEqualTo(1);
            stream.writeAndFlush(ControlBytes.draft14(new PublishNamespaceOk(first.requestId())));

            // A later namespace under the prefix, then withdrawals; "other" never matches.
            final PublishedNamespace later = publisher.publishNamespace(TrackNamespace.of("live", "b"))
                .get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> all(control, PublishNamespace.class).size() == 2, "PUBLISH_NAMESPACE live/b");
            assertThat(all(control, PublishNamespace.class).get(1))
                .isEqualTo(new PublishNamespace(3, TrackNamespace.of("live", "b"), MessageParameters.EMPTY));
            before.withdraw();
            RelayFixture.await(() -> control.first(PublishNamespaceDone.class) != null, "PUBLISH_NAMESPACE_DONE");
            assertThat(control.first(PublishNamespaceDone.class).trackNamespace())
                .isEqualTo(TrackNamespace.of("live", "a"));

            // An overlapping prefix is refused; after UNSUBSCRIBE_NAMESPACE nothing more is announced or withdrawn.
            stream.writeAndFlush(ControlBytes.draft14(new SubscribeNamespace(2, TrackNamespace.of("live", "b"),
                MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(SubscribeNamespaceError.class) != null, "overlap refused");
            assertThat(control.first(SubscribeNamespaceError.class).errorCode())
                .as("NAMESPACE_PREFIX_OVERLAP").isEqualTo(0x5);
            stream.writeAndFlush(ControlBytes.draft14(new UnsubscribeNamespace(TrackNamespace.of("live"))));
            Thread.sleep(100);
            later.withdraw();
            publisher.publishNamespace(TrackNamespace.of("live", "c")).get(5, TimeUnit.SECONDS);
            Thread.sleep(300);
            assertThat(all(control, PublishNamespace.class)).hasSize(2);
            assertThat(all(control, PublishNamespaceDone.class)).hasSize(1);
            assertThat(c.peerClose()).isNotDone();
        }
    }

    @Test
    void aChangeOfDownstreamDemandForAPublishedTrackIsSentAsSubscribeUpdate() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final RecordedMessages control = new RecordedMessages(Draft14ControlCodec.INSTANCE);
            final QuicStreamChannel stream = setUp(c, control, 100);
            // PUBLISH with nobody subscribed: PUBLISH_OK asks for no objects (Forward 0).
            stream.writeAndFlush(ControlBytes.draft14(new Publish(0, NS, TRACK, 5, GroupOrder.ASCENDING, new Location(3, 7), true,
                MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(PublishOk.class) != null, "PUBLISH_OK");
            assertThat(control.first(PublishOk.class).forward()).isFalse();

            // A subscriber arrives: SUBSCRIBE_UPDATE Forward 1 for the PUBLISH's subscription, start after the largest.
            final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
            final var subscribed = subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new Received());
            subscribed.get(5, TimeUnit.SECONDS);
            RelayFixture.await(() -> all(control, SubscribeUpdate.class).size() == 1, "SUBSCRIBE_UPDATE Forward 1");
            final SubscribeUpdate raise = all(control, SubscribeUpdate.class).get(0);
            assertThat(raise.subscriptionRequestId()).isZero();
            assertThat(raise.requestId()).as("the relay's first (odd) request id").isEqualTo(1);
            assertThat(raise.forward()).isTrue();
            assertThat(raise.start()).isEqualTo(new Location(3, 8));
            assertThat(raise.endGroupPlusOne()).isZero();

            // The subscriber leaves: Forward 0 again, with the next request id.
            subscribed.get().unsubscribe();
            RelayFixture.await(() -> all(control, SubscribeUpdate.class).size() == 2, "SUBSCRIBE_UPDATE Forward 0");
            final SubscribeUpdate lower = all(control, SubscribeUpdate.class).get(1);
            assertThat(lower.requestId()).isEqualTo(3);
            assertThat(lower.forward()).isFalse();
            assertThat(lower.start()).isEqualTo(new Location(3, 8));
            assertThat(c.peerClose()).isNotDone();
        }
    }

    /**
     * @moq/lite may write its PUBLISH_NAMESPACE (id 0) after its SUBSCRIBE_NAMESPACE (id 2). Draft-14 makes a lower id
     * INVALID_REQUEST_ID, and so it stays for every other peer; a peer naming itself moq-lite-js may use a skipped
     * id once.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"moq-lite-js", "someone-else"})
    void aSkippedRequestIdIsUsableOnceOnlyByMoqLite(final String implementation) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final RecordedMessages control = new RecordedMessages(Draft14ControlCodec.INSTANCE);
            final QuicStreamChannel stream = c.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                .get(5, TimeUnit.SECONDS);
            stream.writeAndFlush(ControlBytes.draft14(new ClientSetup(List.of(Draft.DRAFT_14.version()),
                SetupParameters.builder().maxRequestId(100).implementation(implementation).build())));
            RelayFixture.await(() -> control.first(ServerSetup.class) != null, "SERVER_SETUP");
            stream.writeAndFlush(ControlBytes.draft14(new SubscribeNamespace(2, TrackNamespace.of("chat"), MessageParameters.EMPTY)));
            stream.writeAndFlush(ControlBytes.draft14(new PublishNamespace(0, TrackNamespace.of("chat", "me"),
                MessageParameters.EMPTY)));
            if (!implementation.equals("moq-lite-js"))
            {
                assertThat((long)c.peerClose().get(5, TimeUnit.SECONDS).error()).as("INVALID_REQUEST_ID")
                    .isEqualTo(0x4);
                return;
            }
            RelayFixture.await(() -> control.first(PublishNamespaceOk.class) != null, "PUBLISH_NAMESPACE_OK for id 0");
            assertThat(control.first(SubscribeNamespaceOk.class).requestId()).isEqualTo(2);
            // Used once: id 0 again is a reuse.
            stream.writeAndFlush(ControlBytes.draft14(new PublishNamespace(0, TrackNamespace.of("chat", "again"),
                MessageParameters.EMPTY)));
            assertThat((long)c.peerClose().get(5, TimeUnit.SECONDS).error()).isEqualTo(0x4);
        }
    }
}
