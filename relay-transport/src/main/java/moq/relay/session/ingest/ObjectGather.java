package moq.relay.session.ingest;

import moq.relay.wire.data.BufferBudget;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The payload of one object that arrives over several reads, gathered so that it is stored whole: a publisher's
 * streams of one track interleave, and the engine's incremental claim is exclusive per track. The buffer grows with
 * the bytes that arrived, doubling from 4 KiB up to the object's length (never to a length only declared), every byte
 * reserved in the budget before it is allocated; it is kept for the stream's next objects, so a stream of objects that
 * each span reads allocates only while it grows, and {@link #release} gives it back when the stream ends or is given
 * up. One per incoming stream (MoQT subgroup streams, moq-lite group streams); event-loop confined.
 */
public final class ObjectGather
{
    /** Smallest buffer: grown by doubling with the payload bytes that arrived, up to the object's length. */
    private static final int MIN_CAPACITY = 4096;

    private final BufferBudget budget;
    /** Fixed capacity, every byte reserved in the budget; replaced by a larger one as bytes arrive, never past it. */
    private UnsafeBuffer buffer;
    private int objectLength;
    private int gathered;

    public ObjectGather(final BufferBudget budget)
    {
        this.budget = budget;
    }

    /** A new object of {@code length} payload bytes begins: nothing of it is gathered yet. */
    public void start(final int length)
    {
        objectLength = length;
        gathered = 0;
    }

    /**
     * Appends {@code length} bytes of the object's payload (the decoder never hands more than the object's length).
     *
     * @return false, with nothing appended, when the budget refuses the growth: the stream is given up (by the caller,
     *     or by the budget's refusal itself).
     */
    public boolean append(final DirectBuffer src, final int offset, final int length)
    {
        final int needed = gathered + length;
        final int held = buffer == null ? 0 : buffer.capacity();
        if (needed > held)
        {
            final int capacity = Math.min(objectLength, Math.max(needed, Math.max(MIN_CAPACITY, 2 * held)));
            if (!budget.reserve(capacity - held))
            {
                return false;
            }
            final UnsafeBuffer grown = new UnsafeBuffer(new byte[capacity]);
            if (buffer != null)
            {
                grown.putBytes(0, buffer, 0, gathered); // the old buffer's reservation carries over
            }
            buffer = grown;
        }
        buffer.putBytes(gathered, src, offset, length);
        gathered = needed;
        return true;
    }

    /** Payload bytes of the current object gathered so far. */
    public int gathered()
    {
        return gathered;
    }

    /** The gathered bytes, from offset 0 ({@link #gathered()} of them); null before anything was gathered. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Gives the buffer back to the budget: the stream ended or was given up. */
    public void release()
    {
        if (buffer != null)
        {
            budget.release(buffer.capacity());
            buffer = null;
        }
    }
}
