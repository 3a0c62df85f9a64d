package moq.relay.transport.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import moq.relay.transport.LogCapture;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.RecordingSessionFactory;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlpnRoutingTest
{
    private static final long IDLE_MILLIS = 5_000;

    @TempDir
    static Path certDir;

    private static final RecordingSessionFactory DRAFT_18 = new RecordingSessionFactory();
    private static final RecordingSessionFactory DRAFT_14 = new RecordingSessionFactory();
    private static final RecordingSessionFactory WEBTRANSPORT = new RecordingSessionFactory();
    private static ServerCertificate certificate;
    @RegisterExtension
    final LogCapture connectionLog = new LogCapture("moq.relay.connection");
    private static RelayServer server;

    @BeforeAll
    static void startServer()
    {
        certificate = TestServers.certificate(certDir);
        server = TestServers.start(TestServers.settings(1, Duration.ofSeconds(1)), certificate,
            SessionFactories.builder()
                .register(SessionFactories.MOQT_18, DRAFT_18)
                .register(SessionFactories.MOQ_00, DRAFT_14)
                .register(SessionFactories.H3, WEBTRANSPORT)
                .build());
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"moqt-18", "moq-00", "h3"})
    void negotiatedProtocolReachesTheFactoryRegisteredForIt(final String alpn) throws Exception
    {
        final RecordingSessionFactory expected = factoryFor(alpn);
        final int before = expected.opened.size();
        final int othersBefore = DRAFT_18.opened.size() + DRAFT_14.opened.size() + WEBTRANSPORT.opened.size();
        try (QuicTestClient client = new QuicTestClient(certificate.leaf(), IDLE_MILLIS, alpn))
        {
            final QuicTestClient.Connection connection = client.connect(server.localAddress());
            assertThat(connection.protocol()).isEqualTo(alpn);
            awaitSize(expected.opened, before + 1);
            final RecordingSessionFactory.Opened session = expected.opened.get(before);
            assertThat(session.protocol).isEqualTo(alpn);
            assertThat(session.openedOnEventLoop).isTrue();
            assertThat(DRAFT_18.opened.size() + DRAFT_14.opened.size() + WEBTRANSPORT.opened.size())
                .isEqualTo(othersBefore + 1);
            connection.channel().close().sync();
        }
    }

    @Test
    void unknownAlpnFailsTheHandshakeAndReachesNoFactory() throws Exception
    {
        final int before = DRAFT_18.opened.size() + DRAFT_14.opened.size() + WEBTRANSPORT.opened.size();
        try (QuicTestClient client = new QuicTestClient(certificate.leaf(), 2_000, "moqt-99"))
        {
            assertThatThrownBy(() -> client.connect(server.localAddress()))
                .isInstanceOf(QuicTestClient.HandshakeFailed.class);
            // The netty client only reports a connect timeout; the server's log line says why.
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (connectionLog.messages().isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
            }
            assertThat(connectionLog.messages()).anyMatch(line ->
                line.startsWith("handshake failed") && line.contains("NO_APPLICATION_PROTOCOL"));
        }
        assertThat(DRAFT_18.opened.size() + DRAFT_14.opened.size() + WEBTRANSPORT.opened.size()).isEqualTo(before);
    }

    @Test
    void clientHelloSpanningSeveralInitialPacketsIsAccepted() throws Exception
    {
        // 120 ALPN entries of 60 bytes make a ClientHello of about 7.4 KB: at least six Initial packets.
        final List<String> alpn = new ArrayList<>();
        for (int i = 0; i < 120; i++)
        {
            alpn.add(String.format("x-padding-protocol-%041d", i));
        }
        alpn.add("moqt-18");
        final int before = DRAFT_18.opened.size();
        try (QuicTestClient client = new QuicTestClient(certificate.leaf(), IDLE_MILLIS, alpn.toArray(new String[0])))
        {
            final QuicTestClient.Connection connection = client.connect(server.localAddress());
            assertThat(connection.protocol()).isEqualTo("moqt-18");
            awaitSize(DRAFT_18.opened, before + 1);
            connection.channel().close().sync();
        }
    }

    @Test
    void protocolOfferedWithoutRegisteredFactoryIsRefusedWithConnectionRefused(@TempDir final Path otherDir)
        throws Exception
    {
        final ServerCertificate cert = TestServers.certificate(otherDir);
        final RecordingSessionFactory onlyDraft18 = new RecordingSessionFactory();
        final RelayServer draft18Only = TestServers.start(TestServers.settings(1, Duration.ZERO), cert,
            SessionFactories.builder().register(SessionFactories.MOQT_18, onlyDraft18).build());
        try (QuicTestClient client = new QuicTestClient(cert.leaf(), IDLE_MILLIS, "h3"))
        {
            final QuicTestClient.Connection connection = client.connect(draft18Only.localAddress());
            final QuicConnectionCloseEvent close = connection.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isFalse();
            assertThat(close.error()).isEqualTo(SessionRouter.CONNECTION_REFUSED);
            assertThat(new String(close.reason(), java.nio.charset.StandardCharsets.UTF_8)).contains("h3");
            assertThat(onlyDraft18.opened).isEmpty();
        }
        finally
        {
            draft18Only.close();
        }
    }

    private static RecordingSessionFactory factoryFor(final String alpn)
    {
        return switch (alpn)
        {
            case "moqt-18" -> DRAFT_18;
            case "moq-00" -> DRAFT_14;
            default -> WEBTRANSPORT;
        };
    }

    static void awaitSize(final List<?> list, final int size) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (list.size() < size && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertThat(list).hasSize(size);
    }
}
