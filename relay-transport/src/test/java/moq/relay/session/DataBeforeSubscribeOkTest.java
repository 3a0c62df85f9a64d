package moq.relay.session;

import moq.relay.transport.ControlBytes;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A fast publisher's subgroup streams overtake the SUBSCRIBE_OK that establishes their Track Alias (draft-18 and
 * draft-14 §"Subgroup Header" allow a receiver to hold them briefly): the relay holds such a stream until it reads
 * the SUBSCRIBE_OK and then delivers every object; a stream whose alias never comes is discarded after the wait and
 * does not count toward PUBLISH_DONE's stream count. Raw publishers on both drafts, our client as subscriber.
 */
class DataBeforeSubscribeOkTest
{
    private static final long ALIAS = 7;

    @TempDir
    static Path certDir;

    private RelayFixture relay;

    @BeforeEach
    void start()
    {
        relay = new RelayFixture(certDir);
    }

    @AfterEach
    void stop()
    {
        relay.close();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void streamsThatOvertakeSubscribeOkAreHeldAndDelivered(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();

            // Two groups on two streams, both finished before the relay has any way to know alias 7.
            publisher.sendGroup(ALIAS, 0, 3);
            publisher.sendGroup(ALIAS, 1, 2);
            Thread.sleep(300);
            assertThat(received.normalObjects()).as("nothing can be delivered before SUBSCRIBE_OK").isZero();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            RelayFixture.await(() -> received.normalObjects() == 5, "both held streams' objects");
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1])
                .containsExactlyInAnyOrder("0/0", "0/1", "0/2", "1/0", "1/1");
            for (int i = 0; i < received.ids.size(); i++)
            {
                final long[] id = received.ids.get(i);
                assertThat(new String(received.payloads.get(i), StandardCharsets.UTF_8))
                    .isEqualTo(payload(id[0], id[1]));
            }
            assertThat(publisher.connection.peerClose()).isNotDone();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void aStreamWhoseAliasNeverComesIsDiscardedAndNotCountedTowardPublishDone(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(Draft.DRAFT_18)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            // A finished stream for an alias nothing establishes: held for the wait (1 s), then read and dropped.
            publisher.sendGroup(99, 0, 2);
            Thread.sleep(1_500);
            // PUBLISH_DONE counts one stream; the stray one must not satisfy it, so the real one still gets through.
            publisher.publishDone(1);
            Thread.sleep(300);
            assertThat(received.done).as("PUBLISH_DONE waits for the one real stream").isNotDone();
            publisher.sendGroup(ALIAS, 5, 2);
            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1]).containsExactly("5/0", "5/1");
            assertThat(publisher.connection.peerClose()).as("a stray stream is no session error").isNotDone();
        }
    }

    static String payload(final long group, final long object)
    {
        return "object " + group + "/" + object;
    }

    /** A publisher written by hand so that it can send data before SUBSCRIBE_OK. */
    private final class RawPublisher
    {
        final Draft draft;
        final ControlCodec codec;
        final QuicTestClient.Connection connection;
        /** Draft-18: the relay's request streams (its SUBSCRIBE); draft-14: unused. */
        final List<RecordedMessages> peerStreams = new CopyOnWriteArrayList<>();
        final RecordedMessages control;
        final QuicStreamChannel controlStream;
        RecordedMessages subscribeStream;
        long subscribeRequestId;

        RawPublisher(final Draft draft, final QuicTestClient client) throws Exception
        {
            this.draft = draft;
            this.codec = draft == Draft.DRAFT_18 ? Draft18ControlCodec.INSTANCE : Draft14ControlCodec.INSTANCE;
            final ChannelHandler peerStreamHandler = new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel ch)
                {
                    final RecordedMessages recorder = new RecordedMessages(codec);
                    if (ch.type() == QuicStreamType.BIDIRECTIONAL)
                    {
                        peerStreams.add(recorder);
                    }
                    ch.pipeline().addLast(recorder);
                }
            };
            connection = client.connect(relay.server.localAddress(), true, peerStreamHandler);
            control = new RecordedMessages(codec);
            if (draft == Draft.DRAFT_18)
            {
                connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .get(5, TimeUnit.SECONDS).writeAndFlush(encode(moq.relay.wire.d18.Setup.of()));
                controlStream = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                    .get(5, TimeUnit.SECONDS);
                controlStream.writeAndFlush(encode(new moq.relay.wire.d18.PublishNamespace(0, NS,
                    moq.relay.wire.d18.MessageParameters.EMPTY)));
                RelayFixture.await(() -> control.first(moq.relay.wire.d18.RequestOk.class) != null,
                    "REQUEST_OK for PUBLISH_NAMESPACE");
            }
            else
            {
                controlStream = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                    .get(5, TimeUnit.SECONDS);
                controlStream.writeAndFlush(encode(new moq.relay.wire.d14.ClientSetup(List.of(draft.version()),
                    moq.relay.wire.d14.SetupParameters.builder().maxRequestId(100).build())));
                RelayFixture.await(() -> control.first(moq.relay.wire.d14.ServerSetup.class) != null, "SERVER_SETUP");
                controlStream.writeAndFlush(encode(new moq.relay.wire.d14.PublishNamespace(0, NS,
                    moq.relay.wire.d14.MessageParameters.EMPTY)));
                RelayFixture.await(() -> control.first(moq.relay.wire.d14.PublishNamespaceOk.class) != null,
                    "PUBLISH_NAMESPACE_OK");
            }
        }

        ByteBuf encode(final ControlMessage m)
        {
            return ControlBytes.encode(codec, m);
        }

        void awaitSubscribe() throws InterruptedException
        {
            if (draft == Draft.DRAFT_18)
            {
                RelayFixture.await(() -> peerStreams.stream()
                    .anyMatch(s -> s.first(moq.relay.wire.d18.Subscribe.class) != null), "the relay's SUBSCRIBE");
                subscribeStream = peerStreams.stream()
                    .filter(s -> s.first(moq.relay.wire.d18.Subscribe.class) != null).findFirst().orElseThrow();
            }
            else
            {
                RelayFixture.await(() -> control.first(moq.relay.wire.d14.Subscribe.class) != null,
                    "the relay's SUBSCRIBE");
                subscribeRequestId = control.first(moq.relay.wire.d14.Subscribe.class).requestId();
            }
        }

        void subscribeOk(final long alias)
        {
            if (draft == Draft.DRAFT_18)
            {
                subscribeStream.channel().writeAndFlush(encode(new moq.relay.wire.d18.SubscribeOk(alias,
                    moq.relay.wire.d18.MessageParameters.EMPTY, moq.relay.wire.d18.Properties.EMPTY)));
            }
            else
            {
                controlStream.writeAndFlush(encode(new moq.relay.wire.d14.SubscribeOk(subscribeRequestId, alias, 0,
                    moq.relay.wire.d14.GroupOrder.ASCENDING, null, moq.relay.wire.d14.MessageParameters.EMPTY)));
            }
        }

        void publishDone(final long streamCount)
        {
            final Bytes reason = Bytes.utf8("done");
            if (draft == Draft.DRAFT_18)
            {
                subscribeStream.channel().writeAndFlush(encode(new moq.relay.wire.d18.PublishDone(0x2, streamCount,
                    reason)));
            }
            else
            {
                controlStream.writeAndFlush(encode(new moq.relay.wire.d14.PublishDone(subscribeRequestId, 0x2,
                    streamCount, reason)));
            }
        }

        /** One finished subgroup stream: group {@code group}, objects 0..count-1 with {@link #payload} bodies. */
        void sendGroup(final long alias, final long group, final int count) throws Exception
        {
            final QuicStreamChannel data = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
            final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
            int n = encoder.writeHeader(draft, scratch, 0, 0x10, alias, group, 0, 128);
            data.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
            for (int o = 0; o < count; o++)
            {
                final byte[] body = payload(group, o).getBytes(StandardCharsets.UTF_8);
                n = encoder.writeObject(scratch, 0, o, ObjectStatus.NORMAL, null, 0, 0, body.length);
                data.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                data.write(Unpooled.wrappedBuffer(body));
            }
            data.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }
}
