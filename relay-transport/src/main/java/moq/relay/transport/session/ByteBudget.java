package moq.relay.transport.session;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of memory a holder may keep (say one session's buffers), under its own limit and, when it has one, under a
 * shared parent's (say the relay's): a reservation succeeds only if both have room. Generic: it knows nothing of
 * what the bytes are. Thread-safe (atomics), for buffers that grow and shrink per message or per read, not per object.
 */
public final class ByteBudget
{
    /** No limit and no parent: for holders the relay does not bound (clients, tests). */
    public static final ByteBudget UNLIMITED = new ByteBudget(Long.MAX_VALUE, null);

    private final long limit;
    private final ByteBudget parent;
    private final AtomicLong used = new AtomicLong();

    /** @param parent the budget this one's bytes also count against; null for none. */
    public ByteBudget(final long limit, final ByteBudget parent)
    {
        this.limit = limit;
        this.parent = parent;
    }

    /** Reserves {@code bytes} here and in the parent; false (nothing reserved) if either would exceed its limit. */
    public boolean tryReserve(final long bytes)
    {
        if (this == UNLIMITED)
        {
            return true;
        }
        long u;
        do
        {
            u = used.get();
            if (u + bytes > limit)
            {
                return false;
            }
        }
        while (!used.compareAndSet(u, u + bytes));
        if (parent != null && !parent.tryReserve(bytes))
        {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Gives back {@code bytes} reserved earlier, here and in the parent. */
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

    public long used()
    {
        return used.get();
    }

    public long limit()
    {
        return limit;
    }

    /** Whether {@code bytes} more would pass this budget's own limit (the parent is not asked). */
    public boolean exceedsOwnLimit(final long bytes)
    {
        return used.get() + bytes > limit;
    }
}
