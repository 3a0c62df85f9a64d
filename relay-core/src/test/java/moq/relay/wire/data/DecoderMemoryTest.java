package moq.relay.wire.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a decoder holds is what the peer sent, not what it declared: a header that announces a large properties block
 * makes the scratch grow only with the bytes that arrive, every growth is charged to the stream's budget, and a refused
 * growth abandons the stream (the rest is ignored) instead of buffering it.
 */
class DecoderMemoryTest
{
    private static final int MAX_PROPERTIES = 65_535;

    /** Counts what the decoder holds; refuses past {@code limit}. */
    private static final class Budget implements BufferBudget
    {
        final long limit;
        long held;
        long peak;

        Budget(final long limit)
        {
            this.limit = limit;
        }

        @Override
        public boolean reserve(final int bytes)
        {
            if (held + bytes > limit)
            {
                return false;
            }
            held += bytes;
            peak = Math.max(peak, held);
            return true;
        }

        @Override
        public void release(final int bytes)
        {
            held -= bytes;
        }
    }

    /**
     * A subgroup stream (PROPERTIES bit) whose first object declares a {@code declared}-byte properties block: stream
     * header and the object's delta and length varint, 10 bytes on draft-18 for 65,535.
     */
    private static byte[] headerDeclaringProperties(final Draft draft, final int declared)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        final int type = SubgroupHeaderType.of(draft, true, SubgroupHeaderType.MODE_EXPLICIT, false, false, false);
        int n = new SubgroupStreamEncoder(draft).writeHeader(draft, b, 0, type, 2, 0, 0, 0);
        n += draft.varint().encode(b, n, 0); // object ID delta
        n += draft.varint().encode(b, n, declared);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void aHeaderDeclaringALargePropertiesBlockHoldsOnlyWhatArrived(final Draft draft) throws WireException
    {
        final byte[] header = headerDeclaringProperties(draft, MAX_PROPERTIES);
        final Budget budget = new Budget(Long.MAX_VALUE);
        final DataStreamDecoder decoder = new DataStreamDecoder(draft, new Recorder(), MAX_PROPERTIES, budget);

        decoder.onData(new UnsafeBuffer(header), 0, header.length);
        assertThat(decoder.heldBytes()).as("held for a %d-byte header", header.length).isLessThanOrEqualTo(64);
        assertThat(budget.held).as("charged").isEqualTo(decoder.heldBytes());

        // The declared block trickles in: what is held stays within twice what arrived.
        final byte[] piece = new byte[1000];
        for (int i = 0; i < piece.length; i++)
        {
            piece[i] = 0x02; // property type 2 (even: a varint value 2), repeated: a valid block
        }
        int arrived = header.length;
        for (int i = 0; i < 10; i++)
        {
            decoder.onData(new UnsafeBuffer(piece), 0, piece.length);
            arrived += piece.length;
            assertThat(decoder.heldBytes()).as("held after %d bytes", arrived).isLessThanOrEqualTo(2 * arrived);
        }
        assertThat(budget.held).isEqualTo(decoder.heldBytes());

        // The stream goes away mid-header: the decoder gives back all it held.
        decoder.close();
        assertThat(budget.held).isZero();
        assertThat(decoder.heldBytes()).isZero();
    }

    @Test
    void aRefusedGrowthAbandonsTheStreamAndIgnoresTheRest() throws WireException
    {
        final byte[] header = headerDeclaringProperties(Draft.DRAFT_18, MAX_PROPERTIES);
        final Budget budget = new Budget(4096);
        final Recorder recorder = new Recorder();
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, recorder, MAX_PROPERTIES, budget);
        decoder.onData(new UnsafeBuffer(header), 0, header.length);
        final byte[] piece = new byte[1000];
        java.util.Arrays.fill(piece, (byte)0x02);
        for (int i = 0; i < 10; i++)
        {
            decoder.onData(new UnsafeBuffer(piece), 0, piece.length);
        }
        assertThat(decoder.abandoned()).isTrue();
        assertThat(budget.peak).isLessThanOrEqualTo(4096);
        assertThat(budget.held).as("an abandoned decoder holds nothing").isZero();
        decoder.onFin(); // ignored, not a second error
        assertThat(recorder.events).containsExactly("subgroup type=" +
            Integer.toHexString(SubgroupHeaderType.of(Draft.DRAFT_18, true, SubgroupHeaderType.MODE_EXPLICIT, false,
                false, false)) + " alias=2 group=0 subgroup=0 priority=0");
    }

    @Test
    void headersWholeInTheirChunkHoldNothing() throws WireException
    {
        final byte[] bytes = Feed.hex("14 02 00 00 00  00 04 61626364  00 04 65666768");
        final Budget budget = new Budget(Long.MAX_VALUE);
        final Recorder recorder = new Recorder();
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, recorder, MAX_PROPERTIES, budget);
        decoder.onData(new UnsafeBuffer(bytes), 0, bytes.length);
        decoder.onFin();
        assertThat(budget.peak).isZero();
        assertThat(recorder.events).hasSize(6);
        assertThat(List.copyOf(recorder.events)).last().isEqualTo("fin");
    }
}
