package moq.relay.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on bytes that a holder keeps (one session's stream or control buffers, say) and, when it has a parent, that
 * every holder under the parent keeps together (the relay's): a reservation succeeds only if both have room. Lock-free
 * reserve and release, no allocation; for buffers that grow and shrink per read or per message, never per object.
 * What is reserved must be released by whoever reserved it.
 */
public final class MemoryBudget
{
    /** No bound and no parent: for holders the relay does not bound (clients, tests). */
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE, null);

    private final long maxBytes;
    private final MemoryBudget parent;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(final long maxBytes)
    {
        this(maxBytes, null);
    }

    /** @param parent the budget this one's bytes also count against; null for none. */
    public MemoryBudget(final long maxBytes, final MemoryBudget parent)
    {
        if (maxBytes < 0)
        {
            throw new IllegalArgumentException("maxBytes " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.parent = parent;
    }

    /**
     * Takes {@code bytes} more, here and in the parent.
     *
     * @return false if that would pass either bound: nothing is taken then.
     */
    public boolean reserve(final long bytes)
    {
        if (this == UNLIMITED)
        {
            return true;
        }
        while (true)
        {
            final long current = used.get();
            final long next = current + bytes;
            if (next > maxBytes || next < 0)
            {
                return false;
            }
            if (used.compareAndSet(current, next))
            {
                break;
            }
        }
        if (parent != null && !parent.reserve(bytes))
        {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Gives back {@code bytes} that {@link #reserve} took, here and in the parent. */
    public void release(final long bytes)
    {
        if (this == UNLIMITED)
        {
            return;
        }
        used.addAndGet(-bytes);
        if (parent != null)
        {
            parent.release(bytes);
        }
    }

    /** Bytes reserved now. */
    public long usedBytes()
    {
        return used.get();
    }

    public long maxBytes()
    {
        return maxBytes;
    }
}
