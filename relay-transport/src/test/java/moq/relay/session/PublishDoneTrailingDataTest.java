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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.transport.ControlBytes;
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
 * PUBLISH_DONE overtakes the last group's data (a control message against a stream still being sent or
 * retransmitted): the relay, as the publisher's subscriber, must not end the subscription while that stream is open,
 * even past the grace period (draft-18 §PUBLISH_DONE: once the timer expires the receiver destroys subscription state
 * once all open streams have closed). Ending it would reset the subgroup downstream and lose its last objects. A raw
 * publisher on each draft holds the rest of its last stream back until well after the grace period; our client
 * subscribes through the real relay and must get every object, then PUBLISH_DONE.
 */
class PublishDoneTrailingDataTest
{
    private static final long ALIAS = 7;
    private static final long GRACE_MILLIS = 300;

    @TempDir
    static Path certDir;

    private RelayFixture relay;

    @BeforeEach
    void start()
    {
        relay = new RelayFixture(certDir,
            Map.of(RelayConfiguration.SESSION_PUBLISH_DONE_GRACE_PROP_NAME, GRACE_MILLIS + "ms"));
    }

    @AfterEach
    void stop()
    {
        relay.close();
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void anOpenStreamWhoseDataTrailsPublishDoneIsDeliveredToTheEnd(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(draft)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            publisher.sendGroup(0, 3);
            // The last group: its header and first two objects now, the rest held back (as if being retransmitted).
            final QuicStreamChannel last = publisher.openGroup(1);
            publisher.writeObjects(last, 1, 0, 2);
            RelayFixture.await(() -> received.normalObjects() == 5, "the first two objects of the last group");
            publisher.publishDone(2);
            Thread.sleep(3 * GRACE_MILLIS);
            assertThat(received.done).as("PUBLISH_DONE waits for the open stream past the grace").isNotDone();
            publisher.writeObjects(last, 1, 2, 4);
            publisher.endOfGroup(last, 4);

            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(received.ids).extracting(id -> id[0] + "/" + id[1] + "/" + id[2]).containsExactlyInAnyOrder(
                "0/0/0", "0/1/0", "0/2/0", "1/0/0", "1/1/0", "1/2/0", "1/3/0", "1/4/" + ObjectStatus.END_OF_GROUP);
            for (int i = 0; i < received.ids.size(); i++)
            {
                final long[] id = received.ids.get(i);
                if (id[2] == ObjectStatus.NORMAL)
                {
                    assertThat(new String(received.payloads.get(i), StandardCharsets.UTF_8))
                        .isEqualTo(payload(id[0], id[1]));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Draft.class, names = {"DRAFT_18", "DRAFT_14"})
    void aCountedStreamThatNeverStartsEndsTheSubscriptionAfterTheGrace(final Draft draft) throws Exception
    {
        try (QuicTestClient client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, draft.alpn()))
        {
            final RawPublisher publisher = new RawPublisher(draft, client);
            final Received received = new Received();
            final CompletableFuture<Subscription> subscribed = relay.connect(draft)
                .subscribe(NS, TRACK, SubscribeOptions.LATEST, received);
            publisher.awaitSubscribe();
            publisher.subscribeOk(ALIAS);
            subscribed.get(5, TimeUnit.SECONDS);

            publisher.sendGroup(0, 2);
            RelayFixture.await(() -> received.normalObjects() == 2, "group 0");
            // Counts a second stream that never comes (reset before its header, say): the grace ends the wait.
            final long sent = System.nanoTime();
            publisher.publishDone(2);
            assertThat(received.done.get(5, TimeUnit.SECONDS)).isEqualTo(0x2L);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isGreaterThanOrEqualTo(GRACE_MILLIS);
        }
    }

    static String payload(final long group, final long object)
    {
        return "object " + group + "/" + object;
    }

    /** A publisher written by hand so that it can hold a data stream's bytes back behind PUBLISH_DONE. */
    private final class RawPublisher
    {
        final Draft draft;
        final ControlCodec codec;
        final QuicTestClient.Connection connection;
        /** Draft-18: the relay's request streams (its SUBSCRIBE); draft-14: unused. */
        final List<RecordedMessages> peerStreams = new CopyOnWriteArrayList<>();
        final RecordedMessages control;
        final QuicStreamChannel controlStream;
        final SubgroupStreamEncoder encoder;
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        RecordedMessages subscribeStream;
        long subscribeRequestId;

        RawPublisher(final Draft draft, final QuicTestClient client) throws Exception
        {
            this.draft = draft;
            this.codec = draft == Draft.DRAFT_18 ? Draft18ControlCodec.INSTANCE : Draft14ControlCodec.INSTANCE;
            this.encoder = new SubgroupStreamEncoder(draft);
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
            controlStream = connection.channel().createStream(QuicStreamType.BIDIRECTIONAL, control)
                .get(5, TimeUnit.SECONDS);
            if (draft == Draft.DRAFT_18)
            {
                connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .get(5, TimeUnit.SECONDS).writeAndFlush(encode(moq.relay.wire.d18.Setup.of()));
                controlStream.writeAndFlush(encode(new moq.relay.wire.d18.PublishNamespace(0, NS,
                    moq.relay.wire.d18.MessageParameters.EMPTY)));
                RelayFixture.await(() -> control.first(moq.relay.wire.d18.RequestOk.class) != null,
                    "REQUEST_OK for PUBLISH_NAMESPACE");
            }
            else
            {
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

        /** A subgroup stream for {@code group}, its header written. */
        QuicStreamChannel openGroup(final long group) throws Exception
        {
            final QuicStreamChannel data = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
            final int n = encoder.writeHeader(draft, scratch, 0, 0x10, ALIAS, group, 0, 128);
            data.writeAndFlush(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
            return data;
        }

        /** Objects {@code from}..{@code to}-1 of {@code group} with {@link #payload} bodies. */
        void writeObjects(final QuicStreamChannel data, final long group, final int from, final int to)
        {
            for (int o = from; o < to; o++)
            {
                final byte[] body = payload(group, o).getBytes(StandardCharsets.UTF_8);
                final int n = encoder.writeObject(scratch, 0, o, ObjectStatus.NORMAL, null, 0, 0, body.length);
                data.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                data.write(Unpooled.wrappedBuffer(body));
            }
            data.flush();
        }

        /** End of Group at {@code objectId}, then FIN. */
        void endOfGroup(final QuicStreamChannel data, final int objectId)
        {
            final int n = encoder.writeObject(scratch, 0, objectId, ObjectStatus.END_OF_GROUP, null, 0, 0, 0);
            data.writeAndFlush(Unpooled.copiedBuffer(scratch.byteArray(), 0, n))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }

        /** One finished subgroup stream: objects 0..count-1. */
        void sendGroup(final long group, final int count) throws Exception
        {
            final QuicStreamChannel data = openGroup(group);
            writeObjects(data, group, 0, count);
            data.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }
    }
}
