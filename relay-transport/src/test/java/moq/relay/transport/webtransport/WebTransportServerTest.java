package moq.relay.transport.webtransport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The WebTransport layer on a real relay server, driven by a netty HTTP/3 client over loopback UDP. */
class WebTransportServerTest
{
    private static final long WAIT = 5;

    @TempDir
    Path certDir;

    private ServerCertificate certificate;
    private RelayServer server;
    private final EchoApplication application = new EchoApplication();
    private final List<WebTransportTestClient> clients = new ArrayList<>();

    @BeforeEach
    void certificate()
    {
        certificate = TestServers.certificate(certDir);
    }

    @AfterEach
    void stop()
    {
        clients.forEach(WebTransportTestClient::close);
        if (server != null)
        {
            server.close();
        }
    }

    private void start(final WebTransportSettings settings)
    {
        start(settings, Duration.ofSeconds(2));
    }

    private void start(final WebTransportSettings settings, final Duration drain)
    {
        server = TestServers.start(TestServers.settings(1, drain), certificate, SessionFactories.builder()
            .register(SessionFactories.H3, new WebTransportSessionFactory(settings, application)).build());
    }

    private static WebTransportSettings settings(final List<String> origins, final int maxBufferedStreams)
    {
        return new WebTransportSettings("/moq", origins, List.of("moqt-18"), 4, maxBufferedStreams, 16, 65536, 64);
    }

    private static WebTransportSettings defaults()
    {
        return settings(List.of("*"), 8);
    }

    private WebTransportTestClient client() throws Exception
    {
        final WebTransportTestClient client = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        clients.add(client);
        return client;
    }

    private EchoApplication.Recorded acceptedSession() throws InterruptedException
    {
        final EchoApplication.Recorded recorded = application.sessions.poll(WAIT, TimeUnit.SECONDS);
        assertThat(recorded).as("session accepted by the application").isNotNull();
        return recorded;
    }

    private static String text(final CompletableFuture<byte[]> bytes) throws Exception
    {
        return new String(bytes.get(WAIT, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    }

    /** A server-opened uni stream's payload, after its session id varint. */
    private static String uniPayload(final WebTransportTestClient client, final long sessionId) throws Exception
    {
        final CompletableFuture<byte[]> stream = client.serverUniStreams.poll(WAIT, TimeUnit.SECONDS);
        assertThat(stream).as("server-opened uni stream").isNotNull();
        final ByteBuf bytes = Unpooled.wrappedBuffer(stream.get(WAIT, TimeUnit.SECONDS));
        assertThat(WtVarint.read(bytes)).as("session id in the uni stream header").isEqualTo(sessionId);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void serverAdvertisesTheWebTransportSettingsChromiumAndLaterDraftsNeed() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();

        final var settings = client.serverSettings.get(WAIT, TimeUnit.SECONDS);

        assertThat(settings.settings().get(0x08L)).as("ENABLE_CONNECT_PROTOCOL").isEqualTo(1L);
        assertThat(settings.settings().get(0x33L)).as("H3_DATAGRAM").isEqualTo(1L);
        assertThat(settings.settings().get(0x2b603742L)).as("draft-02 ENABLE_WEBTRANSPORT").isEqualTo(1L);
        assertThat(settings.settings().get(0xc671706aL)).as("draft-07 max sessions").isEqualTo(4L);
        assertThat(settings.settings().get(0x14e9cd29L)).as("draft-13 WT_MAX_SESSIONS").isEqualTo(4L);
        assertThat(settings.settings().get(0x2c7cf000L)).as("draft-16 WT_ENABLED").isEqualTo(1L);
    }

    @Test
    void sessionIsAcceptedWithTheServersPreferredProtocolAndDraft02Echo() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();

        final WebTransportTestClient.Session session = client.connect("/moq", "http://localhost:8080",
            "\"moqt-16\", \"moqt-18\";q=1");

        assertThat(session.status()).isEqualTo("200");
        assertThat(session.header("wt-protocol")).isEqualTo("\"moqt-18\"");
        assertThat(session.header("sec-webtransport-http3-draft")).isEqualTo("draft02");
        final EchoApplication.Recorded recorded = acceptedSession();
        assertThat(recorded.session.protocol()).isEqualTo("moqt-18");
        assertThat(recorded.session.sessionId()).isEqualTo(session.id());
        assertThat(recorded.session.path()).isEqualTo("/moq");
        assertThat(recorded.session.origin()).isEqualTo("http://localhost:8080");
        assertThat(recorded.session.authority()).isEqualTo("localhost");
        assertThat(session.fin).as("the CONNECT stream stays open").isNotDone();
    }

    @Test
    void clientOfferingOnlyOtherProtocolsGetsNoWtProtocol() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();

        final WebTransportTestClient.Session onlyOld = client.connect("/moq", null, "\"moqt-16\"");
        final WebTransportTestClient.Session none = client.connect("/moq", null, null);
        final WebTransportTestClient.Session malformed = client.connect("/moq", null, "moqt-18, \"moqt-18\"");

        for (final WebTransportTestClient.Session session : List.of(onlyOld, none, malformed))
        {
            assertThat(session.status()).isEqualTo("200");
            assertThat(session.header("wt-protocol")).isNull();
        }
        for (int i = 0; i < 3; i++)
        {
            assertThat(acceptedSession().session.protocol()).isNull();
        }
    }

