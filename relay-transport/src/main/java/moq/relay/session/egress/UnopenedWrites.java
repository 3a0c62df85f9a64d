package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;

/**
 * What a writer's streams are handed before they open (an open waits for the subscriber's stream credit): queued per
 * stream, owned here until the stream opens ({@link #poll}, in order) or never will ({@link #discard}), and counted
 * across the writer, which reports itself unwritable beyond {@link #MAX_BYTES} so that further objects wait in the
 * track's log rather than here. Event loop.
 */
final class UnopenedWrites
{
    /** Bytes queued on streams still waiting to open beyond which the writer reports itself unwritable. */
    static final int MAX_BYTES = 256 * 1024;

    private int bytes;

    /** True beyond {@link #MAX_BYTES}: the writer takes no more objects until streams open. */
    boolean full()
    {
        return bytes > MAX_BYTES;
    }

    /** Queues {@code buf} on a stream's {@code queue}; ownership passes here. */
    void add(final ArrayDeque<ByteBuf> queue, final ByteBuf buf)
    {
        queue.add(buf);
        bytes += buf.readableBytes();
    }

    /** The stream's next queued write, ownership passing to the caller; null when none is left. */
    ByteBuf poll(final ArrayDeque<ByteBuf> queue)
    {
        final ByteBuf b = queue.poll();
        if (b != null)
        {
            bytes -= b.readableBytes();
        }
        return b;
    }

    /** The stream will not open (or is reset first): what it queued is released (a payload view reports its own). */
    void discard(final ArrayDeque<ByteBuf> queue)
    {
        ByteBuf b;
        while ((b = poll(queue)) != null)
        {
            b.release();
        }
    }
}
