package moq.relay.store;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Fixed-size off-heap segments shared by all track logs, bounded in total bytes. A segment is allocated once (aligned
 * direct memory) and then recycled between tracks through a lock-free queue, so steady-state ingest allocates nothing.
 * Thread-safe.
 */
public final class SegmentPool
{
    private final int segmentBytes;
    private final long maxBytes;
    private final AtomicLong allocatedBytes = new AtomicLong();
    private final AtomicLong inUseBytes = new AtomicLong();
    private final ManyToManyConcurrentArrayQueue<UnsafeBuffer> free;

    public SegmentPool(final int segmentBytes, final long maxBytes)
    {
        this.segmentBytes = segmentBytes;
        this.maxBytes = maxBytes;
        final long segments = Math.max(2, maxBytes / segmentBytes);
        this.free = new ManyToManyConcurrentArrayQueue<>((int)Math.min(1 << 24, segments));
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    /** A segment, or null when the pool's byte bound is reached. */
    public UnsafeBuffer acquire()
    {
        UnsafeBuffer b = free.poll();
        if (b == null)
        {
            long current;
            do
            {
                current = allocatedBytes.get();
                if (current + segmentBytes > maxBytes)
                {
                    return null;
                }
            }
            while (!allocatedBytes.compareAndSet(current, current + segmentBytes));
            final ByteBuffer bb = BufferUtil.allocateDirectAligned(segmentBytes, 64);
            b = new UnsafeBuffer(bb);
        }
        inUseBytes.addAndGet(segmentBytes);
        return b;
    }

    public void release(final UnsafeBuffer segment)
    {
        inUseBytes.addAndGet(-segmentBytes);
        if (!free.offer(segment))
        {
            allocatedBytes.addAndGet(-segmentBytes); // cannot happen: the queue holds every segment the bound allows
        }
    }

    /** Off-heap bytes allocated so far (in use plus pooled). */
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
