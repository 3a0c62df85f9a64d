package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d18.PublishNamespace;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a publisher's streams make the relay hold is what it sent, within the session's and the relay's budgets, and an
 * object the ingest cannot take ends the subscription with EXCESSIVE_LOAD (issues 11 and 12). A raw draft-18 publisher
 * (written by hand so that it can send hostile headers) or our client, a real relay on loopback, our client as
 * subscriber.
 */
class IngestMemoryTest
{
    private static final long ALIAS = 1;

    @TempDir
    static Path certDir;

    private RelayFixture relay;

    @AfterEach
    void stop()
    {
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void manyStreamsDeclaringLargePropertiesHoldOnlyWhatArrived() throws Exception
    {
        relay = new RelayFixture(certDir);
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, "moqt-18"))
        {
            final RawPublisher publisher = new RawPublisher(client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.subscribeOk();
            subscribed.get(5, TimeUnit.SECONDS);

            // 500 streams, each a subgroup header whose first object declares a 65,535-byte properties block, and
            // nothing more: about 10 bytes sent per stream. The relay used to set 65.6 KB aside for each.
            final byte[] header = headerDeclaringProperties(65_535);
            final List<QuicStreamChannel> streams = new ArrayList<>();
            for (int i = 0; i < 500; i++)
            {
                streams.add(publisher.send(header));
            }
            RelayFixture.await(() -> relay.relay.streamBuffers().usedBytes() > 0, "the headers to arrive");
            Thread.sleep(500);
            assertThat(relay.relay.streamBuffers().usedBytes()).as("bytes the 500 streams hold")
                .isLessThanOrEqualTo(500 * 64);
            assertThat(publisher.connection.peerClose()).as("declaring is no error").isNotDone();

            // The streams go away: nothing stays accounted.
            for (final QuicStreamChannel s : streams)
            {
                s.shutdownOutput(0x1);
            }
            RelayFixture.await(() -> relay.relay.streamBuffers().usedBytes() == 0, "the streams' buffers released");
        }
    }

