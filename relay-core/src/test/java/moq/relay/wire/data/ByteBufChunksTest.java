package moq.relay.wire.data;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ByteBufChunksTest
{
    private final ByteBufChunks chunks = new ByteBufChunks(2048);

    private static byte[] stream(final List<String> expected)
    {
        // The first seed giving a stream with several objects and over 2 KB, so chunks split headers and payloads.
        for (int seed = 0; ; seed++)
        {
            expected.clear();
            final byte[] bytes = SplitInvarianceProperties.StreamModel.subgroup(new Random(seed), Draft.DRAFT_18, expected);
            if (expected.size() >= 12 && bytes.length > 2048)
            {
                return bytes;
            }
        }
    }

    /** Feeds {@code parts} as consecutive ByteBufs (each with a non-zero reader index) and returns the events. */
    private List<String> feed(final byte[] bytes, final java.util.function.Function<byte[], ByteBuf> make) throws WireException
    {
        final Recorder recorder = new Recorder();
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, recorder, Feed.MAX_PROPERTIES);
        final Random random = new Random(1);
        int from = 0;
        while (from < bytes.length)
        {
            final int to = Math.min(bytes.length, from + 1 + random.nextInt(700));
            final byte[] part = new byte[to - from];
            System.arraycopy(bytes, from, part, 0, part.length);
            final ByteBuf buf = make.apply(part);
            try
            {
                final int readerIndex = buf.readerIndex();
                chunks.feed(buf, decoder);
                assertThat(buf.readerIndex()).isEqualTo(readerIndex);
            }
            finally
            {
                buf.release();
            }
            from = to;
        }
        decoder.onFin();
        return recorder.events;
    }

    private static ByteBuf withPrefix(final ByteBuf buf, final byte[] part)
    {
        buf.writeBytes(new byte[]{9, 9, 9});
        buf.writeBytes(part);
        buf.readerIndex(3);
        return buf;
    }

    @Test
    void everyKindOfByteBufDecodesTheSame() throws WireException
    {
        final List<String> expected = new ArrayList<>();
        final byte[] bytes = stream(expected);
        assertThat(feed(bytes, part -> withPrefix(Unpooled.buffer(part.length + 3), part))).isEqualTo(expected);
        assertThat(feed(bytes, part -> withPrefix(Unpooled.directBuffer(part.length + 3), part))).isEqualTo(expected);
        assertThat(feed(bytes, part -> withPrefix(PooledByteBufAllocator.DEFAULT.directBuffer(part.length + 3), part)))
            .isEqualTo(expected);
        assertThat(feed(bytes, part -> withPrefix(PooledByteBufAllocator.DEFAULT.heapBuffer(part.length + 3), part)))
            .isEqualTo(expected);
        // A direct NIO buffer wrapped without Unsafe access paths, and a read-only view.
        assertThat(feed(bytes, part -> Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(part.length).put(part).flip())))
            .isEqualTo(expected);
        assertThat(feed(bytes, part -> Unpooled.wrappedBuffer(ByteBuffer.wrap(part).asReadOnlyBuffer()))).isEqualTo(expected);
        // Composite of heap and direct components, read from the middle of the first component.
        assertThat(feed(bytes, part ->
        {
            final CompositeByteBuf composite = Unpooled.compositeBuffer();
            final int half = part.length / 2;
            final ByteBuf first = Unpooled.buffer().writeBytes(new byte[]{1, 2}).writeBytes(part, 0, half);
            final ByteBuf second = Unpooled.directBuffer().writeBytes(part, half, part.length - half);
            composite.addComponents(true, first, second, Unpooled.buffer(0));
            composite.readerIndex(2);
            return composite;
        })).isEqualTo(expected);
    }

    @Test
    void viewOfAContiguousOrFragmentedDatagram() throws WireException
    {
        final byte[] datagram = Feed.hex("00 01 05 07 80 6869");
        final ObjectDatagram decoded = new ObjectDatagram();
        final ByteBuf direct = withPrefix(Unpooled.directBuffer(16), datagram);
        DirectBuffer view = chunks.view(direct);
        assertThat(decoded.decode(Draft.DRAFT_18, view, 0, direct.readableBytes())).isTrue();
        assertThat(decoded.objectId()).isEqualTo(7);
        direct.release();

        final CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponents(true, Unpooled.wrappedBuffer(datagram, 0, 3), Unpooled.directBuffer().writeBytes(datagram, 3, 4));
        view = chunks.view(composite);
        assertThat(decoded.decode(Draft.DRAFT_18, view, 0, composite.readableBytes())).isTrue();
        assertThat(decoded.payloadLength()).isEqualTo(2);
        assertThat(view.getByte(decoded.payloadOffset())).isEqualTo((byte)'h');
        composite.release();
    }
}
