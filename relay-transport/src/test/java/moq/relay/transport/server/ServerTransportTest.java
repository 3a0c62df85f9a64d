package moq.relay.transport.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import io.netty.handler.codec.quic.QuicTransportParameters;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.RecordingSessionFactory;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTransportTest
{
    @TempDir
    Path certDir;

    /** Connects, reads {@code what} of the live connection, then stops the server (a closed one forgets its state). */
    private <T> T connectTo(final ServerSettings settings, final RecordingSessionFactory factory,
        final QuicTestClient client, final Function<QuicTestClient.Connection, T> what) throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        final RelayServer server = TestServers.start(settings, certificate,
            SessionFactories.builder().register(SessionFactories.MOQT_18, factory).build());
        try
        {
            final int port = server.localAddress().getPort();
            final QuicTestClient.Connection connection =
                client.connect(new InetSocketAddress("127.0.0.1", port));
            AlpnRoutingTest.awaitSize(factory.opened, 1);
            return what.apply(connection);
        }
        finally
        {
            server.close();
        }
    }

    @Test
    void serverAdvertisesTheConfiguredTransportParameters() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory();
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTransportParameters peer =
                connectTo(TestServers.settings(1, Duration.ZERO), factory, client,
                    c -> c.channel().peerTransportParameters());

            assertThat(peer.initialMaxData()).isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_DATA_DEFAULT);
            assertThat(peer.initialMaxStreamDataBidiLocal())
                .isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_STREAM_DATA_BIDI_LOCAL_DEFAULT);
            assertThat(peer.initialMaxStreamDataBidiRemote())
                .isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_STREAM_DATA_BIDI_REMOTE_DEFAULT);
            assertThat(peer.initialMaxStreamDataUni())
                .isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_STREAM_DATA_UNI_DEFAULT);
            assertThat(peer.initialMaxStreamsBidi()).isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_BIDI_DEFAULT);
            assertThat(peer.initialMaxStreamsUni()).isEqualTo(RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_UNI_DEFAULT);
            assertThat(peer.maxIdleTimeout()).isEqualTo(RelayConfiguration.QUIC_IDLE_TIMEOUT_DEFAULT.toMillis());
            assertThat(peer.maxUdpPayloadSize()).isEqualTo(RelayConfiguration.QUIC_MAX_RECV_UDP_PAYLOAD_DEFAULT);
        }
    }

    @Test
    void wildcardBoundServerAcceptsIpv4LoopbackClients() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory();
        final ServerSettings wildcard = new ServerSettings("0.0.0.0", 0, 1, true, List.of("moqt-18"), Duration.ZERO);
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            assertThat(connectTo(wildcard, factory, client, QuicTestClient.Connection::protocol)).isEqualTo("moqt-18");
        }
    }

    @Test
    void nioTransportServesConnectionsWhenEpollIsTurnedOff() throws Exception
    {
        final RecordingSessionFactory factory = new RecordingSessionFactory();
        final ServerSettings nio = new ServerSettings("127.0.0.1", 0, 1, false, List.of("moqt-18"), Duration.ZERO);
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            assertThat(connectTo(nio, factory, client, QuicTestClient.Connection::protocol)).isEqualTo("moqt-18");
            assertThat(factory.opened.get(0).connection.parent().getClass().getSimpleName())
                .isEqualTo("NioDatagramChannel");
        }
    }
}
