package moq.relay.store;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-size off-heap segments shared by all track logs, bounded in total bytes. A segment is allocated once (direct
 * memory) and then recycled between tracks through a lock-free queue, so steady-state ingest allocates nothing.
 * Thread-safe.
 * <p>
 * A new segment is allocated only when no released segment is waiting in the pool, and {@link #acquire()} fails only
 * when, in addition, the byte bound is reached. So {@link #allocatedBytes()} never exceeds the most segments the
 * track logs held at once (each log holds at most cache + overflow + 1 segments) plus the pooled jumbo segments
 * (below), nor {@link #maxBytes()}.
 * <p>
 * The free queue alone cannot promise that: its {@code poll} returns null while the producer that claimed the head
 * slot has not yet published it (a releasing thread preempted inside {@code offer}), even if segments released after
 * it are queued. Allocating whenever {@code poll} returned null made the pool grow by every segment acquired during
 * such a stall (up to {@code maxBytes}, then fail spuriously). Hence a count of free segments: a release
 * counts its segment after the offer completed; an acquire that takes one from the count is owed a segment by the
 * queue and polls until the stalled offer ahead of it is published.
 * <p>
 * <b>Jumbo segments.</b> An object larger than a segment gets a segment of its own, a whole number of segments long
 * ({@link #acquireJumbo}), allocated within the same byte bound. Jumbo segments are rare (large key frames), so they
 * take a lock; released ones are kept for reuse by size (so forwarding a key frame of a similar size every group
 * allocates nothing), up to a small share of the bound. When an allocation would exceed the bound, pooled memory
 * that no log holds (jumbo segments first, then segments) is freed explicitly to make room, so memory pooled for one
 * size never starves the other. Freeing is safe for the same reason recycling is: a segment is released only when no
 * {@link LogHolder} references it (see {@link TrackLog}). Segments are plain direct buffers (not aligned slices) so
 * that they can be freed.
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
    /** Released jumbo segments by length in segments (index), each list used as a stack; guarded by itself. */
    private final java.util.ArrayList<java.util.ArrayDeque<UnsafeBuffer>> jumbos = new java.util.ArrayList<>();
    private final long maxPooledJumboBytes;
    private long pooledJumboBytes; // guarded by jumbos

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
        this.maxPooledJumboBytes = maxBytes / 16;
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
                if (freePooledJumbo())
                {
                    continue; // a pooled jumbo segment gave its bytes back to the bound
                }
                return null;
            }
            if (allocatedBytes.compareAndSet(current, current + segmentBytes))
            {
                final ByteBuffer bb = ByteBuffer.allocateDirect(segmentBytes);
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
     * A jumbo segment of {@code segments} segments' bytes (at least two), for one record larger than a segment: a
     * released one of that length, or of up to a quarter more but at most {@code mostSegments} (its length is then
     * that of the buffer, {@code capacity()}), or a new one within the byte bound (freeing pooled memory no log holds
     * if needed). Null if the bound cannot be met.
     */
    public UnsafeBuffer acquireJumbo(final int segments, final int mostSegments)
    {
        synchronized (jumbos)
        {
            final int most = Math.min(jumbos.size() - 1, Math.min(mostSegments, segments + segments / 4));
            for (int k = segments; k <= most; k++)
            {
                final java.util.ArrayDeque<UnsafeBuffer> list = jumbos.get(k);
                if (list != null && !list.isEmpty())
                {
                    final UnsafeBuffer b = list.pop();
                    pooledJumboBytes -= b.capacity();
                    inUseBytes.addAndGet(b.capacity());
                    return b;
                }
            }
        }
        final long bytes = (long)segments * segmentBytes;
        while (true)
        {
            final long current = allocatedBytes.get();
            if (current + bytes > maxBytes)
            {
                if (freePooledJumbo() || freePooledSegment())
                {
                    continue;
                }
                return null;
            }
            if (allocatedBytes.compareAndSet(current, current + bytes))
            {
                inUseBytes.addAndGet(bytes);
                return new UnsafeBuffer(ByteBuffer.allocateDirect((int)bytes));
            }
        }
    }

    /** Returns a jumbo segment from {@link #acquireJumbo}: pooled for reuse, or freed if the pool holds enough. */
    public void releaseJumbo(final UnsafeBuffer jumbo)
    {
        final int bytes = jumbo.capacity();
        final int segments = bytes / segmentBytes;
        boolean pooled = false;
        synchronized (jumbos)
        {
            if (pooledJumboBytes + bytes <= maxPooledJumboBytes)
            {
                while (jumbos.size() <= segments)
                {
                    jumbos.add(null);
                }
                java.util.ArrayDeque<UnsafeBuffer> list = jumbos.get(segments);
                if (list == null)
                {
                    list = new java.util.ArrayDeque<>(2);
                    jumbos.set(segments, list);
                }
                list.push(jumbo);
                pooledJumboBytes += bytes;
                pooled = true;
            }
        }
        inUseBytes.addAndGet(-bytes);
        if (!pooled)
        {
            free(jumbo);
        }
    }

    /** Frees one pooled jumbo segment (the largest); false if none is pooled. */
    private boolean freePooledJumbo()
    {
        UnsafeBuffer victim = null;
        synchronized (jumbos)
        {
            if (pooledJumboBytes == 0)
            {
                return false;
            }
            for (int k = jumbos.size() - 1; k >= 0 && victim == null; k--)
            {
                final java.util.ArrayDeque<UnsafeBuffer> list = jumbos.get(k);
                if (list != null && !list.isEmpty())
                {
                    victim = list.pop();
                    pooledJumboBytes -= victim.capacity();
                }
            }
        }
        if (victim == null)
        {
            return false;
        }
        free(victim);
        return true;
    }

    /** Frees one pooled segment; false if none is pooled. */
    private boolean freePooledSegment()
    {
        while (true)
        {
            final long pooled = freeSegments.get();
            if (pooled <= 0)
            {
                return false;
            }
            if (freeSegments.compareAndSet(pooled, pooled - 1))
            {
                free(take());
                return true;
            }
        }
    }

    /** Gives pooled memory that no log holds back to the system and the bound. */
    private void free(final UnsafeBuffer b)
    {
        final int bytes = b.capacity();
        BufferUtil.free(b.byteBuffer());
        allocatedBytes.addAndGet(-bytes);
    }

    /** Bytes of released jumbo segments kept for reuse. */
    public long pooledJumboBytes()
    {
        synchronized (jumbos)
        {
            return pooledJumboBytes;
        }
    }

    /**
     * Off-heap bytes allocated so far (in use plus pooled): never more than the peak of {@link #inUseBytes()} plus
     * {@link #pooledJumboBytes()}, since a segment is allocated only when none is pooled.
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
