package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A raw QUIC peer misbehaves while a publisher feeds a subscriber through the same relay: only the offending session
 * is closed, with the code the draft prescribes, and the subscriber keeps receiving.
 */
class HostileInputTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private TrackPublisher track;
    private Received received;
    private long nextGroup;

    enum Misbehaviour
    {
        UNKNOWN_STREAM_TYPE(SessionError.PROTOCOL_VIOLATION),
        GARBAGE_ON_THE_CONTROL_STREAM(SessionError.PROTOCOL_VIOLATION),
        REQUEST_BEFORE_SETUP_WITH_ODD_REQUEST_ID(SessionError.INVALID_REQUEST_ID),
        NON_REQUEST_FIRST_ON_A_REQUEST_STREAM(SessionError.PROTOCOL_VIOLATION),
        CLOSING_THE_CONTROL_STREAM(SessionError.PROTOCOL_VIOLATION),
        SECOND_CONTROL_STREAM(SessionError.PROTOCOL_VIOLATION);

        final SessionError expected;

        Misbehaviour(final SessionError expected)
        {
            this.expected = expected;
        }
    }

    @BeforeEach
    void start() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publishAndAwaitOneGroup();
    }

    private void publishAndAwaitOneGroup() throws InterruptedException
    {
        final int before = received.normalObjects();
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, nextGroup), nextGroup++);
        RelayFixture.await(() -> received.normalObjects() == before + 5, "the healthy subscriber's next group");
    }

    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type)
        throws Exception
    {
        return c.channel().createStream(type, new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Misbehaviour.class)
    void misbehavingPeerIsClosedAloneWithTheRightCode(final Misbehaviour misbehaviour) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final ByteBuf setup = ControlBytes.draft18(Setup.of());
            switch (misbehaviour)
            {
                case UNKNOWN_STREAM_TYPE:
                    open(c, QuicStreamType.UNIDIRECTIONAL)
                        .writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x3e, 1, 2}));
                    break;
                case GARBAGE_ON_THE_CONTROL_STREAM:
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {
                        (byte)0x6F, 0x00, 0x00, 0x03, 0x7F, 0x7F, 0x7F}));
                    break;
                case REQUEST_BEFORE_SETUP_WITH_ODD_REQUEST_ID:
                    open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(new Subscribe(1, NS, TRACK,
                        MessageParameters.EMPTY)));
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(setup.retain());
                    break;
                case NON_REQUEST_FIRST_ON_A_REQUEST_STREAM:
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(setup.retain());
                    open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(
                        moq.relay.wire.d18.RequestOk.EMPTY));
                    break;
                case CLOSING_THE_CONTROL_STREAM:
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(setup.retain())
                        .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    break;
                case SECOND_CONTROL_STREAM:
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(setup.retain());
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(setup.retain());
                    break;
                default:
                    throw new IllegalStateException();
            }
            setup.release();
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("close code").isEqualTo(misbehaviour.expected.code());
        }
        publishAndAwaitOneGroup();
        assertThat(relay.server.sessionCount()).as("publisher and subscriber remain").isEqualTo(2);
    }

    enum Draft14Misbehaviour
    {
        GARBAGE_ON_THE_CONTROL_STREAM(SessionError.PROTOCOL_VIOLATION),
        NO_COMMON_VERSION(SessionError.VERSION_NEGOTIATION_FAILED),
        ODD_REQUEST_ID(SessionError.INVALID_REQUEST_ID),
        REQUEST_BEYOND_MAX_REQUEST_ID(SessionError.TOO_MANY_REQUESTS),
        UNKNOWN_STREAM_TYPE(SessionError.PROTOCOL_VIOLATION),
        CLOSING_THE_CONTROL_STREAM(SessionError.PROTOCOL_VIOLATION),
        SECOND_BIDIRECTIONAL_STREAM(SessionError.PROTOCOL_VIOLATION);

        final SessionError expected;

        Draft14Misbehaviour(final SessionError expected)
        {
            this.expected = expected;
        }
    }

    private static moq.relay.wire.d14.Subscribe subscribe14(final long requestId)
    {
        return new moq.relay.wire.d14.Subscribe(requestId, NS, TRACK, 128,
            moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY);
    }

    @ParameterizedTest
    @EnumSource(Draft14Misbehaviour.class)
    void misbehavingDraft14PeerIsClosedAloneWithTheRightCode(final Draft14Misbehaviour misbehaviour)
        throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final ByteBuf setup = ControlBytes.draft14(new moq.relay.wire.d14.ClientSetup(List.of(Draft.DRAFT_14.version()),
                moq.relay.wire.d14.SetupParameters.EMPTY));
            final QuicStreamChannel control = open(c, QuicStreamType.BIDIRECTIONAL);
            switch (misbehaviour)
            {
                case GARBAGE_ON_THE_CONTROL_STREAM:
                    control.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x3E, 0x00, 0x02, 0x7F, 0x7F}));
                    break;
                case NO_COMMON_VERSION:
                    control.writeAndFlush(ControlBytes.draft14(new moq.relay.wire.d14.ClientSetup(List.of(0xff00000bL),
                        moq.relay.wire.d14.SetupParameters.EMPTY)));
                    break;
                case ODD_REQUEST_ID:
                    control.write(setup.retain());
                    control.writeAndFlush(ControlBytes.draft14(subscribe14(3)));
                    break;
                case REQUEST_BEYOND_MAX_REQUEST_ID:
                    control.write(setup.retain());
                    control.writeAndFlush(ControlBytes.draft14(subscribe14(1_000_000)));
                    break;
                case UNKNOWN_STREAM_TYPE:
                    control.writeAndFlush(setup.retain());
                    open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x3e, 1}));
                    break;
                case CLOSING_THE_CONTROL_STREAM:
                    control.writeAndFlush(setup.retain()).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                    break;
                case SECOND_BIDIRECTIONAL_STREAM:
                    control.writeAndFlush(setup.retain());
                    open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(setup.retain());
                    break;
                default:
                    throw new IllegalStateException();
            }
            setup.release();
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("close code").isEqualTo(misbehaviour.expected.code());
        }
        publishAndAwaitOneGroup();
        assertThat(relay.server.sessionCount()).as("publisher and subscriber remain").isEqualTo(2);
    }

    @Test
    void subscriberThatNeverReadsIsBoundedAndHarmsNoOne() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false);
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(Setup.of()));
            open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK,
                MessageParameters.EMPTY)));
            RelayFixture.await(() -> relay.server.sessionCount() == 3, "the stalled subscriber's session");
            Thread.sleep(100);
            // 40 groups of 20 objects up to 3 KB (1.2 MB): beyond the stalled peer's flow-control windows and its
            // backlog bound. Paced by the healthy subscriber, which must not fall behind on a loaded machine.
            final moq.relay.engine.FullTrackName name = new moq.relay.engine.FullTrackName(NS, TRACK);
            for (int g = 0; g < 40; g++)
            {
                final int before = received.normalObjects();
                RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 20, g), nextGroup++);
                RelayFixture.await(() -> received.normalObjects() == before + 20, () -> "the healthy subscriber's " +
                    "group (got " + (received.normalObjects() - before) + " of 20, dropped by the store " +
                    relay.relay.ingestOf(name).rejected() + ")");
            }
            assertThat(relay.relay.trackSegments(name)).as("the track's log stays within cache and overflow")
                .isLessThanOrEqualTo(RelayFixture.MAX_TRACK_SEGMENTS);
            assertThat(c.peerClose()).as("a slow subscriber is not a protocol error").isNotDone();
        }
        publishAndAwaitOneGroup();
    }

    @Test
    void wellBehavedRawPeerStaysOpen() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(ControlBytes.draft18(Setup.of()));
            Thread.sleep(200);
            assertThat(c.peerClose()).isNotDone();
            assertThat(relay.server.sessionCount()).isEqualTo(3);
        }
        publishAndAwaitOneGroup();
    }
}
