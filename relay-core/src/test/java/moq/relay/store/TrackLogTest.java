package moq.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class TrackLogTest
{
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[8192]);

    private static long append(final TrackLog log, final UnsafeBuffer payload, final long g, final long o,
        final int size)
    {
        log.lock();
        try
        {
            return log.append(TrackLog.TYPE_OBJECT, g, 0, o, 1, 0, payload, 0, 0, payload, 0, size);
        }
        finally
        {
            log.unlock();
        }
    }

    @Test
    void recordsRoundTripAndNeverSpanSegments()
    {
        final SegmentPool pool = new SegmentPool(4096, 1 << 20);
        final TrackLog log = new TrackLog(pool, 4, 1, 100);
        for (int i = 0; i < 8192; i++)
        {
            payload.putByte(i, (byte)i);
        }
        long last = -1;
        for (int i = 0; i < 10; i++)
        {
            last = append(log, payload, 0, i, 1000);
            final int off = log.offset(last);
            assertThat(off + TrackLog.length(log.buffer(last), off)).isLessThanOrEqualTo(4096);
        }
        final UnsafeBuffer b = log.buffer(last);
        final int off = log.offset(last);
        assertThat(TrackLog.object(b, off)).isEqualTo(9);
        assertThat(TrackLog.payloadLength(b, off)).isEqualTo(1000);
        assertThat(b.getByte(off + TrackLog.HEADER_LENGTH + 5)).isEqualTo((byte)5);
        assertThat(log.largestGroup()).isZero();
        assertThat(log.largestObject()).isEqualTo(9);
    }

    @Test
    void cacheIsBoundedInBytesAndInGroups()
    {
        final SegmentPool pool = new SegmentPool(4096, 1 << 20);
        final TrackLog log = new TrackLog(pool, 4, 2, 3);
        for (int g = 0; g < 200; g++)
        {
            append(log, payload, g, 0, 500);
            assertThat(log.segmentsInUse()).isLessThanOrEqualTo(4);
        }
        assertThat(pool.allocatedBytes()).isLessThanOrEqualTo(5 * 4096);
        // Only the last three groups are served.
        assertThat(log.groupStart(199)).isGreaterThanOrEqualTo(0);
        assertThat(log.groupStart(197)).isGreaterThanOrEqualTo(0);
        assertThat(log.groupStart(196)).isEqualTo(-1);
        assertThat(log.cacheStart()).isEqualTo(log.groupStart(197));
    }

    @Test
    void memoryAHolderReferencesIsNotReusedAndOverflowIsBounded()
    {
        final SegmentPool pool = new SegmentPool(4096, 1 << 20);
        final TrackLog log = new TrackLog(pool, 2, 2, 1000);
        final long first = append(log, payload, 0, 0, 100);
        final UnsafeBuffer heldSegment = log.buffer(first);
        final long[] held = {first};
        log.addHolder(() -> held[0]);
        int appended = 0;
        for (int i = 1; i < 100; i++)
        {
            if (append(log, payload, 0, i, 1000) >= 0)
            {
                appended++;
            }
        }
        // Cache of 2 plus 2 overflow segments; then objects are dropped rather than overwrite held memory.
        assertThat(log.segmentsInUse()).isEqualTo(4);
        assertThat(log.droppedRecords()).isGreaterThan(0);
        assertThat(appended).isLessThan(99);
        assertThat(log.buffer(first)).isSameAs(heldSegment);
        assertThat(log.floor()).as("the held segment is condemned for new readers").isGreaterThan(first);
        assertThat(TrackLog.object(heldSegment, log.offset(first))).isZero();

        held[0] = LogHolder.NOTHING_HELD;
        assertThat(append(log, payload, 0, 500, 1000)).isGreaterThanOrEqualTo(0);
        assertThat(log.segmentsInUse()).isLessThanOrEqualTo(4);
    }

    @Test
    void storeBoundRejectsRatherThanAllocates()
    {
        final SegmentPool pool = new SegmentPool(4096, 3 * 4096);
        final TrackLog a = new TrackLog(pool, 2, 1, 10);
        final TrackLog b = new TrackLog(pool, 2, 1, 10);
        for (int i = 0; i < 10; i++)
        {
            append(a, payload, i, 0, 3000);
        }
        assertThat(append(b, payload, 0, 0, 100)).isGreaterThanOrEqualTo(0);
        assertThat(append(b, payload, 0, 1, 4000)).isEqualTo(-1);
        assertThat(pool.allocatedBytes()).isLessThanOrEqualTo(3 * 4096);
        a.lock();
        a.freeAll();
        a.unlock();
        assertThat(append(b, payload, 0, 2, 4000)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void newEpochForgetsTheCacheAndRecyclesOnlyWhatNoHolderReferences()
    {
        final SegmentPool pool = new SegmentPool(4096, 1 << 20);
        final TrackLog log = new TrackLog(pool, 8, 2, 100);
        for (int g = 0; g < 10; g++)
        {
            append(log, payload, g, 0, 1000); // three records a segment: four segments
        }
        assertThat(log.segmentsInUse()).isEqualTo(4);
        final long heldFrom = 4096 + 8; // a reader of the old epoch is in the second segment
        final long[] held = {heldFrom};
        log.addHolder(() -> held[0]);
        final long tail = log.committed();

        log.lock();
        log.newEpoch();
        log.unlock();
        assertThat(log.epoch()).isEqualTo(1);
        assertThat(log.epochStart()).isEqualTo(tail);
        assertThat(log.largestGroup()).isEqualTo(-1);
        assertThat(log.groupStart(9)).as("old groups are not served").isEqualTo(-1);
        assertThat(log.cacheStart()).isEqualTo(tail);
        assertThat(log.floor()).as("the held segment is not condemned").isLessThanOrEqualTo(heldFrom);
        assertThat(log.segmentsInUse()).as("only the first segment was free to recycle").isEqualTo(3);

        final long first = append(log, payload, 0, 0, 1000);
        assertThat(first).isEqualTo(tail);
        assertThat(log.largestGroup()).isZero();
        assertThat(log.groupStart(0)).isEqualTo(first);
        final long inUse = pool.inUseBytes();
        held[0] = LogHolder.NOTHING_HELD;
        for (int o = 1; o < 4; o++)
        {
            append(log, payload, 0, o, 1000); // rolls: the old epoch's remaining whole segments are recycled
        }
        assertThat(log.segmentsInUse()).isEqualTo(2);
        assertThat(pool.inUseBytes()).isLessThan(inUse);
        assertThat(log.groupStart(0)).isEqualTo(first);
    }
}
