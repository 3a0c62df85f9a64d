package moq.relay.transport.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import moq.relay.engine.MemoryBudget;
import moq.relay.transport.ControlBytes;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Goaway;
import org.junit.jupiter.api.Test;

/**
 * The shared reading plumbing of {@link DecodingReader} through two of its readers, below the transport (an embedded
 * channel): every read released, a unit split across reads buffered within the budget and given back when the stream
 * goes, a stopped reader dropping the rest, and a uni stream's type split across reads handed on byte for byte.
 */
class DecodingReaderTest
{
    @Test
    void aControlMessageTrickledByteByByteIsDecodedOnceAndItsBufferGoesBackToTheBudget()
    {
        final MemoryBudget budget = new MemoryBudget(1 << 20);
        final List<ControlMessage> messages = new ArrayList<>();
        final List<WireException> failures = new ArrayList<>();
        final int[] ends = new int[1];
        final ControlMessageReader reader = new ControlMessageReader(Draft18ControlCodec.INSTANCE, sink(messages, ends),
            failures::add, budget);
        final EmbeddedChannel channel = new EmbeddedChannel(reader);
        final ByteBuf message = ControlBytes.draft18(Goaway.onRequestStream(Bytes.utf8("https://relay.example/next"),
            0));
        final List<ByteBuf> reads = new ArrayList<>();
        while (message.isReadable())
        {
            final ByteBuf one = Unpooled.buffer(1).writeByte(message.readByte());
            reads.add(one);
            channel.writeInbound(one);
            if (message.isReadable())
            {
                assertThat(messages).as("nothing decoded before the last byte").isEmpty();
                assertThat(reader.hasPartialMessage()).isTrue();
                assertThat(budget.usedBytes()).as("the partial message's buffer is reserved").isPositive();
            }
        }
        message.release();
        assertThat(messages).hasSize(1).first().isInstanceOf(Goaway.class);
        assertThat(failures).isEmpty();
        assertThat(reads).as("every read released").allSatisfy(b -> assertThat(b.refCnt()).isZero());

        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ends[0]).as("FIN ends the stream once").isEqualTo(1);
        channel.close();
        assertThat(ends[0]).isEqualTo(1);
        assertThat(budget.usedBytes()).as("the buffer went back to the budget").isZero();
    }

    @Test
    void aStoppedReaderReleasesAndDropsWhatFollowsAndReportsNoEnd()
    {
        final MemoryBudget budget = new MemoryBudget(1 << 20);
        final List<ControlMessage> messages = new ArrayList<>();
        final int[] ends = new int[1];
        final ControlMessageReader reader = new ControlMessageReader(Draft18ControlCodec.INSTANCE, sink(messages, ends),
            e -> { }, budget);
        final EmbeddedChannel channel = new EmbeddedChannel(reader);
        final ByteBuf first = ControlBytes.draft18(Goaway.onRequestStream(Bytes.utf8(""), 0));
        final ByteBuf half = first.readRetainedSlice(first.readableBytes() / 2);
        channel.writeInbound(half);
        assertThat(budget.usedBytes()).isPositive();
        reader.stop();
        channel.writeInbound(first);
        assertThat(first.refCnt()).as("read after the stop: released").isZero();
        assertThat(messages).isEmpty();
        channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(ends[0]).as("a stopped reader's session does not hear of the end").isZero();
        channel.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aBudgetThatRefusesTheBufferFailsTheSessionAndKeepsNothing()
    {
        final MemoryBudget budget = new MemoryBudget(8);
        final List<WireException> failures = new ArrayList<>();
        final ControlMessageReader reader = new ControlMessageReader(Draft18ControlCodec.INSTANCE,
            sink(new ArrayList<>(), new int[1]), failures::add, budget);
        final EmbeddedChannel channel = new EmbeddedChannel(reader);
        final ByteBuf message = ControlBytes.draft18(Goaway.onRequestStream(Bytes.utf8("https://relay.example/next"),
            0));
        channel.writeInbound(message);
        assertThat(message.refCnt()).isZero();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getMessage()).contains("over budget");
        channel.close();
        assertThat(budget.usedBytes()).isZero();
    }

    @Test
    void aStreamTypeSplitAcrossReadsIsHandedOnWholeToTheReaderOfThatType()
    {
        final long type = 0x1234; // two bytes as a QUIC varint
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final long[] routed = {-1};
        final UniStreamClassifier classifier = new UniStreamClassifier(QuicVarint.INSTANCE, t ->
        {
            routed[0] = t;
            return new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                {
                    final ByteBuf b = (ByteBuf)msg;
                    final byte[] bytes = new byte[b.readableBytes()];
                    b.readBytes(bytes);
                    received.writeBytes(bytes);
                    b.release();
                }
            };
        });
        final EmbeddedChannel channel = new EmbeddedChannel(classifier);
        final byte[] stream = {0x52, 0x34, 7, 8, 9};
        final ByteBuf first = Unpooled.wrappedBuffer(stream, 0, 1);
        channel.writeInbound(first);
        assertThat(routed[0]).as("half a type routes nothing").isEqualTo(-1);
        assertThat(first.refCnt()).isZero();
        final ByteBuf rest = Unpooled.wrappedBuffer(stream, 1, 4);
        channel.writeInbound(rest);
        assertThat(routed[0]).isEqualTo(type);
        assertThat(received.toByteArray()).as("the stream from its first byte").containsExactly(stream);
        assertThat(rest.refCnt()).as("handed on, then released by the reader it went to").isZero();
        assertThat(channel.pipeline().get(UniStreamClassifier.class)).isNull();
        final ByteBuf later = Unpooled.wrappedBuffer(new byte[] {10});
        channel.writeInbound(later);
        assertThat(received.toByteArray()).hasSize(stream.length + 1);
    }

    private static ControlMessageReader.Sink sink(final List<ControlMessage> messages, final int[] ends)
    {
        return new ControlMessageReader.Sink()
        {
            @Override
            public void onMessage(final ControlMessage message)
            {
                messages.add(message);
            }

            @Override
            public void onEnd()
            {
                ends[0]++;
            }
        };
    }
}