    @Test
    void wrongPathIs404AndDisallowedOriginIs403() throws Exception
    {
        start(settings(List.of("https://good.example"), 8));
        final WebTransportTestClient client = client();

        final WebTransportTestClient.Session wrongPath = client.connect("/other", "https://good.example", null);
        final WebTransportTestClient.Session badOrigin = client.connect("/moq", "https://evil.example", null);
        final WebTransportTestClient.Session good = client.connect("/moq", "https://good.example", null);

        assertThat(wrongPath.status()).isEqualTo("404");
        assertThat(badOrigin.status()).isEqualTo("403");
        assertThat(good.status()).isEqualTo("200");
        wrongPath.fin.get(WAIT, TimeUnit.SECONDS);
        badOrigin.fin.get(WAIT, TimeUnit.SECONDS);
        assertThat(acceptedSession().session.origin()).isEqualTo("https://good.example");
        assertThat(application.sessions).isEmpty();
    }

    @Test
    void bidiStreamsUniStreamsAndDatagramsReachTheApplicationAndBack() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, "\"moqt-18\"");
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();
        assertThat(uniPayload(client, session.id())).as("uni stream the server opens at once")
            .isEqualTo("hello moqt-18");

        assertThat(text(client.bidi(session.id(), "ping over bidi"))).isEqualTo("ping over bidi");
        client.uni(session.id(), "ping over uni");
        assertThat(recorded.uniReceived.poll(WAIT, TimeUnit.SECONDS)).isEqualTo("ping over uni");
        assertThat(uniPayload(client, session.id())).isEqualTo("echo:ping over uni");
        client.datagram(session.id(), "ping over datagram");
        final byte[] datagram = client.datagrams.poll(WAIT, TimeUnit.SECONDS);
        assertThat(datagram).isNotNull();
        final ByteBuf echoed = Unpooled.wrappedBuffer(datagram);
        assertThat(WtVarint.read(echoed)).as("quarter stream id").isEqualTo(session.id() / 4);
        assertThat(echoed.toString(StandardCharsets.UTF_8)).isEqualTo("ping over datagram");
        assertThat(recorded.session.maxDatagramPayloadSize()).isGreaterThan(1000);
    }

    @Test
    void serverOpensBidiStreamsWithTheWtStreamHeader() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        acceptedSession();

        assertThat(text(client.bidi(session.id(), "bidi:from the server"))).isEqualTo("ok");

        final CompletableFuture<byte[]> serverStream = client.serverBidiStreams.poll(WAIT, TimeUnit.SECONDS);
        assertThat(serverStream).isNotNull();
        final ByteBuf bytes = Unpooled.wrappedBuffer(serverStream.get(WAIT, TimeUnit.SECONDS));
        assertThat(WtVarint.read(bytes)).as("WT_STREAM signal").isEqualTo(0x41);
        assertThat(WtVarint.read(bytes)).as("session id").isEqualTo(session.id());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("from the server");
    }

    @Test
    void applicationStreamResetCarriesTheMappedWebTransportErrorCode() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();
        assertThat(StreamResets.wideCodesSupported()).as("64-bit reset codes reach quiche").isTrue();

        final CompletableFuture<byte[]> reset = client.bidi(session.id(), "reset:7");

        assertThatThrownBy(() -> reset.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .satisfies(e -> assertThat(WebTransportTestClient.resetCode(e))
                .isEqualTo(WebTransportErrorCodes.toHttp3(7)));
        assertThat(recorded.session.applicationErrorCode(WebTransportErrorCodes.toHttp3(7))).isEqualTo(7);
        assertThat(text(client.bidi(session.id(), "session still fine"))).isEqualTo("session still fine");
    }

    @Test
    void clientCloseSessionCapsuleReachesTheApplicationWithCodeAndReason() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();

        client.sendCapsule(session, Capsules.closeSession(Unpooled.buffer().alloc(), 42, "bye from client"), true);

        assertThat(recorded.closed.get(WAIT, TimeUnit.SECONDS)).isEqualTo("42:bye from client");
        session.fin.get(WAIT, TimeUnit.SECONDS); // the server FINs its side in response
        assertThat(recorded.session.closeFuture().await(WAIT, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void applicationCloseSendsCloseSessionCapsuleThenFinAndResetsTheSessionsStreams() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();
        uniPayload(client, session.id());

        client.bidi(session.id(), "close:7:server says bye");

        session.fin.get(WAIT, TimeUnit.SECONDS);
        final ByteBuf capsule = Unpooled.wrappedBuffer(session.capsuleBytes());
        assertThat(WtVarint.read(capsule)).isEqualTo(Capsules.WT_CLOSE_SESSION);
        assertThat(WtVarint.read(capsule)).isEqualTo(4 + "server says bye".length());
        assertThat(capsule.readUnsignedInt()).isEqualTo(7);
        assertThat(capsule.toString(StandardCharsets.UTF_8)).isEqualTo("server says bye");
        assertThat(recorded.closed.get(WAIT, TimeUnit.SECONDS)).isEqualTo("7:server says bye");
        // A stream opened for the closed session is refused with WT_SESSION_GONE.
        final CompletableFuture<byte[]> late = client.bidi(session.id(), "too late");
        assertThatThrownBy(() -> late.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .satisfies(e -> assertThat(WebTransportTestClient.resetCode(e))
                .isEqualTo(WebTransportErrorCodes.WT_SESSION_GONE));
    }

    @Test
    void endOfTheSessionResetsItsOpenStreamsWithSessionGone() throws Exception
    {
        start(defaults());
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();
        final CompletableFuture<byte[]> open = client.bidiOpen(session.id(), "never finished");
        Thread.sleep(200); // let the stream reach the application

        client.sendCapsule(session, Capsules.closeSession(Unpooled.buffer().alloc(), 0, ""), true);

        assertThat(recorded.closed.get(WAIT, TimeUnit.SECONDS)).isEqualTo("0:");
        assertThatThrownBy(() -> open.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .satisfies(e -> assertThat(WebTransportTestClient.resetCode(e))
                .isEqualTo(WebTransportErrorCodes.WT_SESSION_GONE));
    }

    @Test
    void sessionsBeyondThePerConnectionLimitAreRefusedWith429() throws Exception
    {
        start(defaults()); // 4 sessions per connection
        final WebTransportTestClient client = client();
        final List<WebTransportTestClient.Session> sessions = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            sessions.add(client.connect("/moq", null, null));
        }

        for (int i = 0; i < 4; i++)
        {
            assertThat(sessions.get(i).status()).isEqualTo("200");
        }
        assertThat(sessions.get(4).status()).isEqualTo("429");
        client.sendCapsule(sessions.get(0), Capsules.closeSession(Unpooled.buffer().alloc(), 0, ""), true);
        sessions.get(0).fin.get(WAIT, TimeUnit.SECONDS);
        assertThat(client.connect("/moq", null, null).status()).as("a closed session frees its slot")
            .isEqualTo("200");
    }

    @Test
    void malformedCloseCapsuleAbortsOnlyThatSession() throws Exception
    {
        start(defaults());
        final WebTransportTestClient bad = client();
        final WebTransportTestClient.Session badSession = bad.connect("/moq", null, null);
        final WebTransportTestClient good = client();
        final WebTransportTestClient.Session goodSession = good.connect("/moq", null, null);
        assertThat(badSession.status()).isEqualTo("200");
        assertThat(goodSession.status()).isEqualTo("200");
        final EchoApplication.Recorded first = acceptedSession();
        final EchoApplication.Recorded second = acceptedSession();
        // WT_CLOSE_SESSION whose message is not UTF-8 (draft-16 6: H3_MESSAGE_ERROR).
        final ByteBuf capsule = Unpooled.buffer();
        WtVarint.write(capsule, Capsules.WT_CLOSE_SESSION);
        WtVarint.write(capsule, 6);
        capsule.writeInt(1).writeByte(0xff).writeByte(0xfe);
        bad.sendCapsule(badSession, capsule, false);

        final Throwable reset = badSession.reset.get(WAIT, TimeUnit.SECONDS);
        assertThat(WebTransportTestClient.resetCode(reset)).isEqualTo(WebTransportErrorCodes.H3_MESSAGE_ERROR);
        assertThat(text(good.bidi(goodSession.id(), "still here"))).isEqualTo("still here");
        assertThat(bad.connectionClose).as("the bad session's connection stays up").isNotDone();
        assertThat(bad.connect("/moq", null, null).status()).as("a new session on the same connection").isEqualTo("200");
        final List<String> closes = new ArrayList<>();
        for (final EchoApplication.Recorded recorded : List.of(first, second))
        {
            if (recorded.closed.isDone())
            {
                closes.add(recorded.closed.get());
            }
        }
        assertThat(closes).containsExactly("0:malformed WT_CLOSE_SESSION capsule");
    }

    @Test
    void streamHeaderWithAnInvalidSessionIdClosesOnlyThatConnection() throws Exception
    {
        start(defaults());
        final WebTransportTestClient bad = client();
        final WebTransportTestClient.Session badSession = bad.connect("/moq", null, null);
        final WebTransportTestClient good = client();
        final WebTransportTestClient.Session goodSession = good.connect("/moq", null, null);
        assertThat(badSession.status()).isEqualTo("200");
        assertThat(goodSession.status()).isEqualTo("200");

        bad.bidi(badSession.id() + 1, "session id 4n+1 is not a client bidi stream");

        assertThat(bad.connectionClose.get(WAIT, TimeUnit.SECONDS).error())
            .isEqualTo((int)WebTransportErrorCodes.H3_ID_ERROR);
        assertThat(text(good.bidi(goodSession.id(), "unaffected"))).isEqualTo("unaffected");
    }

    @Test
    void streamsArrivingBeforeTheirConnectAreBufferedUpToTheLimitThenRejected() throws Exception
    {
        start(settings(List.of("*"), 2));
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.newSessionStream(); // id allocated, CONNECT not sent

        final CompletableFuture<byte[]> early1 = client.bidi(session.id(), "early one");
        final CompletableFuture<byte[]> early2 = client.bidi(session.id(), "early two");
        final CompletableFuture<byte[]> early3 = client.bidi(session.id(), "early three");

        assertThatThrownBy(() -> early3.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
            .satisfies(e -> assertThat(WebTransportTestClient.resetCode(e))
                .isEqualTo(WebTransportErrorCodes.WT_BUFFERED_STREAM_REJECTED));
        assertThat(early1).isNotDone();
        client.datagram(session.id(), "early datagram");
        Thread.sleep(100);
        client.sendConnect(session, "/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        assertThat(text(early1)).isEqualTo("early one");
        assertThat(text(early2)).isEqualTo("early two");
        final byte[] datagram = client.datagrams.poll(WAIT, TimeUnit.SECONDS);
        assertThat(datagram).as("buffered datagram delivered and echoed").isNotNull();
    }

    @Test
    void peerDrainSessionCapsuleAndPeerGoAwayAskTheApplicationToWindDown() throws Exception
    {
        start(defaults());
        final WebTransportTestClient drainer = client();
        final WebTransportTestClient.Session drained = drainer.connect("/moq", null, null);
        assertThat(drained.status()).isEqualTo("200");
        final EchoApplication.Recorded first = acceptedSession();

        drainer.sendCapsule(drained, Capsules.drainSession(Unpooled.buffer().alloc()), false);

        first.drainRequested.get(WAIT, TimeUnit.SECONDS);
        assertThat(text(drainer.bidi(drained.id(), "draining is not closing"))).isEqualTo("draining is not closing");

        final WebTransportTestClient leaver = client();
        final WebTransportTestClient.Session left = leaver.connect("/moq", null, null);
        assertThat(left.status()).isEqualTo("200");
        final EchoApplication.Recorded second = acceptedSession();
        Http3.getLocalControlStream(leaver.quic)
            .writeAndFlush(new DefaultHttp3GoAwayFrame(0)).sync();

        second.drainRequested.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void relayShutdownSendsGoAwayAndDrainSessionCapsule() throws Exception
    {
        start(defaults(), Duration.ofSeconds(10));
        final WebTransportTestClient client = client();
        final WebTransportTestClient.Session session = client.connect("/moq", null, null);
        assertThat(session.status()).isEqualTo("200");
        final EchoApplication.Recorded recorded = acceptedSession();

        final CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::shutdownGracefully);

        assertThat(client.goAway.get(WAIT, TimeUnit.SECONDS)).isEqualTo(session.id() + 4);
        recorded.drainRequested.get(WAIT, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (session.capsuleBytes().length < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        final ByteBuf capsule = Unpooled.wrappedBuffer(session.capsuleBytes());
        assertThat(WtVarint.read(capsule)).isEqualTo(Capsules.WT_DRAIN_SESSION);
        assertThat(WtVarint.read(capsule)).isZero();
        // Sessions keep working while draining; the client then leaves and the drain ends early.
        assertThat(text(client.bidi(session.id(), "still served"))).isEqualTo("still served");
        client.close();
        shutdown.get(8, TimeUnit.SECONDS);
    }
}
