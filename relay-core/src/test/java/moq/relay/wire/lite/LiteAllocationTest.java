package moq.relay.wire.lite;

import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data plane allocates nothing per frame: a reused {@link LiteFrameDecoder} fed whole and split Group Streams,
 * and {@link LiteFrameEncoder} writing headers, leave the thread's allocated-bytes counter where it was (but for the
 * measuring call's own few hundred bytes).
 */
class LiteAllocationTest
{
    private static final class Sink implements LiteFrameHandler
    {
        long sum;

        @Override
        public void onGroup(final long subscribeId, final long sequence)
        {
            sum += sequence;
        }

        @Override
        public void onFrame(final long length, final long timestamp)
        {
            sum += length + timestamp;
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            sum += length;
        }

        @Override
        public void onFrameEnd()
        {
            sum++;
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
    void framesAreDecodedAndEncodedWithoutAllocating() throws WireException
    {
        final Sink sink = new Sink();
        final UnsafeBuffer stream = new UnsafeBuffer(new byte[64 * 1024]);
        final LiteFrameDecoder decoder = new LiteFrameDecoder(LiteVersion.LITE_05, LiteFrameDecoder.Mode.GROUP, sink,
            BufferBudget.UNBOUNDED);
        final int[] length = new int[1];
        final Runnable encode = () ->
        {
            int n = LiteFrameEncoder.groupStreamHeader(stream, 0, 7, 12345);
            long previous = 0;
            for (int i = 0; i < 100; i++)
            {
                n += LiteFrameEncoder.frameHeader(stream, n, LiteVersion.LITE_05, 300, i * 33L, previous);
                previous = i * 33L;
                n += 300;
            }
            length[0] = n;
        };
        encode.run();
        long quietest = Long.MAX_VALUE;
        for (int round = 0; round < 4; round++)
        {
            final long before = allocatedBytes();
            for (int i = 0; i < 200; i++)
            {
                encode.run();
                decoder.reset(LiteVersion.LITE_05, LiteFrameDecoder.Mode.GROUP);
                decoder.onData(stream, 0, length[0]);
                decoder.onFin();
                decoder.reset(LiteVersion.LITE_05, LiteFrameDecoder.Mode.GROUP);
                // Split every 7 bytes: headers are gathered in the (kept) scratch.
                for (int at = 0; at < length[0]; at += 7)
                {
                    decoder.onData(stream, at, Math.min(7, length[0] - at));
                }
                decoder.onFin();
            }
            final long allocated = allocatedBytes() - before;
            if (round > 0)
            {
                quietest = Math.min(quietest, allocated);
            }
        }
        // A little slack for the measurement call itself (as AllocationTest): one byte per frame would be 40,000.
        assertThat(quietest).as("bytes allocated decoding 40,000 frames").isLessThan(1024);
        assertThat(sink.sum).isPositive();
    }
}
