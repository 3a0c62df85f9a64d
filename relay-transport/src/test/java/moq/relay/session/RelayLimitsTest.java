package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.ServedDrafts;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.quic.ConnectionClose;
import moq.relay.transport.server.ConnectionLimits;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The limits of draft-englishm-moq-relay-dos against the real relay on loopback (docs/hardening.md): each misbehaving
 * peer is stopped at its bound with the code the README names, while a healthy publisher and subscriber beside it
 * keep working.
 */
class RelayLimitsTest
{
    private static final long SETUP_TIMEOUT_MS = 600;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private TrackPublisher track;
    private Received received;
    private long nextGroup;

    private void start(final Map<String, String> overrides) throws Exception
    {
        relay = new RelayFixture(certDir, overrides);
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        publishAndAwaitOneGroup();
    }

    @AfterEach
    void stop()
    {
        if (relay != null)
        {
            relay.close();
        }
    }

    private void publishAndAwaitOneGroup() throws InterruptedException
    {
        final int before = received.normalObjects();
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, nextGroup), nextGroup++);
        RelayFixture.await(() -> received.normalObjects() == before + 5, "the healthy subscriber's next group");
    }

    private QuicTestClient client(final String localHost, final String alpn) throws InterruptedException
    {
        return new QuicTestClient(localHost, TestServers.certificate(certDir).leaf(), 10_000, alpn);
    }

    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type)
        throws Exception
    {
        return c.channel().createStream(type, new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
    }

    private static byte[] encode18(final moq.relay.wire.ControlMessage m)
    {
        final WireWriter w = new WireWriter(Draft.DRAFT_18.varint());
        Draft18ControlCodec.INSTANCE.encode(m, w);
        return Arrays.copyOf(w.buffer().byteArray(), w.position());
    }

    // ---- SETUP deadline

    /**
     * A peer that trickles its SETUP (draft-18 on its control stream, draft-14 CLIENT_SETUP on the bidi stream) one
     * byte at a time, never completing it, is closed with CONTROL_MESSAGE_TIMEOUT once the setup timeout passes;
     * before the deadline existed the bytes kept the session open for as long as the peer liked.
     */
    @ParameterizedTest
    @EnumSource(value = Draft.class, mode = EnumSource.Mode.MATCH_NONE, names = ServedDrafts.WITHOUT_DIALECT)
    void aPeerTricklingItsSetupIsClosedAtTheDeadlineWhileAHealthyPairWorks(final Draft draft) throws Exception
    {
        start(Map.of(RelayConfiguration.SESSION_SETUP_TIMEOUT_PROP_NAME, SETUP_TIMEOUT_MS + "ms"));
        try (QuicTestClient client = client("127.0.0.1", draft.alpn()))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final byte[] setup;
            final QuicStreamChannel stream;
            if (draft == Draft.DRAFT_20)
            {
                stream = open(c, QuicStreamType.UNIDIRECTIONAL);
                final WireWriter w = new WireWriter(draft.varint());
                moq.relay.wire.d20.Draft20ControlCodec.INSTANCE.encode(moq.relay.wire.d20.Setup.of(
                    moq.relay.wire.KeyValuePair.ofBytes(moq.relay.wire.d20.SetupOption.MOQT_IMPLEMENTATION,
                        Bytes.utf8("slow-peer-with-a-long-name"))), w);
                setup = Arrays.copyOf(w.buffer().byteArray(), w.position());
            }
            else if (draft == Draft.DRAFT_18)
            {
                stream = open(c, QuicStreamType.UNIDIRECTIONAL);
                setup = encode18(Setup.of(moq.relay.wire.KeyValuePair.ofBytes(
                    moq.relay.wire.d18.SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("slow-peer-with-a-long-name"))));
            }
            else
            {
                stream = open(c, QuicStreamType.BIDIRECTIONAL);
                final WireWriter w = new WireWriter(Draft.DRAFT_14.varint());
                moq.relay.wire.d14.Draft14ControlCodec.INSTANCE.encode(new moq.relay.wire.d14.ClientSetup(
                    List.of(Draft.DRAFT_14.version()), moq.relay.wire.d14.SetupParameters.builder()
                        .implementation("slow-peer-with-a-long-name").build()), w);
                setup = Arrays.copyOf(w.buffer().byteArray(), w.position());
            }
            final long started = System.nanoTime();
            for (int i = 0; i < setup.length - 1 && !c.peerClose().isDone(); i++)
            {
                stream.writeAndFlush(Unpooled.wrappedBuffer(setup, i, 1));
                Thread.sleep(50);
            }
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            final long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("close code").isEqualTo(SessionError.CONTROL_MESSAGE_TIMEOUT.code());
            assertThat(afterMs).as("closed at the deadline").isLessThan(SETUP_TIMEOUT_MS + 2_000);
        }
        publishAndAwaitOneGroup();
        RelayFixture.await(() -> relay.server.sessionCount() == 2, "only the healthy pair left");
    }

    /** An HTTP/3 connection that never sends a WebTransport CONNECT is closed at the deadline with H3_NO_ERROR. */
    @Test
    void anHttp3ConnectionWithoutConnectIsClosedAtTheDeadline() throws Exception
    {
        start(Map.of(RelayConfiguration.SESSION_SETUP_TIMEOUT_PROP_NAME, SETUP_TIMEOUT_MS + "ms"));
        relay.server.connectionLimits(new ConnectionLimits(100, 100, Duration.ofMillis(SETUP_TIMEOUT_MS)));
        try (QuicTestClient client = client("127.0.0.1", "h3"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            final QuicConnectionCloseEvent close = c.peerClose().get(SETUP_TIMEOUT_MS + 3_000, TimeUnit.MILLISECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("H3_NO_ERROR").isEqualTo(0x100);
        }
        publishAndAwaitOneGroup();
    }

    // ---- Connections per address and relay-wide

    /**
     * With three connections allowed per address (the healthy pair holds two from 127.0.0.1), a fourth from
     * 127.0.0.1 is dropped at its first Initial packet (no handshake: the client hears nothing and gives up) while
     * 127.0.0.2 still connects; once one closes, 127.0.0.1 connects again. With the relay-wide cap reached, any
     * address is dropped so.
     */
    @Test
    void connectionsBeyondTheCapOfOneAddressAreRefusedWhileAnotherAddressConnects() throws Exception
    {
        start(Map.of());
        // The healthy pair holds two connections from 127.0.0.1 already.
        relay.server.connectionLimits(new ConnectionLimits(4, 3, Duration.ofSeconds(5)));
        try (QuicTestClient local = client("127.0.0.1", "moqt-18");
            QuicTestClient other = client("127.0.0.2", "moqt-18"))
        {
            final QuicTestClient.Connection third = local.connect(relay.server.localAddress());
            assertRefused("127.0.0.1", "the fourth connection from 127.0.0.1");
            assertThat(relay.server.sessionCount()).as("no session for a refused connection").isEqualTo(3);

            final QuicTestClient.Connection fromOther = other.connect(relay.server.localAddress());
            assertThat(fromOther.channel().isActive()).isTrue();
            assertRefused("127.0.0.2", "a connection beyond the relay-wide cap (4)");

            third.channel().close().sync();
            RelayFixture.await(() -> relay.server.connectionCount() == 3, "the closed connection released");
            final QuicTestClient.Connection again = local.connect(relay.server.localAddress());
            assertThat(again.channel().isActive()).as("a slot of 127.0.0.1 is free again").isTrue();
            publishAndAwaitOneGroup();
        }
    }

    /**
     * A flood from one address beyond its cap (4) costs the relay no handshake: each excess connection is dropped at
     * its first Initial packet, before quiche reads its ClientHello. Before, the relay created every one, answered
     * its ClientHello (a TLS key exchange and signature each) and only then closed it with CONNECTION_REFUSED. The
     * healthy pair keeps working and the flood's datagrams are counted.
     */
    @Test
    void aConnectionFloodBeyondTheCapStartsNoHandshakeOnTheRelay() throws Exception
    {
        start(Map.of());
        relay.server.connectionLimits(new ConnectionLimits(100, 4, Duration.ofSeconds(5)));
        final CountingEvents events = new CountingEvents();
        relay.server.connectionEvents(events);
        final int flood = 24;
        final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try (QuicTestClient held = client("127.0.0.3", "moqt-18");
            QuicTestClient flooding = new QuicTestClient("127.0.0.3", TestServers.certificate(certDir).leaf(),
                REFUSED_TIMEOUT_MS, "moqt-18"))
        {
            for (int i = 0; i < 4; i++)
            {
                held.connect(relay.server.localAddress());
            }
            assertThat(events.started.get()).as("handshakes of the four allowed connections").isEqualTo(4);
            final List<java.util.concurrent.Future<Throwable>> attempts = new ArrayList<>();
            for (int i = 0; i < flood; i++)
            {
                attempts.add(pool.submit(() -> catchThrowable(() -> flooding.connect(relay.server.localAddress()))));
            }
            int failed = 0;
            for (final java.util.concurrent.Future<Throwable> attempt : attempts)
            {
                if (attempt.get(REFUSED_TIMEOUT_MS * 4, TimeUnit.MILLISECONDS) != null)
                {
                    failed++;
                }
            }
            assertThat(events.started.get()).as("handshakes the relay started (the four held, none for the flood)")
                .isEqualTo(4);
            assertThat(events.refused.get()).as("connections created and then refused").isZero();
            assertThat(failed).as("flood connections that failed").isEqualTo(flood);
            assertThat(events.dropped.get()).as("Initial packets dropped (each connection's, retransmissions too)")
                .isGreaterThanOrEqualTo(flood);
            assertThat(relay.server.connectionCount()).as("the pair's two and the four held").isEqualTo(6);
            publishAndAwaitOneGroup();
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /**
     * A client over its address's cap, with a handshake timeout of 10 s, learns of the refusal at once: the relay
     * answers its first Initial with a stateless CONNECTION_CLOSE (CONNECTION_REFUSED, 0x2) in the Initial space,
     * which the client's quiche decrypts with the keys of its own connection id, while the relay still creates no
     * connection. Before, the client heard nothing and failed at its own timeout. With the answers turned off
     * ({@code moq.relay.refused.initial.closes.per.second=0}) it does again.
     */
    @Test
    void aConnectionOverTheCapIsToldConnectionRefusedAtOnce() throws Exception
    {
        start(Map.of());
        relay.server.connectionLimits(new ConnectionLimits(100, 2, Duration.ofSeconds(5)));
        final CountingEvents events = new CountingEvents();
        relay.server.connectionEvents(events);
        try (QuicTestClient held = client("127.0.0.4", "moqt-18");
            QuicTestClient excess = client("127.0.0.4", "moqt-18"))
        {
            held.connect(relay.server.localAddress());
            held.connect(relay.server.localAddress());
            final long start = System.nanoTime();
            final Throwable thrown = catchThrowable(() -> excess.connect(relay.server.localAddress()));
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(thrown).as("the third connection from 127.0.0.4")
                .isInstanceOf(QuicTestClient.HandshakeFailed.class);
            final QuicConnectionCloseEvent close = ((QuicTestClient.HandshakeFailed)thrown).peerClose;
            assertThat(close).as("a CONNECTION_CLOSE reached the client (it failed after %d ms)", millis).isNotNull();
            assertThat(close.isApplicationClose()).as("a transport close").isFalse();
            assertThat(close.error()).as("CONNECTION_REFUSED").isEqualTo(0x2);
            assertThat(millis).as("failed at the answer, not at its 10 s handshake timeout").isLessThan(5_000);
            assertThat(events.answered.get()).as("Initials answered with a stateless close").isEqualTo(1);
            assertThat(events.started.get()).as("handshakes: the two held, none for the refused one").isEqualTo(2);
            assertThat(events.refused.get()).as("connections created and then refused").isZero();

            relay.server.connectionLimits(new ConnectionLimits(100, 2, Duration.ofSeconds(5), 0));
            try (QuicTestClient unanswered = new QuicTestClient("127.0.0.4", TestServers.certificate(certDir).leaf(),
                REFUSED_TIMEOUT_MS, "moqt-18"))
            {
                final Throwable timedOut = catchThrowable(() -> unanswered.connect(relay.server.localAddress()));
                assertThat(timedOut).isInstanceOf(QuicTestClient.HandshakeFailed.class);
                assertThat(((QuicTestClient.HandshakeFailed)timedOut).peerClose).as("no answer with 0 a second")
                    .isNull();
            }
            assertThat(events.answered.get()).as("no answer with 0 a second").isEqualTo(1);
            publishAndAwaitOneGroup();
        }
    }

    private static final long REFUSED_TIMEOUT_MS = 1_000;

    /** Counts what the relay reports of connections before they carry a session. */
    private static final class CountingEvents implements moq.relay.transport.server.ConnectionEvents
    {
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger dropped = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void handshakeStarted()
        {
            started.incrementAndGet();
        }

        @Override
        public void initialDropped(final String reason)
        {
            dropped.incrementAndGet();
        }

        @Override
        public void refused(final String reason)
        {
            refused.incrementAndGet();
        }

        @Override
        public void initialRefusedWithClose()
        {
            answered.incrementAndGet();
        }
    }

    /**
     * The relay drops the connection's Initial packets: the client hears nothing and its handshake times out (or,
     * when the connection raced past that check on another event loop, it is refused during its handshake with
     * CONNECTION_REFUSED). Either way no connection is established.
     */
    private void assertRefused(final String localHost, final String what) throws Exception
    {
        final int before = relay.server.connectionCount();
        try (QuicTestClient client = new QuicTestClient(localHost, TestServers.certificate(certDir).leaf(),
            REFUSED_TIMEOUT_MS, "moqt-18"))
        {
            final Throwable thrown = catchThrowable(() -> client.connect(relay.server.localAddress()));
            assertThat(thrown).as("%s: no handshake", what).isInstanceOf(QuicTestClient.HandshakeFailed.class);
            final QuicConnectionCloseEvent close = ((QuicTestClient.HandshakeFailed)thrown).peerClose;
            if (close != null)
            {
                assertThat(close.isApplicationClose()).as(what).isFalse();
                assertThat(close.error()).as("%s: CONNECTION_REFUSED", what).isEqualTo(0x2);
            }
        }
        assertThat(relay.server.connectionCount()).as("%s: not counted", what).isEqualTo(before);
    }

    // ---- The close of an abusive session

    /**
     * A session closed for its request rate while the relay's congestion window toward it is full still gets its
     * CONNECTION_CLOSE. The client FETCHes a group of 120 KB (far more than a fresh connection's window), then sends
     * requests beyond its burst and keeps its event loop busy for a while, acknowledging nothing, as a client busy
     * flooding does. quiche puts a CONNECTION_CLOSE in a packet only within the congestion window and netty's close
     * frees the connection right after that one attempt, so before {@link ConnectionClose} the close never left and
     * the client heard nothing until its idle timeout (10 s), having received the relay's first window (15.5 KB) and
     * nothing more; see docs/hardening.md.
     */
    @Test
    void aSessionClosedWhileItsCongestionWindowIsFullStillGetsItsClose() throws Exception
    {
        assertThat(ConnectionClose.closingStateSupported()).as("netty's internals for quiche's closing state").isTrue();
        start(Map.of(RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME, "1",
            RelayConfiguration.SESSION_REQUEST_BURST_PROP_NAME, "4",
            RelayConfiguration.SESSION_STREAM_STARTS_PER_TURN_PROP_NAME, "1"));
        final long group = nextGroup++;
        final List<List<byte[]>> big = RelayEndToEndTest.script(1, 4, group);
        for (int o = 0; o < 4; o++)
        {
            big.get(0).set(o, new byte[30_000]);
        }
        final int before = received.normalObjects();
        RelayEndToEndTest.publishGroups(track, big, group);
        RelayFixture.await(() -> received.normalObjects() == before + 4, "the group to fetch, cached");
        try (QuicTestClient client = client("127.0.0.1", "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(encode18(Setup.of())));
            Thread.sleep(300); // the SETUPs exchanged
            final QuicStreamChannel fetch = open(c, QuicStreamType.BIDIRECTIONAL);
            final List<QuicStreamChannel> requests = new ArrayList<>();
            for (int i = 0; i < 16; i++)
            {
                requests.add(open(c, QuicStreamType.BIDIRECTIONAL));
            }
            c.channel().eventLoop().submit(() ->
            {
                fetch.writeAndFlush(Unpooled.wrappedBuffer(encode18(moq.relay.wire.d18.Fetch.standalone(0, NS,
                    TRACK, new moq.relay.wire.Location(group, 0), new moq.relay.wire.Location(group + 1, 0),
                    MessageParameters.EMPTY))));
                for (int i = 0; i < requests.size(); i++)
                {
                    requests.get(i).writeAndFlush(Unpooled.wrappedBuffer(encode18(new Subscribe(2L * (i + 1), NS,
                        TRACK, MessageParameters.EMPTY)))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                }
                try
                {
                    Thread.sleep(BUSY_CLIENT_MS); // nothing the relay sends meanwhile is acknowledged
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }).get(5, TimeUnit.SECONDS);
            QuicConnectionCloseEvent close = null;
            try
            {
                close = c.peerClose().get(3, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.TimeoutException e)
            {
                // What the client got before it stopped hearing from the relay (received bytes and packets).
                System.err.println("no close: client connection active=" + c.channel().isActive() + ", stats " +
                    c.channel().collectStats().get());
                throw e;
            }
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("INTERNAL_ERROR").isEqualTo(SessionError.INTERNAL_ERROR.code());
        }
        publishAndAwaitOneGroup();
    }

    /** How long the abusive client's event loop stays busy: the relay decides to close within it. */
    private static final long BUSY_CLIENT_MS = 250;

    // ---- Buffered control bytes

    /** A SUBSCRIBE's header claiming the largest payload, followed by {@code payload} bytes of it. */
    private static byte[] partialSubscribe(final int payload)
    {
        final byte[] subscribe = encode18(new Subscribe(0, NS, TRACK, MessageParameters.EMPTY));
        final int typeSize = Draft.DRAFT_18.varint().sizeAt(new org.agrona.concurrent.UnsafeBuffer(subscribe), 0);
        final byte[] partial = new byte[typeSize + 2 + payload];
        System.arraycopy(subscribe, 0, partial, 0, typeSize);
        partial[typeSize] = (byte)0xFF;
        partial[typeSize + 1] = (byte)0xFF;
        return partial;
    }

    private QuicTestClient.Connection hostile(final QuicTestClient client) throws Exception
    {
        final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
        open(c, QuicStreamType.UNIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(encode18(Setup.of())));
        return c;
    }

    private static void holdPartialMessage(final QuicTestClient.Connection c, final int payload) throws Exception
    {
        open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(partialSubscribe(payload)))
            .get(5, TimeUnit.SECONDS);
    }

    /** As {@link #holdPartialMessage} without waiting for the write: the relay closes the session during it. */
    private static void sendPartialMessage(final QuicTestClient.Connection c, final int payload) throws Exception
    {
        open(c, QuicStreamType.BIDIRECTIONAL).writeAndFlush(Unpooled.wrappedBuffer(partialSubscribe(payload)));
    }

    /**
     * Request streams each holding 10,000 bytes of a message that claims 65,535: each buffer grows with the bytes
     * received (to at most twice them, never to the claimed length), so four fit the session's 88 KiB; a fifth
     * holding 60,000 bytes does not and closes the session with INTERNAL_ERROR. Before the bound a thousand such
     * streams held a 64 KiB buffer each.
     */
    @Test
    void requestStreamsHoldingPartialMessagesAreBoundedPerSessionAndTheOffenderClosed() throws Exception
    {
        start(Map.of(RelayConfiguration.SESSION_MAX_CONTROL_BYTES_PROP_NAME, "88k"));
        try (QuicTestClient client = client("127.0.0.1", "moqt-18"))
        {
            final QuicTestClient.Connection c = hostile(client);
            for (int i = 0; i < 4; i++)
            {
                holdPartialMessage(c, 10_000);
            }
            Thread.sleep(300);
            assertThat(c.peerClose()).as("four partial messages fit the session's budget").isNotDone();
            publishAndAwaitOneGroup();
            sendPartialMessage(c, 60_000);
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("close code").isEqualTo(SessionError.INTERNAL_ERROR.code());
        }
        publishAndAwaitOneGroup();
        RelayFixture.await(() -> relay.server.sessionCount() == 2, "only the healthy pair left");
    }

    /**
     * The relay-wide budget (64 KiB) is shared: one session holding two 10,000-byte partial messages fits, and a second
     * session's first; its second (50,000 bytes) does not and closes that session alone; its bytes go back, so a
     * third session fits again. (Each buffer holds between one and two times the bytes received.)
     */
    @Test
    void theRelayWideBudgetClosesTheSessionThatWouldPassItAndIsGivenBackAtClose() throws Exception
    {
        start(Map.of(RelayConfiguration.MAX_CONTROL_BYTES_PROP_NAME, "64k"));
        try (QuicTestClient client = client("127.0.0.1", "moqt-18"))
        {
            final QuicTestClient.Connection first = hostile(client);
            holdPartialMessage(first, 10_000);
            holdPartialMessage(first, 10_000);
            final QuicTestClient.Connection second = hostile(client);
            holdPartialMessage(second, 10_000);
            Thread.sleep(300);
            assertThat(second.peerClose()).as("within the relay-wide budget").isNotDone();
            sendPartialMessage(second, 50_000);
            final QuicConnectionCloseEvent close = second.peerClose().get(5, TimeUnit.SECONDS);
            assertThat((long)close.error()).isEqualTo(SessionError.INTERNAL_ERROR.code());
            assertThat(first.peerClose()).as("the session within the budget").isNotDone();

            final QuicTestClient.Connection third = hostile(client);
            holdPartialMessage(third, 10_000);
            Thread.sleep(300);
            assertThat(third.peerClose()).as("the closed session's bytes were given back").isNotDone();
            assertThat(first.peerClose()).isNotDone();
        }
        publishAndAwaitOneGroup();
    }

    // ---- Per-session share of the tracks

    /**
     * With 8 tracks on the relay and a 25 % share, a client PUBLISHing track after track is refused from its third on
     * (REQUEST_ERROR EXCESSIVE_LOAD) and its session stays open, while another client still publishes and is heard.
     */
    @Test
    void aSessionPublishingBeyondItsTrackShareIsRefusedWhileAnotherStillPublishes() throws Exception
    {
        start(Map.of(RelayConfiguration.MAX_TRACKS_PROP_NAME, "8",
            RelayConfiguration.SESSION_MAX_TRACKS_PERCENT_PROP_NAME, "25"));
        final MoqClient greedy = relay.connect(Draft.DRAFT_18);
        final TrackNamespace ns = TrackNamespace.of("greedy");
        final List<Throwable> outcomes = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final TrackPublisher t = greedy.track(ns, Bytes.utf8("t" + i), 1);
            outcomes.add(catchThrowable(() -> t.publish().get(5, TimeUnit.SECONDS)));
        }
        assertThat(outcomes.get(0)).isNull();
        assertThat(outcomes.get(1)).isNull();
        for (int i = 2; i < 5; i++)
        {
            assertThat(outcomes.get(i)).as("PUBLISH %d", i).isInstanceOf(ExecutionException.class);
            assertThat(outcomes.get(i).getCause()).isInstanceOf(RequestRejectedException.class);
            assertThat(((RequestRejectedException)outcomes.get(i).getCause()).errorCode()).as("PUBLISH %d", i)
                .isEqualTo(moq.relay.wire.d18.RequestErrorCode.EXCESSIVE_LOAD);
        }
        assertThat(greedy.closed()).as("refusing is not a session error").isNotDone();

        final MoqClient other = relay.connect(Draft.DRAFT_18);
        final TrackPublisher fair = other.track(TrackNamespace.of("fair"), Bytes.utf8("t"), 1);
        fair.publish().get(5, TimeUnit.SECONDS);
        final Received heard = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(TrackNamespace.of("fair"), Bytes.utf8("t"), SubscribeOptions.LATEST,
            heard).get(5, TimeUnit.SECONDS);
        RelayEndToEndTest.publishGroups(fair, RelayEndToEndTest.script(1, 3, 7), 0);
        RelayFixture.await(() -> heard.normalObjects() == 3, "the other session's track delivered");
        publishAndAwaitOneGroup();
    }
}
