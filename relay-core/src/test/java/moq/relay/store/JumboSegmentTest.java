package moq.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Records larger than a segment (issue 12): stored in jumbo segments of their own, read back, recycled as a unit. */
class JumboSegmentTest
{
    private static final int SEGMENT = 4096;

    private static UnsafeBuffer pattern(final int length, final int seed)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            b.putByte(i, (byte)(i * 31 + seed));
        }
        return b;
    }

    private static long append(final TrackLog log, final long g, final long o, final UnsafeBuffer payload)
    {
        log.lock();
        try
        {
            return log.append(TrackLog.TYPE_OBJECT, g, 0, o, 1, 0, payload, 0, 0, payload, 0, payload.capacity());
        }
        finally
        {
            log.unlock();
        }
    }

    private static void assertRecord(final TrackLog log, final long position, final long o, final UnsafeBuffer payload)
    {
        final UnsafeBuffer b = log.buffer(position);
        final int off = log.offset(position);
        assertThat(TrackLog.type(b, off)).isEqualTo(TrackLog.TYPE_OBJECT);
        assertThat(TrackLog.object(b, off)).isEqualTo(o);
        assertThat(TrackLog.payloadLength(b, off)).isEqualTo(payload.capacity());
        final byte[] read = new byte[payload.capacity()];
        b.getBytes(off + TrackLog.HEADER_LENGTH, read);
        assertThat(read).isEqualTo(payload.byteArray());
    }

    /** Walks the records from {@code from} to the committed end and returns the object ids in order. */
    private static java.util.List<Long> objects(final TrackLog log, final long from)
    {
        final java.util.List<Long> ids = new java.util.ArrayList<>();
        long p = from;
        while (p < log.committed())
        {
            final UnsafeBuffer b = log.buffer(p);
            final int off = log.offset(p);
            if (TrackLog.type(b, off) == TrackLog.TYPE_OBJECT)
            {
                ids.add(TrackLog.object(b, off));
            }
            p += TrackLog.length(b, off);
        }
        return ids;
    }

    @Test
    void objectsOfASegmentAndMoreAreStoredWholeAndInOrder()
    {
        final SegmentPool pool = new SegmentPool(SEGMENT, 1 << 20);
        final TrackLog log = new TrackLog(pool, 16, 4, 100);
        final UnsafeBuffer small = pattern(100, 1);
        final UnsafeBuffer exact = pattern(SEGMENT, 2);
        final UnsafeBuffer fits = pattern(SEGMENT - TrackLog.HEADER_LENGTH, 3); // a whole segment, no padding
        final UnsafeBuffer twice = pattern(2 * SEGMENT, 4);
        final UnsafeBuffer largest = pattern(log.maxBodyLength() - 10 * SEGMENT, 5);
        final long p0 = append(log, 0, 0, small);
        final long p1 = append(log, 0, 1, exact);
        final long p2 = append(log, 0, 2, small);
        final long p3 = append(log, 0, 3, fits);
        final long p4 = append(log, 0, 4, twice);
        final long p5 = append(log, 0, 5, largest);
        final long p6 = append(log, 0, 6, small);
        assertThat(java.util.stream.LongStream.of(p0, p1, p2, p3, p4, p5, p6).min().getAsLong()).isGreaterThanOrEqualTo(0);
        assertRecord(log, p0, 0, small);
        assertRecord(log, p1, 1, exact);
        assertRecord(log, p2, 2, small);
        assertRecord(log, p3, 3, fits);
        assertRecord(log, p4, 4, twice);
        assertRecord(log, p5, 5, largest);
        assertRecord(log, p6, 6, small);
        assertThat(log.offset(p1)).as("a jumbo record starts its segment").isZero();
        assertThat(p2 - p1).as("the jumbo takes whole segments: the object's record rounded up").isEqualTo(2 * SEGMENT);
        assertThat(objects(log, 0)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(log.droppedRecords()).isZero();
        assertThat(log.segmentsInUse()).isLessThanOrEqualTo(16);
        assertThat(log.jumboLengthFrom(p4)).as("the newest jumbo").isEqualTo(6 * SEGMENT);
        assertThat(log.jumboLengthFrom(p5 + 1)).isZero();
    }

    @Test
    void jumboSegmentsAreEvictedAsAUnitAndReused()
    {
        final SegmentPool pool = new SegmentPool(SEGMENT, 1 << 20);
        final TrackLog log = new TrackLog(pool, 8, 2, 100);
        final UnsafeBuffer big = pattern(3 * SEGMENT, 7);
        final UnsafeBuffer small = pattern(1000, 8);
        for (int g = 0; g < 50; g++)
        {
            assertThat(append(log, g, 0, big)).isGreaterThanOrEqualTo(0);
            assertThat(append(log, g, 1, small)).isGreaterThanOrEqualTo(0);
            assertThat(log.segmentsInUse()).isLessThanOrEqualTo(8);
        }
        // The cache start is a record start (after a jumbo evicted as a unit): the records from there read back.
        final java.util.List<Long> ids = objects(log, log.cacheStart());
        assertThat(ids).containsExactly(1L, 0L, 1L); // 8 segments: a group is a 4-segment jumbo and a segment
        assertRecord(log, log.groupStart(49), 0, big);
        // Steady state: the released jumbo segments are reused, nothing more is allocated.
        final long allocated = pool.allocatedBytes();
        for (int g = 50; g < 100; g++)
        {
            append(log, g, 0, big);
            append(log, g, 1, small);
        }
        assertThat(pool.allocatedBytes()).isEqualTo(allocated);
        assertThat(log.droppedRecords()).isZero();
    }

    @Test
    void aHeldJumboIsNotRecycledAndLargerThanTheCacheIsDropped()
    {
        final SegmentPool pool = new SegmentPool(SEGMENT, 1 << 20);
        final TrackLog log = new TrackLog(pool, 4, 2, 100);
        final UnsafeBuffer big = pattern(2 * SEGMENT, 9);
        final long first = append(log, 0, 0, big);
        final UnsafeBuffer held = log.buffer(first);
        log.addHolder(() -> first);
        int stored = 0;
        for (int o = 1; o < 10; o++)
        {
            stored += append(log, 0, o, big) >= 0 ? 1 : 0;
        }
        assertThat(log.buffer(first)).as("held jumbo stays").isSameAs(held);
        assertRecord(log, first, 0, big);
        assertThat(stored).as("cache 4 + overflow 2 segments: one more 3-segment jumbo fits").isEqualTo(1);
        assertThat(log.segmentsInUse()).isLessThanOrEqualTo(6);
        assertThat(append(log, 1, 0, pattern(log.maxBodyLength() + 1, 0))).isEqualTo(-1);
    }

    @Test
    void poolFreesPooledMemoryForAJumboWithinItsBound()
    {
        final SegmentPool pool = new SegmentPool(SEGMENT, 8 * SEGMENT);
        final UnsafeBuffer[] segments = new UnsafeBuffer[8];
        for (int i = 0; i < 8; i++)
        {
            segments[i] = pool.acquire();
        }
        assertThat(pool.acquireJumbo(2, 2)).as("bound reached").isNull();
        for (int i = 0; i < 8; i++)
        {
            pool.release(segments[i]);
        }
        final UnsafeBuffer jumbo = pool.acquireJumbo(4, 4);
        assertThat(jumbo).as("pooled segments freed to make room").isNotNull();
        assertThat(jumbo.capacity()).isEqualTo(4 * SEGMENT);
        assertThat(pool.allocatedBytes()).isLessThanOrEqualTo(8 * SEGMENT);
        pool.releaseJumbo(jumbo);
        assertThat(pool.inUseBytes()).isZero();
        for (int i = 0; i < 8; i++)
        {
            assertThat(pool.acquire()).as("a pooled jumbo is freed for segments").isNotNull();
        }
        assertThat(pool.allocatedBytes()).isEqualTo(8 * SEGMENT);
    }
}
