package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-thread allocated bytes across many decodes and encodes (JMH's {@code gc.alloc.rate.norm} is the real
 * proof; this keeps the property in the unit tests). The data-plane path has no {@code new}, so the count
 * stays at zero even before the JIT compiles anything.
 */
class AllocationTest
{
    private static final class Sink implements DataStreamHandler
    {
        long sum;

        @Override
        public void onSubgroupHeader(final SubgroupHeader header)
        {
            sum += header.groupId();
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            return false;
        }

        @Override
        public void onObjectHeader(final ObjectHeader header)
        {
            sum += header.objectId() + header.propertiesLength();
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            sum += length;
        }

        @Override
        public void onObjectEnd()
        {
            sum++;
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            sum += objectId;
        }

        @Override
        public void onStreamEnd()
        {
            sum++;
        }
    }

    private static long allocatedBytes()
    {
        return ((com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void decodingAndEncodingAllocateNothing() throws WireException
    {
        final Sink sink = new Sink();
        final Draft[] drafts = {Draft.DRAFT_14, Draft.DRAFT_18};
        final UnsafeBuffer[] streams = new UnsafeBuffer[4];
        final int[] lengths = new int[4];
        for (int i = 0; i < 4; i++)
        {
            final Random random = new Random(100 + i);
            final Draft draft = drafts[i & 1];
            final byte[] bytes = i < 2 ? SplitInvarianceProperties.StreamModel.subgroup(random, draft, new ArrayList<>()) :
                SplitInvarianceProperties.StreamModel.fetch(random, draft, false, new ArrayList<>());
            streams[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
            streams[i].putBytes(0, bytes);
            lengths[i] = bytes.length;
        }
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_18, sink, Feed.MAX_PROPERTIES);
        final ObjectDatagram datagram = new ObjectDatagram();
        final UnsafeBuffer out = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final SubgroupStreamEncoder subgroupEncoder = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final FetchStreamEncoder fetchEncoder = new FetchStreamEncoder(Draft.DRAFT_18);

        final int[] steps = {1, 7, 5};
        // Round 0 warms up; each later round is measured on its own. One-off JVM work on this thread (a
        // deoptimization, the first call of the measuring bean) can land in any single round, so the quietest
        // round is the figure: a per-object allocation would show in every round.
        long quietest = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long before = allocatedBytes();
            for (int iteration = 0; iteration < 2_000; iteration++)
            {
                for (int i = 0; i < 4; i++)
                {
                    decoder.reset(drafts[i & 1]);
                    // Cut into 1-, 7- and 5-byte chunks and a remainder, through the scratch path.
                    int position = 0;
                    for (final int step : steps)
                    {
                        final int n = Math.min(step, lengths[i] - position);
                        decoder.onData(streams[i], position, n);
                        position += n;
                    }
                    decoder.onData(streams[i], position, lengths[i] - position);
                    decoder.onFin();
                }
                final int n = ObjectDatagramEncoder.writeHeader(Draft.DRAFT_18, out, 0, 1, 2, iteration, 3, false,
                    ObjectDatagramEncoder.NO_STATUS, null, 0, 0);
                datagram.decode(Draft.DRAFT_18, out, 0, n + 10);
                int m = subgroupEncoder.writeHeader(Draft.DRAFT_18, out, 0, 0x14, 1, 2, 3, 4);
                m += subgroupEncoder.writeObject(out, m, 7, 0, null, 0, 0, 100);
                m += fetchEncoder.writeHeader(Draft.DRAFT_18, out, m, 9, false);
                m += fetchEncoder.writeObject(out, m, 1, 0, false, 2, 3, 0, null, 0, 0, 100);
                sink.sum += m;
            }
            if (round > 0)
            {
                quietest = Math.min(quietest, allocatedBytes() - before);
            }
        }
        assertThat(sink.sum).isPositive();
        // A little slack for the measurement call itself; a per-object allocation would show as ~100 KB here.
        assertThat(quietest).isLessThan(1024);
    }
}
