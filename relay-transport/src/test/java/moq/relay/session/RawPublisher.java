package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A draft-18 or draft-14 publisher written by hand, for tests that need what a well-behaved client never does: data
 * streams before SUBSCRIBE_OK, a stream's bytes held back behind PUBLISH_DONE. It publishes namespace {@code NS},
 * answers the relay's SUBSCRIBE when told to, and writes subgroup streams object by object.
 */
final class RawPublisher
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

    RawPublisher(final Draft draft, final QuicTestClient client, final InetSocketAddress relay) throws Exception
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
        connection = client.connect(relay, true, peerStreamHandler);
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
                moq.relay.wire.d18.MessageParameters.EMPTY, moq.relay.wire.param.Properties.EMPTY)));
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

    /** A subgroup stream of track {@code alias} for {@code group}, its header written. */
    QuicStreamChannel openGroup(final long alias, final long group) throws Exception
    {
        final QuicStreamChannel data = connection.channel().createStream(QuicStreamType.UNIDIRECTIONAL,
            new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        final int n = encoder.writeHeader(draft, scratch, 0, 0x10, alias, group, 0, 128);
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

    /** One finished subgroup stream of track {@code alias}: objects 0..count-1. */
    void sendGroup(final long alias, final long group, final int count) throws Exception
    {
        final QuicStreamChannel data = openGroup(alias, group);
        writeObjects(data, group, 0, count);
        data.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
    }

    /** The body of object {@code object} of {@code group}. */
    static String payload(final long group, final long object)
    {
        return "object " + group + "/" + object;
    }
}
