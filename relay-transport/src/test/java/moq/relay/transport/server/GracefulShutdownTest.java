package moq.relay.transport.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.RecordingSessionFactory;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GracefulShutdownTest
{
    private static final Duration DRAIN = Duration.ofMillis(1500);

    @TempDir
    Path certDir;

    private ServerCertificate certificate;
    private final List<QuicTestClient> clients = new ArrayList<>();

    @BeforeEach
    void certificate()
    {
        certificate = TestServers.certificate(certDir);
    }

    @AfterEach
    void closeClients()
    {
        clients.forEach(QuicTestClient::close);
    }

    private QuicTestClient.Connection connect(final RelayServer server, final long idleMillis) throws Exception
    {
        final QuicTestClient client = new QuicTestClient(certificate.leaf(), idleMillis, "moqt-18");
        clients.add(client);
        return client.connect(server.localAddress());
    }

    private static CompletableFuture<Long> shutdownInBackground(final RelayServer server)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            final long start = System.nanoTime();
            server.shutdownGracefully();
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        });
    }

    @Test
    void sessionsThatStayGetGoAwayThenAreClosedWhenTheDrainBoundExpires() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory(false, 2);
        final RelayServer server = TestServers.start(TestServers.settings(1, DRAIN), certificate,
            SessionFactories.builder().register(SessionFactories.MOQT_18, factory).build());
        final QuicTestClient.Connection first = connect(server, 30_000);
        final QuicTestClient.Connection second = connect(server, 30_000);
        AlpnRoutingTest.awaitSize(factory.opened, 2);

        final CompletableFuture<Long> shutdown = shutdownInBackground(server);

        assertThat(factory.goAways.await(2, TimeUnit.SECONDS)).isTrue();
        factory.opened.forEach(session ->
        {
            assertThat(session.goAwayCalls).isEqualTo(1);
            assertThat(session.goAwayOnEventLoop).isTrue();
        });
        final long tookMillis = shutdown.get(DRAIN.toMillis() + 3_000, TimeUnit.MILLISECONDS);
        assertThat(tookMillis).isBetween(DRAIN.toMillis() - 50, DRAIN.toMillis() + 1_500);
        for (final QuicTestClient.Connection connection : List.of(first, second))
        {
            final QuicConnectionCloseEvent close = connection.peerClose().get(2, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat(close.error()).isEqualTo(TransportSession.GOAWAY_TIMEOUT);
        }
    }

    @Test
    void drainEndsAsSoonAsEverySessionHasClosed() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory(true, 1);
        final RelayServer server = TestServers.start(TestServers.settings(1, Duration.ofSeconds(20)), certificate,
            SessionFactories.builder().register(SessionFactories.MOQT_18, factory).build());
        connect(server, 30_000);
        AlpnRoutingTest.awaitSize(factory.opened, 1);

        final long tookMillis = shutdownInBackground(server).get(10, TimeUnit.SECONDS);

        assertThat(factory.goAways.getCount()).isZero();
        assertThat(tookMillis).isLessThan(5_000);
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void newConnectionsAreNotAcceptedWhileDraining() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory(false, 1);
        final RelayServer server = TestServers.start(TestServers.settings(1, Duration.ofSeconds(2)), certificate,
            SessionFactories.builder().register(SessionFactories.MOQT_18, factory).build());
        connect(server, 30_000);
        AlpnRoutingTest.awaitSize(factory.opened, 1);

        final CompletableFuture<Long> shutdown = shutdownInBackground(server);
        assertThat(factory.goAways.await(2, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> connect(server, 500)).isInstanceOf(QuicTestClient.HandshakeFailed.class);
        assertThat(factory.opened).hasSize(1);
        shutdown.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shutdownWithoutSessionsReturnsPromptlyAndReleasesThePort() throws Exception
    {
        final RelayServer server = TestServers.start(TestServers.settings(1, DRAIN), certificate,
            SessionFactories.builder().build());

        final long tookMillis = shutdownInBackground(server).get(5, TimeUnit.SECONDS);

        assertThat(tookMillis).isLessThan(DRAIN.toMillis());
        // The same port can be bound again: the socket really closed.
        final RelayServer again = TestServers.start(TestServers.settings(1, DRAIN)
            .withPort(server.localAddress().getPort()), certificate, SessionFactories.builder().build());
        again.close();
    }
}
