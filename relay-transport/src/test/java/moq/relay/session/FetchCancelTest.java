package moq.relay.session;

import moq.relay.transport.ControlBytes;
import moq.relay.transport.session.ControlMessageReader;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A raw subscriber FETCHes more than its stream window from the relay's cache and never reads the fetch stream, so
 * the relay's fetch is still in progress; it then cancels it (draft-18: RESET_STREAM on the FETCH request stream,
 * draft-14: FETCH_CANCEL). With {@code moq.relay.session.max.requests} = 1, the slot the fetch held proves the engine
 * released it: a SUBSCRIBE refused with EXCESSIVE_LOAD while the fetch runs is accepted after the cancel, and the
 * session stays open.
 */
class FetchCancelTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.SESSION_MAX_REQUESTS_PROP_NAME, "1"));
    private static final Path certDir = relay.certDir();

    private TrackPublisher track;
    private Received received;

    @BeforeEach
    void start() throws Exception
    {
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        track = publisher.track(NS, TRACK, 100);
        received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        // About 150 KB in groups 0..4, all in the relay's cache.
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(5, 20, 5), 0);
        RelayFixture.await(() -> received.normalObjects() == 100, "the cached groups");
    }

    /** A stream of ours whose incoming control messages land in {@code into}. */
    private static QuicStreamChannel open(final QuicTestClient.Connection c, final QuicStreamType type,
        final ControlCodec codec, final BlockingQueue<ControlMessage> into) throws Exception
    {
        final QuicStreamChannel s = c.channel().createStream(type, new ControlMessageReader(codec,
            new ControlMessageReader.Sink()
            {
                @Override
                public void onMessage(final ControlMessage message)
                {
                    into.add(message);
                }

                @Override
                public void onEnd()
                {
                }
            }, e -> into.add(new moq.relay.wire.d14.Goaway(moq.relay.wire.Bytes.utf8("decode failed: " + e)))))
            .get(5, TimeUnit.SECONDS);
        s.config().setAutoRead(true);
        return s;
    }

    private static ControlMessage next(final BlockingQueue<ControlMessage> q) throws InterruptedException
    {
        final ControlMessage m = q.poll(5, TimeUnit.SECONDS);
        assertThat(m).as("a message from the relay").isNotNull();
        return m;
    }

    private void assertHealthyAfterwards(final QuicTestClient.Connection c) throws InterruptedException
    {
        assertThat(c.peerClose()).as("cancelling a fetch is not a session error").isNotDone();
        final int before = received.normalObjects();
        RelayEndToEndTest.publishGroups(track, RelayEndToEndTest.script(1, 5, 77), 10);
        RelayFixture.await(() -> received.normalObjects() == before + 5, "the healthy subscriber's next group");
        assertThat(relay.server.sessionCount()).isEqualTo(3);
    }

    @Test
    void draft18ResetOfTheFetchRequestStreamReleasesTheFetch() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false);
            final ControlCodec codec = Draft18ControlCodec.INSTANCE;
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new io.netty.channel.ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.encode(codec, moq.relay.wire.d18.Setup.of()));

            final BlockingQueue<ControlMessage> onFetch = new LinkedBlockingQueue<>();
            final QuicStreamChannel fetch = open(c, QuicStreamType.BIDIRECTIONAL, codec, onFetch);
            fetch.writeAndFlush(ControlBytes.encode(codec, moq.relay.wire.d18.Fetch.standalone(0, NS, TRACK, new Location(0, 0),
                new Location(5, 0), moq.relay.wire.d18.MessageParameters.EMPTY)));
            assertThat(next(onFetch)).isInstanceOf(moq.relay.wire.d18.FetchOk.class);

            final BlockingQueue<ControlMessage> onRefused = new LinkedBlockingQueue<>();
            open(c, QuicStreamType.BIDIRECTIONAL, codec, onRefused).writeAndFlush(ControlBytes.encode(codec,
                new moq.relay.wire.d18.Subscribe(2, NS, TRACK, moq.relay.wire.d18.MessageParameters.EMPTY)));
            final ControlMessage refused = next(onRefused);
            assertThat(refused).as("the fetch holds the session's only request slot")
                .isInstanceOf(moq.relay.wire.d18.RequestError.class);
            assertThat(((moq.relay.wire.d18.RequestError)refused).errorCode())
                .isEqualTo(moq.relay.wire.d18.RequestErrorCode.EXCESSIVE_LOAD);

            fetch.shutdownOutput(0x1).sync(); // RESET_STREAM: the request is cancelled

            final ControlMessage accepted = awaitAccepted(c, codec);
            assertThat(accepted).as("the cancelled fetch's slot is free again")
                .isInstanceOf(moq.relay.wire.d18.SubscribeOk.class);
            assertHealthyAfterwards(c);
            c.channel().close().await(5, TimeUnit.SECONDS);
        }
    }

    /** SUBSCRIBEs on fresh request streams (even IDs from 4) until one is not refused for load. */
    private static ControlMessage awaitAccepted(final QuicTestClient.Connection c, final ControlCodec codec)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long id = 4;
        while (true)
        {
            final BlockingQueue<ControlMessage> q = new LinkedBlockingQueue<>();
            open(c, QuicStreamType.BIDIRECTIONAL, codec, q).writeAndFlush(ControlBytes.encode(codec,
                new moq.relay.wire.d18.Subscribe(id, NS, TRACK, moq.relay.wire.d18.MessageParameters.EMPTY)));
            id += 2;
            final ControlMessage m = next(q);
            if (!(m instanceof moq.relay.wire.d18.RequestError) || System.nanoTime() > deadline)
            {
                return m;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void draft14FetchCancelReleasesTheFetch() throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moq-00"))
        {
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false);
            final ControlCodec codec = Draft14ControlCodec.INSTANCE;
            final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();
            final QuicStreamChannel s = open(c, QuicStreamType.BIDIRECTIONAL, codec, control);
            s.writeAndFlush(ControlBytes.encode(codec, new moq.relay.wire.d14.ClientSetup(List.of(Draft.DRAFT_14.version()),
                moq.relay.wire.d14.SetupParameters.EMPTY)));
            assertThat(next(control)).isInstanceOf(moq.relay.wire.d14.ServerSetup.class);

            s.writeAndFlush(ControlBytes.encode(codec, moq.relay.wire.d14.Fetch.standalone(0, 128,
                moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, new moq.relay.wire.d14.StandaloneFetch(NS, TRACK,
                    new Location(0, 0), new Location(5, 0)), moq.relay.wire.d14.MessageParameters.EMPTY)));
            assertThat(nextIgnoringMaxRequestId(control)).isInstanceOf(moq.relay.wire.d14.FetchOk.class);

            s.writeAndFlush(ControlBytes.encode(codec, subscribe14(2)));
            final ControlMessage refused = nextIgnoringMaxRequestId(control);
            assertThat(refused).as("the fetch holds the session's only request slot")
                .isInstanceOf(moq.relay.wire.d14.SubscribeError.class);

            s.writeAndFlush(ControlBytes.encode(codec, new moq.relay.wire.d14.FetchCancel(0)));
            s.writeAndFlush(ControlBytes.encode(codec, subscribe14(4)));
            assertThat(nextIgnoringMaxRequestId(control)).as("the cancelled fetch's slot is free again")
                .isInstanceOf(moq.relay.wire.d14.SubscribeOk.class);
            assertHealthyAfterwards(c);
            c.channel().close().await(5, TimeUnit.SECONDS);
        }
    }

    private static ControlMessage nextIgnoringMaxRequestId(final BlockingQueue<ControlMessage> q)
        throws InterruptedException
    {
        ControlMessage m = next(q);
        while (m instanceof moq.relay.wire.d14.MaxRequestId)
        {
            m = next(q);
        }
        return m;
    }

    private static moq.relay.wire.d14.Subscribe subscribe14(final long requestId)
    {
        return new moq.relay.wire.d14.Subscribe(requestId, NS, TRACK, 128,
            moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY);
    }
}
