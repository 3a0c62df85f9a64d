package moq.relay.wire.lite;

import moq.relay.wire.data.BufferBudget;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of one unit (a control message, a group or frame header) that arrived split across chunks. Exists only
 * once a unit is split; grows with the bytes that arrived (doubling, never past twice what it holds nor past what
 * the unit needs, whatever length it declares), up to a fixed bound, each growth charged to a {@link BufferBudget}.
 * Single-threaded.
 */
final class LiteScratch
{
    private static final int MIN_CAPACITY = 64;

    private final int max;
    private final BufferBudget budget;
    private UnsafeBuffer buffer;
    private int length;

    LiteScratch(final int max, final BufferBudget budget)
    {
        this.max = max;
        this.budget = budget;
    }

    int length()
    {
        return length;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    int capacity()
    {
        return buffer == null ? 0 : buffer.capacity();
    }

    /** Forgets the bytes held, keeping the memory (still charged) for the next unit. */
    void clear()
    {
        length = 0;
    }

    /**
     * Appends {@code count} bytes; {@code need} is what the unit needs in all, as far as known (at most {@link #max}).
     *
     * @return false if the budget refused to grow (nothing appended).
     */
    boolean append(final DirectBuffer from, final int offset, final int count, final int need)
    {
        final int bytes = length + count;
        final int capacity = capacity();
        if (bytes > capacity)
        {
            final int grown = Math.min(Math.min(max, Math.max(bytes, need)),
                Math.max(bytes, Math.max(MIN_CAPACITY, 2 * capacity)));
            if (!budget.reserve(grown - capacity))
            {
                return false;
            }
            final byte[] array = new byte[grown];
            if (buffer != null)
            {
                buffer.getBytes(0, array, 0, length); // the old array's charge carries over to the new one
            }
            buffer = new UnsafeBuffer(array);
        }
        buffer.putBytes(length, from, offset, count);
        length = bytes;
        return true;
    }

    /** Gives the memory back to the budget. */
    void release()
    {
        if (buffer != null)
        {
            budget.release(buffer.capacity());
            buffer = null;
        }
        length = 0;
    }
}
