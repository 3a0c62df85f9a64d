package moq.relay.transport.webtransport;

import moq.relay.transport.ControlBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile WebTransport input through the real relay: two MoQT sessions over WebTransport (draft-18, separate
 * connections) subscribe to one raw-QUIC publisher's track; one of them then sends a malformed capsule, or opens a
 * stream with a malformed WebTransport stream header. Only the offender's session ends; the other keeps receiving the
 * publisher's objects.
 */
class HostileWebTransportPeerTest
{
    private static final TrackNamespace NS = TrackNamespace.of("live", "hostile");
    private static final Bytes TRACK = Bytes.utf8("video");
    private static final long WAIT = 5;

    @TempDir
    Path certDir;

    private Relay relay;
    private RelayServer server;
    private MoqClient publisher;
    private TrackPublisher track;
    private ServerCertificate certificate;
    private final List<WebTransportTestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception
    {
        relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "16m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        certificate = TestServers.certificate(certDir);
        server = TestServers.start(TestServers.settings(1, Duration.ofMillis(200)), certificate,
            sessions.register(SessionFactories.builder()).build());
        sessions.bindEventLoops(server.eventLoops());
        publisher = MoqClient.connect(ClientConfig.of("127.0.0.1", server.localAddress().getPort(), Draft.DRAFT_18,
            ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
        publisher.publishNamespace(NS).get(WAIT, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
    }

    @AfterEach
    void stop()
    {
        clients.forEach(WebTransportTestClient::close);
        if (publisher != null)
        {
            publisher.close();
        }
        server.close();
        relay.close();
    }

    @Test
    void malformedCapsuleEndsOnlyThatMoqtSessionWhileAnotherKeepsReceivingObjects() throws Exception
    {
        final Subscriber good = subscriber();
        final Subscriber bad = subscriber();
        sendGroup(0);
        good.awaitGroup(0);
        bad.awaitGroup(0);

        // WT_CLOSE_SESSION whose message is not UTF-8 (draft-16 6: H3_MESSAGE_ERROR on that session only).
        final ByteBuf capsule = Unpooled.buffer();
        WtVarint.write(capsule, Capsules.WT_CLOSE_SESSION);
        WtVarint.write(capsule, 6);
        capsule.writeInt(1).writeByte(0xff).writeByte(0xfe);
        bad.client.sendCapsule(bad.session, capsule, false);

        final Throwable reset = bad.session.reset.get(WAIT, TimeUnit.SECONDS);
        assertThat(WebTransportTestClient.resetCode(reset)).as("the CONNECT stream's reset code")
            .isEqualTo(WebTransportErrorCodes.H3_MESSAGE_ERROR);
        assertThat(bad.requestReset()).as("the MoQT session's SUBSCRIBE stream ends with the session")
            .isEqualTo(WebTransportErrorCodes.WT_SESSION_GONE);
        assertThat(bad.client.connectionClose).as("the offender's connection stays up").isNotDone();

        sendGroup(1);
        good.awaitGroup(1);
        sendGroup(2);
        good.awaitGroup(2);
        assertThat(bad.groupsSeen()).as("the ended session gets nothing more").containsExactly(0L);
    }

    @Test
    void malformedWebTransportStreamHeaderEndsOnlyTheOffendersConnectionWhileAnotherSessionKeepsReceiving()
        throws Exception
    {
        final Subscriber good = subscriber();
        final Subscriber bad = subscriber();
        sendGroup(0);
        good.awaitGroup(0);
        bad.awaitGroup(0);

        // A WT bidi stream naming session id 4n+1, which no client-initiated bidi stream can be (draft-16 4.3: H3_ID_ERROR).
        bad.client.bidi(bad.session.id() + 1, "not a session");

        assertThat(bad.client.connectionClose.get(WAIT, TimeUnit.SECONDS).error()).as("the offender's connection close")
            .isEqualTo((int)WebTransportErrorCodes.H3_ID_ERROR);
        sendGroup(1);
        good.awaitGroup(1);
        sendGroup(2);
        good.awaitGroup(2);
        assertThat(bad.groupsSeen()).as("the closed session gets nothing more").containsExactly(0L);
        assertThat(server.sessionCount()).as("the publisher's and the good subscriber's connections remain")
            .isEqualTo(2);
    }

    private void sendGroup(final long group)
    {
        final SubgroupWriter writer = track.openSubgroup(group, 0);
        writer.write(0, Unpooled.copiedBuffer(payload(group), StandardCharsets.UTF_8));
        writer.endGroup(1);
    }

    private static String payload(final long group)
    {
        return "group " + group + " over WebTransport";
    }

    /** A draft-18 MoQT session over its own WebTransport connection, subscribed to the track. */
    private Subscriber subscriber() throws Exception
    {
        final WebTransportTestClient client = new WebTransportTestClient(certificate.leaf(), server.localAddress());
        clients.add(client);
        final WebTransportTestClient.Session session = client.connect("/moq", null, "\"moqt-18\"");
        assertThat(session.status()).isEqualTo("200");
        assertThat(session.header("wt-protocol")).isEqualTo("\"moqt-18\"");
        final QuicStreamChannel control = client.quic.createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(WAIT, TimeUnit.SECONDS);
        control.write(WebTransportTestClient.header(0x54, session.id()));
        control.writeAndFlush(ControlBytes.draft18(Setup.of()));
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        final QuicStreamChannel request = client.quic.createStream(QuicStreamType.BIDIRECTIONAL,
            new WebTransportTestClient.Collector(answer)).get(WAIT, TimeUnit.SECONDS);
        request.write(WebTransportTestClient.header(0x41, session.id()));
        request.writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK, MessageParameters.EMPTY)));
        track.firstSubscriber().get(WAIT, TimeUnit.SECONDS);
        return new Subscriber(client, session, answer);
    }

