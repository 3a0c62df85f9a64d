package moq.relay.store;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-size off-heap segments shared by all track logs, bounded in total bytes. A segment is allocated once (aligned
 * direct memory) and then recycled between tracks through a lock-free queue, so steady-state ingest allocates nothing.
 * Thread-safe.
 * <p>
 * A new segment is allocated only when no released segment is waiting in the pool, and {@link #acquire()} fails only
 * when, in addition, the byte bound is reached. So {@link #allocatedBytes()} never exceeds the most segments the
 * track logs held at once (each log holds at most cache + overflow + 1 segments), nor {@link #maxBytes()}.
 * <p>
 * The free queue alone cannot promise that: its {@code poll} returns null while the producer that claimed the head
 * slot has not yet published it (a releasing thread preempted inside {@code offer}), even if segments released after
 * it are queued. Allocating whenever {@code poll} returned null made the pool grow by every segment acquired during
 * such a stall (up to {@code maxBytes}, then fail spuriously). Hence a count of free segments: a release
 * counts its segment after the offer completed; an acquire that takes one from the count is owed a segment by the
 * queue and polls until the stalled offer ahead of it is published.
 */
public final class SegmentPool
{
    private static final int SPINS_BEFORE_YIELD = 100;

    private final int segmentBytes;
    private final long maxBytes;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong inUseBytes = new AtomicLong();
    private final AtomicLong freeSegments = new AtomicLong(); // released and fully queued, not yet claimed by acquire
    private final Queue<UnsafeBuffer> free;

    public SegmentPool(final int segmentBytes, final long maxBytes)
    {
        this(segmentBytes, maxBytes, new ManyToManyConcurrentArrayQueue<>(queueCapacity(segmentBytes, maxBytes)));
    }

    /** For tests: a free queue that can be made to stall (it must hold every segment the byte bound allows). */
    SegmentPool(final int segmentBytes, final long maxBytes, final Queue<UnsafeBuffer> free)
    {
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        this.free = free;
    }

    /**
     * One slot more than the segments the bound allows: a bounded MPMC array queue refuses an offer while the slot it
     * wraps onto is still being polled, which cannot happen if every segment is queued or held and a slot is left over.
     */
    private static int queueCapacity(final int segmentBytes, final long maxBytes)
    {
        return (int)Math.min(1 << 24, Math.max(2, maxBytes / segmentBytes) + 1);
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    /** A segment, or null when no released segment is in the pool and the pool's byte bound is reached. */
    public UnsafeBuffer acquire()
    {
        while (true)
        {
            final long pooled = freeSegments.get();
            if (pooled > 0)
            {
                if (freeSegments.compareAndSet(pooled, pooled - 1))
                {
                    inUseBytes.addAndGet(segmentBytes);
                    return take();
                }
                continue;
            }
            final long current = allocatedBytes.get();
            if (current + segmentBytes > maxBytes)
            {
                if (freeSegments.get() > 0)
                {
                    continue; // released meanwhile
                }
                return null;
            }
            if (allocatedBytes.compareAndSet(current, current + segmentBytes))
            {
                final ByteBuffer bb = BufferUtil.allocateDirectAligned(segmentBytes, 64);
                inUseBytes.addAndGet(segmentBytes);
                return new UnsafeBuffer(bb);
            }
        }
    }

    /** Polls the segment this thread claimed from the free count: it is queued, possibly behind a stalled offer. */
    private UnsafeBuffer take()
    {
        UnsafeBuffer b;
        int spins = 0;
        while ((b = free.poll()) == null)
        {
            if (++spins < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield(); // the releaser ahead of us was preempted mid-offer: let it run
            }
        }
        return b;
    }

    /**
     * Returns a segment to the pool. It stays counted in use until it is counted free, so every allocated segment is
     * always in use or free: {@code allocatedBytes <= inUseBytes + free}, and allocation happens only at free == 0.
     */
    public void release(final UnsafeBuffer segment)
    {
        if (free.offer(segment))
        {
            freeSegments.incrementAndGet();
        }
        else
        {
            allocatedBytes.addAndGet(-segmentBytes); // cannot happen: the queue has a slot for every segment and one more
        }
        inUseBytes.addAndGet(-segmentBytes);
    }

    /**
     * Off-heap bytes allocated so far (in use plus pooled): never more than the peak of {@link #inUseBytes()}, since a
     * segment is allocated only when none is pooled.
     */
    public long allocatedBytes()
    {
        return allocatedBytes.get();
    }

    /** Bytes currently held by track logs. */
    public long inUseBytes()
    {
        return inUseBytes.get();
    }

    public long maxBytes()
    {
        return maxBytes;
    }
}
