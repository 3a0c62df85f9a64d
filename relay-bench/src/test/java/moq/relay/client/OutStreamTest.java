package moq.relay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import moq.relay.session.EmbeddedQuicStream;
import org.junit.jupiter.api.Test;

/**
 * What the client's publisher hands a QUIC stream (which sends on every write): the SUBGROUP_HEADER in front of the
 * first object, one write per object, and the FIN in the same frame as a last object, whether the stream was open at
 * once or opened later.
 */
class OutStreamTest
{
    private static final byte[] HEADER = {0x10, 0x11, 0x12};

    private final AtomicLong queuedBytes = new AtomicLong();
    private final OutgoingSubscription subscription = new OutgoingSubscription(null, 1, 2, (QuicStreamChannel)null);
    private final EmbeddedQuicStream channel = new EmbeddedQuicStream(2);
    private Consumer<QuicStreamChannel> pendingOpen;

    @Test
    void theHeaderRidesWithTheFirstObjectAndTheFinWithTheLast()
    {
        final OutStream out = new OutStream(subscription, onOpen -> onOpen.accept(channel), HEADER,
            ByteBufAllocator.DEFAULT, queuedBytes);
        out.write(bytes(1, 2));
        out.write(bytes(3));
        out.finish(bytes(4));

        assertThat(writes()).extracting(Write::fin, Write::bytes).containsExactly(
            tuple(false, new byte[] {0x10, 0x11, 0x12, 1, 2}),
            tuple(false, new byte[] {3}),
            tuple(true, new byte[] {4}));
        assertThat(queuedBytes).as("every byte handed to QUIC").hasValue(0);
        assertThat(subscription.openStreams).isEmpty();
    }

    @Test
    void writesMadeBeforeTheStreamOpensLeaveInOrderTheLastWithTheFin()
    {
        final OutStream out = new OutStream(subscription, onOpen -> pendingOpen = onOpen, HEADER,
            ByteBufAllocator.DEFAULT, queuedBytes);
        out.write(bytes(1));
        out.write(bytes(2));
        out.finish(bytes(3));
        assertThat(queuedBytes).hasValue(HEADER.length + 3);

        pendingOpen.accept(channel);
        assertThat(writes()).extracting(Write::fin, Write::bytes).containsExactly(
            tuple(false, new byte[] {0x10, 0x11, 0x12, 1}),
            tuple(false, new byte[] {2}),
            tuple(true, new byte[] {3}));
        assertThat(queuedBytes).hasValue(0);
    }

    @Test
    void aSubgroupClosedWithoutObjectsCarriesItsHeaderWithTheFin()
    {
        final OutStream out = new OutStream(subscription, onOpen -> onOpen.accept(channel), HEADER,
            ByteBufAllocator.DEFAULT, queuedBytes);
        out.finish();
        out.write(bytes(9)); // after the FIN: dropped

        assertThat(writes()).extracting(Write::fin, Write::bytes).containsExactly(tuple(true, HEADER));
    }

    @Test
    void aFinAfterTheLastWriteIsAnEmptyFrameBehindIt()
    {
        final OutStream out = new OutStream(subscription, onOpen -> onOpen.accept(channel), HEADER,
            ByteBufAllocator.DEFAULT, queuedBytes);
        out.write(bytes(1));
        out.finish();

        assertThat(writes()).extracting(Write::fin, Write::bytes).containsExactly(
            tuple(false, new byte[] {0x10, 0x11, 0x12, 1}),
            tuple(true, new byte[0]));
    }

    @Test
    void aResetBeforeTheStreamOpensReleasesWhatWasQueued()
    {
        final OutStream out = new OutStream(subscription, onOpen -> pendingOpen = onOpen, HEADER,
            ByteBufAllocator.DEFAULT, queuedBytes);
        final ByteBuf object = bytes(1, 2);
        out.write(object);
        out.reset(0x1);

        assertThat(object.refCnt()).isZero();
        assertThat(queuedBytes).hasValue(0);
        pendingOpen.accept(channel);
        assertThat(writes()).isEmpty();
        assertThat(channel.isOutputShutdown()).as("RESET_STREAM once open").isTrue();
    }

    /** One write to the stream: its bytes and whether it carried the FIN. */
    record Write(boolean fin, byte[] bytes)
    {
    }

    /** The stream's writes in order, each released afterwards as QUIC would. */
    private List<Write> writes()
    {
        final List<Write> out = new ArrayList<>();
        Object m;
        while ((m = channel.outboundMessages().poll()) != null)
        {
            final boolean fin = m instanceof QuicStreamFrame && ((QuicStreamFrame)m).hasFin();
            final ByteBuf b = m instanceof QuicStreamFrame ? ((QuicStreamFrame)m).content() : (ByteBuf)m;
            final byte[] a = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), a);
            out.add(new Write(fin, a));
            io.netty.util.ReferenceCountUtil.release(m);
        }
        return out;
    }

    private static ByteBuf bytes(final int... values)
    {
        final ByteBuf b = Unpooled.directBuffer(values.length);
        for (final int v : values)
        {
            b.writeByte(v);
        }
        return b;
    }
}
