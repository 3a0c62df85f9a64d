package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Generated object payloads: a fixed pseudo-random pattern copied per object, the send time stamped in front. */
final class Payloads
{
    private Payloads()
    {
    }

    /** A direct buffer of {@code size} pattern bytes; the caller releases it. */
    static ByteBuf template(final int size)
    {
        final ByteBuf b = Unpooled.directBuffer(size);
        for (int i = 0; i < size; i++)
        {
            b.writeByte(i * 31 + 7);
        }
        return b;
    }

    /** A new payload (the caller owns it): the template's bytes with the current {@link System#nanoTime()} first. */
    static ByteBuf stamped(final ByteBufAllocator alloc, final ByteBuf template)
    {
        final ByteBuf payload = alloc.directBuffer(template.readableBytes());
        payload.writeBytes(template, template.readerIndex(), template.readableBytes());
        PayloadStamp.write(payload, System.nanoTime());
        return payload;
    }
}
