package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draft 18 puts each request on its own stream, so after a lost or reordered packet a peer's later request can
 * arrive first (found by the soak: over a 2 %-loss link, a subscriber making eight SUBSCRIBEs at once was closed with
 * INVALID_REQUEST_ID). Out of order is fine; only a duplicate Request ID closes the session.
 */
class RequestIdOrderTest
{
    @TempDir
    static Path certDir;

    private RelayFixture relay;

    @BeforeEach
    void start() throws Exception
    {
        relay = new RelayFixture(certDir);
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        assertThat(track).isNotNull();
    }

    @AfterEach
    void stop()
    {
        relay.close();
    }

    /** A request stream that completes {@link #answered} when the relay writes its answer. */
    private static QuicStreamChannel request(final QuicTestClient.Connection c, final long requestId,
        final CompletableFuture<Void> answered) throws Exception
    {
        final QuicStreamChannel s = c.channel().createStream(QuicStreamType.BIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    ReferenceCountUtil.release(msg);
                    answered.complete(null);
                }
            }).get(5, TimeUnit.SECONDS);
        s.writeAndFlush(ControlBytes.draft18(new Subscribe(requestId, NS, TRACK, MessageParameters.EMPTY)));
        return s;
    }

    @Test
    void requestsArrivingOutOfOrderAreAnsweredAndADuplicateIsStillRefused() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress());
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            final CompletableFuture<Void> four = new CompletableFuture<>();
            final CompletableFuture<Void> zero = new CompletableFuture<>();
            final CompletableFuture<Void> two = new CompletableFuture<>();
            // As a lossy network may deliver them: request 4's stream first, then 0, then 2.
            request(c, 4, four);
            four.get(5, TimeUnit.SECONDS);
            request(c, 0, zero);
            request(c, 2, two);
            zero.get(5, TimeUnit.SECONDS);
            two.get(5, TimeUnit.SECONDS);
            assertThat(c.peerClose()).as("out-of-order request ids are no error").isNotDone();

            request(c, 2, new CompletableFuture<>());
            final QuicConnectionCloseEvent close = c.peerClose().get(5, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isTrue();
            assertThat((long)close.error()).as("a duplicate request id").isEqualTo(
                SessionError.INVALID_REQUEST_ID.code());
        }
    }
}
