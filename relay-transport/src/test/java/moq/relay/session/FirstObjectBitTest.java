package moq.relay.session;

import moq.relay.transport.ControlBytes;
import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.data.SubgroupHeaderType;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Draft-18 §"Subgroups": "A relay forwarding a subgroup that begins with the first object ever published in that
 * subgroup MUST set the FIRST_OBJECT bit". The relay knows it from a draft-18 publisher's own bit, and from a
 * draft-14 publisher (no such bit) only when the stream starts at object 0; a subscriber joining mid-subgroup must
 * not get it. Seen by a raw draft-18 subscriber that reads the relay's SUBGROUP_HEADER types. (@moq/net 0.3.4 drops
 * every subgroup stream without the bit.)
 */
class FirstObjectBitTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    /** A raw draft-18 subscriber: SETUP, one SUBSCRIBE, and every stream the relay opens recorded byte for byte. */
    private static final class RawSubscriber implements AutoCloseable
    {
        final List<ByteArrayOutputStream> streams = new CopyOnWriteArrayList<>();
        final RecordedMessages request = new RecordedMessages(Draft18ControlCodec.INSTANCE);
        private final QuicTestClient client;

        RawSubscriber(final RelayFixture relay) throws Exception
        {
            this(relay, MessageParameters.EMPTY);
        }

        RawSubscriber(final RelayFixture relay, final MessageParameters subscribeParameters) throws Exception
        {
            client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18");
            final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), true,
                new ChannelInitializer<QuicStreamChannel>()
                {
                    @Override
                    protected void initChannel(final QuicStreamChannel stream)
                    {
                        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        streams.add(bytes);
                        stream.pipeline().addLast(new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                final ByteBuf b = (ByteBuf)msg;
                                synchronized (bytes)
                                {
                                    final byte[] a = new byte[b.readableBytes()];
                                    b.readBytes(a);
                                    bytes.writeBytes(a);
                                }
                                b.release();
                            }
                        });
                    }
                });
            c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
            c.channel().createStream(QuicStreamType.BIDIRECTIONAL, request).get(5, TimeUnit.SECONDS)
                .writeAndFlush(ControlBytes.draft18(new Subscribe(0, NS, TRACK, subscribeParameters)));
            RelayFixture.await(() -> request.first(SubscribeOk.class) != null, "SUBSCRIBE_OK");
        }

        /** The SUBGROUP_HEADER type of the stream that carries {@code payload}. */
        long headerTypeOfStreamWith(final byte[] payload) throws InterruptedException
        {
            final byte[][] found = new byte[1][];
            RelayFixture.await(() ->
            {
                for (final ByteArrayOutputStream s : streams)
                {
                    final byte[] bytes;
                    synchronized (s)
                    {
                        bytes = s.toByteArray();
                    }
                    if (indexOf(bytes, payload) >= 0)
                    {
                        found[0] = bytes;
                        return true;
                    }
                }
                return false;
            }, "a subgroup stream carrying \"" + new String(payload, StandardCharsets.UTF_8) + "\"");
            return MoqtVarint.value(new UnsafeBuffer(found[0]), 0);
        }

        @Override
        public void close()
        {
            client.close();
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] utf8(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private TrackPublisher publisher(final Draft draft) throws Exception
    {
        final MoqClient publisher = relay.connect(draft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        return publisher.track(NS, TRACK, 100);
    }

    /** Publishes one subgroup starting at {@code firstObject} and returns the raw subscriber's header type for it. */
    private long forwardedHeaderType(final Draft publisherDraft, final long firstObject) throws Exception
    {
        final TrackPublisher track = publisher(publisherDraft);
        try (RawSubscriber subscriber = new RawSubscriber(relay))
        {
            track.firstSubscriber().get(5, TimeUnit.SECONDS);
            final SubgroupWriter subgroup = track.openSubgroup(0, 0);
            final byte[] payload = utf8("object " + firstObject + " from a draft-" + publisherDraft.number());
            subgroup.write(firstObject, Unpooled.wrappedBuffer(payload));
            subgroup.endGroup(firstObject + 1);
            final long type = subscriber.headerTypeOfStreamWith(payload);
            assertThat(SubgroupHeaderType.isValid(Draft.DRAFT_18, type)).as("type 0x%x", type).isTrue();
            return type;
        }
    }

    @Test
    void aDraft18PublishersFirstObjectBitIsForwardedEvenWhenTheSubgroupStartsAboveObjectZero() throws Exception
    {
        assertThat(SubgroupHeaderType.isFirstObject(forwardedHeaderType(Draft.DRAFT_18, 3))).isTrue();
    }

    @Test
    void aDraft14SubgroupStartingAtObjectZeroIsForwardedWithTheBit() throws Exception
    {
        assertThat(SubgroupHeaderType.isFirstObject(forwardedHeaderType(Draft.DRAFT_14, 0))).isTrue();
    }

    @Test
    void aDraft14SubgroupStartingAboveObjectZeroCannotClaimTheBit() throws Exception
    {
        assertThat(SubgroupHeaderType.isFirstObject(forwardedHeaderType(Draft.DRAFT_14, 3))).isFalse();
    }

    @Test
    void aSubscriberJoiningMidSubgroupGetsAStreamWithoutTheBit() throws Exception
    {
        final TrackPublisher track = publisher(Draft.DRAFT_18);
        final RelayEndToEndTest.Received early = new RelayEndToEndTest.Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, moq.relay.client.SubscribeOptions.LATEST, early)
            .get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        final SubgroupWriter subgroup = track.openSubgroup(0, 0);
        subgroup.write(0, Unpooled.wrappedBuffer(utf8("before the late subscriber")));
        RelayFixture.await(() -> early.normalObjects() == 1, "the first object at the early subscriber");
        try (RawSubscriber late = new RawSubscriber(relay, MessageParameters.of(
            new Parameter.Filter(SubscriptionFilter.largestObject()))))
        {
            final byte[] payload = utf8("after the late subscriber");
            subgroup.write(1, Unpooled.wrappedBuffer(payload));
            subgroup.endGroup(2);
            assertThat(SubgroupHeaderType.isFirstObject(late.headerTypeOfStreamWith(payload))).isFalse();
        }
    }
}
