package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.SessionError;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.TrackStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft-18 §"Request ID": only a duplicate or a wrong parity is INVALID_REQUEST_ID. Each request has its own QUIC
 * stream and QUIC does not order streams, so a raw-QUIC peer whose request id 2 arrives before its id 0 keeps its
 * session and gets both answered (TRACK_STATUS of a track the relay does not know: REQUEST_ERROR, the same for both); a reused id, a wrong parity and an id too far below the highest still close it.
 */
class RequestIdOrderTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private QuicTestClient client;
    private QuicTestClient.Connection peer;

    @BeforeEach
    void start() throws Exception
    {
        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18");
        peer = client.connect(relay.server.localAddress());
        peer.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new io.netty.channel.ChannelInboundHandlerAdapter())
            .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
    }

    @AfterEach
    void stop()
    {
        client.close();
    }

    private RecordedMessages requestStream() throws Exception
    {
        final RecordedMessages answers = new RecordedMessages(Draft18ControlCodec.INSTANCE);
        peer.channel().createStream(QuicStreamType.BIDIRECTIONAL, answers).get(5, TimeUnit.SECONDS);
        return answers;
    }

    private static void trackStatus(final RecordedMessages stream, final long requestId)
    {
        stream.channel().writeAndFlush(ControlBytes.draft18(new TrackStatus(requestId, NS, TRACK, MessageParameters.EMPTY)));
    }

    private static void awaitAnswer(final RecordedMessages stream, final String what) throws InterruptedException
    {
        RelayFixture.await(() -> stream.first(RequestOk.class) != null || stream.first(RequestError.class) != null,
            what);
    }

    private void assertClosedWith(final SessionError error) throws Exception
    {
        final QuicConnectionCloseEvent close = peer.peerClose().get(5, TimeUnit.SECONDS);
        assertThat(close.isApplicationClose()).isTrue();
        assertThat((long)close.error()).as("close code").isEqualTo(error.code());
    }

    @Test
    void aLowerRequestIdArrivingAfterAHigherOneIsServed() throws Exception
    {
        // Stream A is opened first and will carry id 0; stream B, opened second, carries id 2 and is written first.
        final RecordedMessages a = requestStream();
        final RecordedMessages b = requestStream();
        trackStatus(b, 2);
        awaitAnswer(b, "the answer to request 2");
        trackStatus(a, 0);
        awaitAnswer(a, "the answer to request 0, which arrived after request 2");

        assertThat(a.decoded()).as("request 0 is answered as request 2 was").hasSize(1).isEqualTo(b.decoded());
        assertThat(peer.peerClose()).as("the session stays up").isNotDone();
        final RecordedMessages c = requestStream();
        trackStatus(c, 4);
        awaitAnswer(c, "a later request on the same session");
        assertThat(peer.peerClose()).isNotDone();
    }

    @Test
    void aReusedRequestIdStillClosesTheSession() throws Exception
    {
        final RecordedMessages b = requestStream();
        trackStatus(b, 2);
        awaitAnswer(b, "the answer to request 2");
        final RecordedMessages a = requestStream();
        trackStatus(a, 0);
        awaitAnswer(a, "the answer to request 0");

        trackStatus(requestStream(), 0);
        assertClosedWith(SessionError.INVALID_REQUEST_ID);
    }

    @Test
    void aReusedRequestIdBelowTheHighestClosesTheSessionToo() throws Exception
    {
        final RecordedMessages first = requestStream();
        trackStatus(first, 2);
        awaitAnswer(first, "the answer to request 2");
        final RecordedMessages higher = requestStream();
        trackStatus(higher, 6);
        awaitAnswer(higher, "the answer to request 6");

        trackStatus(requestStream(), 2);
        assertClosedWith(SessionError.INVALID_REQUEST_ID);
    }

    @Test
    void anOddRequestIdFromTheClientClosesTheSession() throws Exception
    {
        final RecordedMessages first = requestStream();
        trackStatus(first, 0);
        awaitAnswer(first, "the answer to request 0");

        trackStatus(requestStream(), 3);
        assertClosedWith(SessionError.INVALID_REQUEST_ID);
    }

    @Test
    void anIdTooFarBelowTheHighestToTellIsRefused() throws Exception
    {
        // The relay remembers as many ids below the highest as it grants bidirectional streams (1000 by default).
        final RecordedMessages high = requestStream();
        trackStatus(high, 2 * 1000);
        awaitAnswer(high, "the answer to request 2000");
        final RecordedMessages oldest = requestStream();
        trackStatus(oldest, 2);
        awaitAnswer(oldest, "the answer to request 2, the oldest id still remembered");

        trackStatus(requestStream(), 0);
        assertClosedWith(SessionError.INVALID_REQUEST_ID);
    }
}