    @Test
    void streamsThatWouldPassTheBudgetAreStoppedAndTheOthersCarryOn() throws Exception
    {
        relay = new RelayFixture(certDir, Map.of(RelayConfiguration.SESSION_MAX_GATHERED_BYTES_PROP_NAME, "256k"));
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, "moqt-18"))
        {
            final RawPublisher publisher = new RawPublisher(client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.subscribeOk();
            subscribed.get(5, TimeUnit.SECONDS);

            // 40 streams each send 30,000 bytes of a declared 65,535-byte properties block: 1.2 MB in all against a
            // 256 KiB session bound. The streams past it are stopped; the session stays.
            final byte[] header = headerDeclaringProperties(65_535);
            final byte[] block = new byte[30_000];
            java.util.Arrays.fill(block, (byte)0x02);
            for (int i = 0; i < 40; i++)
            {
                final QuicStreamChannel s = publisher.send(header);
                s.writeAndFlush(Unpooled.wrappedBuffer(block));
            }
            Thread.sleep(1_000);
            assertThat(relay.relay.streamBuffers().usedBytes()).as("within the session's bound")
                .isPositive().isLessThanOrEqualTo(256 << 10);
            assertThat(publisher.connection.peerClose()).isNotDone();

            // A well-formed group of the same publisher still gets through.
            publisher.sendGroup(5, "after".getBytes());
            RelayFixture.await(() -> received.normalObjects() == 1, "the later group");
        }
    }

    @Test
    void aPayloadLengthAbove2To63IsNotBufferedAndResetsOnlyItsSubgroup() throws Exception
    {
        relay = new RelayFixture(certDir);
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, "moqt-18"))
        {
            final RawPublisher publisher = new RawPublisher(client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.subscribeOk();
            subscribed.get(5, TimeUnit.SECONDS);

            // Type 0x10, alias 1, group 7, priority 0x80, object 0, Payload Length 2^64-1, then 8 MB of payload.
            final QuicStreamChannel s = publisher.send(HexFormat.of().parseHex("1001078000ffffffffffffffffff"));
            final byte[] chunk = new byte[64 * 1024];
            long peak = 0;
            // Once the relay's STOP_SENDING arrives the stream takes no more writes: stop at the first that stalls.
            for (int i = 0; i < 128 && s.isActive(); i++)
            {
                final boolean written = s.writeAndFlush(Unpooled.wrappedBuffer(chunk)).await(1, TimeUnit.SECONDS);
                peak = Math.max(peak, relay.relay.streamBuffers().usedBytes());
                if (!written)
                {
                    break;
                }
            }
            assertThat(peak).as("bytes the relay's streams held").isZero();
            final moq.relay.engine.TrackIngest ingest = relay.relay.ingestOf(new FullTrackName(NS, TRACK));
            RelayFixture.await(() -> ingest.oversized() == 1, "the oversized object counted");

            // Above moq.relay.store.max.object.bytes: only that subgroup is reset, the track goes on.
            publisher.sendGroup(8, "after".getBytes());
            RelayFixture.await(() -> received.normalObjects() == 1, "the next group");
            assertThat(received.ids).as("nothing of group 7").noneMatch(id -> id[0] == 7);
            assertThat(received.done).as("no PUBLISH_DONE: the subscription stays").isNotDone();
            assertThat(relay.relay.droppedObjects()).as("an oversized object is no store drop").isZero();
            assertThat(publisher.connection.peerClose()).as("no session error").isNotDone();
        }
    }

    @Test
    void anObjectTheStoreRefusesEndsTheSubscriptionWithExcessiveLoadAndIsCounted() throws Exception
    {
        // One 64 KiB segment for the whole store: the track cannot get its second segment.
        relay = new RelayFixture(certDir, Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64k",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "64k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "128k",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "32k"));
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received received = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, received).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final List<List<byte[]>> groups = new ArrayList<>();
        for (int g = 0; g < 20; g++)
        {
            groups.add(List.of(new byte[10_000]));
        }
        RelayEndToEndTest.publishGroups(track, groups, 0);
        assertThat(received.done.get(10, TimeUnit.SECONDS)).as("PUBLISH_DONE status")
            .isEqualTo(PublishDoneStatus.EXCESSIVE_LOAD.code());
        assertThat(relay.relay.droppedObjects()).as("drops counted").isPositive();
        assertThat(received.normalObjects()).as("objects before the drop").isPositive().isLessThan(20);
    }

    /** A draft-18 subgroup stream's first bytes: header (PROPERTIES), object 0, a properties length of {@code n}. */
    private static byte[] headerDeclaringProperties(final int n)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        final int type = SubgroupHeaderType.of(Draft.DRAFT_18, true, SubgroupHeaderType.MODE_EXPLICIT, false, false,
            false);
        int p = new SubgroupStreamEncoder(Draft.DRAFT_18).writeHeader(Draft.DRAFT_18, b, 0, type, ALIAS, 1, 0, 128);
        p += Draft.DRAFT_18.varint().encode(b, p, 0);
        p += Draft.DRAFT_18.varint().encode(b, p, n);
        final byte[] out = new byte[p];
        b.getBytes(0, out);
        return out;
    }

    /** A draft-18 publisher written by hand: SETUP, PUBLISH_NAMESPACE, answers the relay's SUBSCRIBE with alias 1. */
    private final class RawPublisher
    {
        final QuicTestClient.Connection connection;
        final List<RecordedMessages> peerStreams = new CopyOnWriteArrayList<>();

        RawPublisher(final QuicTestClient client) throws Exception
        {
            final ChannelHandler peerStreamHandler = new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel ch)
                {
                    final RecordedMessages recorder = new RecordedMessages(Draft18ControlCodec.INSTANCE);
                    if (ch.type() == QuicStreamType.BIDIRECTIONAL)
                    {
                        peerStreams.add(recorder);
                    }
                    ch.pipeline().addLast(recorder);
                }
            };
            connection = client.connect(relay.server.localAddress(), true, peerStreamHandler);
            connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(encode(Setup.of()));
            final RecordedMessages control = new RecordedMessages(Draft18ControlCodec.INSTANCE);
            connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, control).get(5, TimeUnit.SECONDS)
                .writeAndFlush(encode(new PublishNamespace(0, NS, MessageParameters.EMPTY)));
            RelayFixture.await(() -> control.first(RequestOk.class) != null, "REQUEST_OK for PUBLISH_NAMESPACE");
        }

        ByteBuf encode(final ControlMessage m)
        {
            return ControlBytes.encode(Draft18ControlCodec.INSTANCE, m);
        }

        void subscribeOk() throws InterruptedException
        {
            RelayFixture.await(() -> peerStreams.stream().anyMatch(s -> s.first(Subscribe.class) != null),
                "the relay's SUBSCRIBE");
            peerStreams.stream().filter(s -> s.first(Subscribe.class) != null).findFirst().orElseThrow().channel()
                .writeAndFlush(encode(new SubscribeOk(ALIAS, MessageParameters.EMPTY, Properties.EMPTY)));
        }

        /** A new uni stream carrying {@code bytes}, left open. */
        QuicStreamChannel send(final byte[] bytes) throws Exception
        {
            final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            s.writeAndFlush(Unpooled.wrappedBuffer(bytes));
            return s;
        }

        /** One finished subgroup stream: group {@code group}, one object. */
        void sendGroup(final long group, final byte[] body) throws Exception
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
            final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(Draft.DRAFT_18);
            int n = encoder.writeHeader(Draft.DRAFT_18, scratch, 0, 0x10, ALIAS, group, 0, 128);
            n += encoder.writeObject(scratch, n, 0, 0, null, 0, 0, body.length);
            final QuicStreamChannel s = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            s.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
            s.writeAndFlush(Unpooled.wrappedBuffer(body)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }
}