    private static final class Subscriber
    {
        final WebTransportTestClient client;
        final WebTransportTestClient.Session session;
        final CompletableFuture<byte[]> request;
        private final List<CompletableFuture<byte[]>> streams = new ArrayList<>();

        Subscriber(final WebTransportTestClient client, final WebTransportTestClient.Session session,
            final CompletableFuture<byte[]> request)
        {
            this.client = client;
            this.session = session;
            this.request = request;
        }

        /** Waits for a finished subgroup stream from the relay carrying {@code group}'s object. */
        void awaitGroup(final long group) throws Exception
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (!groupsSeen().contains(group))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new AssertionError("group " + group + " did not arrive; seen " + groupsSeen());
                }
                final CompletableFuture<byte[]> next = client.serverUniStreams.poll(20, TimeUnit.MILLISECONDS);
                if (next != null)
                {
                    streams.add(next);
                }
            }
        }

        /** Groups whose object arrived on a finished stream (drains the streams opened so far). */
        List<Long> groupsSeen() throws Exception
        {
            client.serverUniStreams.drainTo(streams);
            final List<Long> groups = new ArrayList<>();
            for (final CompletableFuture<byte[]> stream : streams)
            {
                if (stream.isDone() && !stream.isCompletedExceptionally())
                {
                    final String bytes = new String(stream.get(), StandardCharsets.ISO_8859_1);
                    for (long g = 0; g < 10; g++)
                    {
                        if (bytes.contains(payload(g)))
                        {
                            groups.add(g);
                        }
                    }
                }
            }
            return groups;
        }

        /** The reset code that ended the SUBSCRIBE request stream. */
        long requestReset() throws Exception
        {
            try
            {
                request.get(WAIT, TimeUnit.SECONDS);
                return -1;
            }
            catch (final ExecutionException ex)
            {
                return WebTransportTestClient.resetCode(ex.getCause());
            }
        }
    }
}
