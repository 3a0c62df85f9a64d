package moq.relay.transport.webtransport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.TestServers;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.TrackStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebTransport form of moq.relay.session.RequestStreamCreditTest: draft-18 requests on WebTransport bidi
 * streams are QUIC bidi streams of the relay's grant ({@code moq.relay.quic.initial.max.streams.bidi}, here 20, one
 * of them the CONNECT stream), so every ended request must give its credit back. Three times the grant of
 * SUBSCRIBE-then-cancel (FIN, RESET_STREAM) and TRACK_STATUS cycles must never wait for credit.
 */
class WebTransportRequestStreamCreditTest
{
    private static final int CREDIT = 20;
    private static final TrackNamespace NS = TrackNamespace.of("live", "wt");
    private static final Bytes TRACK = Bytes.utf8("video");

    @TempDir
    Path certDir;

    private Relay relay;
    private RelayServer server;
    private MoqClient publisher;
    private WebTransportTestClient wt;
    private long sessionId;

    @BeforeEach
    void start() throws Exception
    {
        final String property = RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_BIDI_PROP_NAME;
        final String before = System.getProperty(property);
        System.setProperty(property, Integer.toString(CREDIT)); // the QUIC server reads its settings from here
        final ServerCertificate certificate;
        try
        {
            relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "16m",
                RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k", property, Integer.toString(CREDIT))), 1);
            final MoqtSessions sessions = new MoqtSessions(relay);
            certificate = TestServers.certificate(certDir);
            server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), certificate,
                sessions.register(SessionFactories.builder()).build());
            sessions.bindEventLoops(server.eventLoops());
        }
        finally
        {
            if (before == null)
            {
                System.clearProperty(property);
            }
            else
            {
                System.setProperty(property, before);
            }
        }
        publisher = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        publisher.track(NS, TRACK, 100);

        wt = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        final WebTransportTestClient.Session session = wt.connect("/moq", null, "\"moqt-18\"");
        assertThat(session.status()).isEqualTo("200");
        sessionId = session.id();
        final QuicStreamChannel control = wt.quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new io.netty.channel.ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        control.write(WebTransportTestClient.header(0x54, sessionId));
        control.writeAndFlush(ControlBytes.draft18(Setup.of()));
    }

    @AfterEach
    void stop()
    {
        if (wt != null)
        {
            wt.close();
        }
        if (publisher != null)
        {
            publisher.close();
        }
        server.close();
        relay.close();
    }

    @Test
    void subscribeCancelledWithFin() throws Exception
    {
        for (int i = 0; i < 3 * CREDIT; i++)
        {
            awaitCredit(i);
            final CompletableFuture<byte[]> answer = new CompletableFuture<>();
            final QuicStreamChannel s = open(answer);
            s.writeAndFlush(ControlBytes.draft18(new Subscribe(2L * i, NS, TRACK, MessageParameters.EMPTY)))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            answer.get(5, TimeUnit.SECONDS); // the relay's FIN
        }
        assertThat(wt.connectionClose).isNotDone();
    }

    @Test
    void subscribeCancelledWithResetStream() throws Exception
    {
        for (int i = 0; i < 3 * CREDIT; i++)
        {
            awaitCredit(i);
            final CompletableFuture<byte[]> answer = new CompletableFuture<>();
            final QuicStreamChannel s = open(answer);
            s.writeAndFlush(ControlBytes.draft18(new Subscribe(2L * i, NS, TRACK, MessageParameters.EMPTY))).sync();
            s.shutdownOutput(0x1).sync();
            try
            {
                answer.get(5, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.ExecutionException e)
            {
                // reset by the relay: its side is closed too
            }
        }
        assertThat(wt.connectionClose).isNotDone();
    }

    @Test
    void trackStatusAnswered() throws Exception
    {
        for (int i = 0; i < 3 * CREDIT; i++)
        {
            awaitCredit(i);
            final CompletableFuture<byte[]> answer = new CompletableFuture<>();
            final QuicStreamChannel s = open(answer);
            s.writeAndFlush(ControlBytes.draft18(new TrackStatus(2L * i, NS, TRACK, MessageParameters.EMPTY))).sync();
            assertThat(answer.get(5, TimeUnit.SECONDS)).as("REQUEST_OK, then the relay's FIN").isNotEmpty();
            s.shutdownOutput().sync();
        }
        assertThat(wt.connectionClose).isNotDone();
    }

    private QuicStreamChannel open(final CompletableFuture<byte[]> answer) throws Exception
    {
        final QuicStreamChannel s = wt.quic.createStream(QuicStreamType.BIDIRECTIONAL,
            new WebTransportTestClient.Collector(answer)).get(5, TimeUnit.SECONDS);
        s.write(WebTransportTestClient.header(0x41, sessionId));
        return s;
    }

    private void awaitCredit(final int cycle) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (wt.quic.eventLoop().submit(() -> wt.quic.peerAllowedStreams(QuicStreamType.BIDIRECTIONAL))
            .get(5, TimeUnit.SECONDS) == 0)
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("no bidirectional stream credit from the relay after " + cycle +
                    " ended WebTransport requests (granted " + CREDIT + ")");
            }
            Thread.sleep(5);
        }
    }
}
