package moq.relay.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bound on bytes that many threads hold at once (all sessions' stream buffers, for instance): lock-free reserve and
 * release, no allocation. What is reserved must be released by whoever reserved it.
 */
public final class MemoryBudget
{
    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(final long maxBytes)
    {
        if (maxBytes < 0)
        {
            throw new IllegalArgumentException("maxBytes " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /**
     * Takes {@code bytes} more.
     *
     * @return false if that would pass the bound: nothing is taken then.
     */
    public boolean reserve(final long bytes)
    {
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
                return true;
            }
        }
    }

    /** Gives back {@code bytes} that {@link #reserve} took. */
    public void release(final long bytes)
    {
        used.addAndGet(-bytes);
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
