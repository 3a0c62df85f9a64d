package moq.relay.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * hang's "legacy" container (draft-lcurley-moq-hang, Container): each object of an audio or video track is a QUIC
 * variable-length integer, the presentation timestamp in microseconds, followed by the codec payload (for H.264 with
 * a catalog {@code description}, AVCC length-prefixed NAL units; for AAC and Opus, one raw frame).
 */
public final class HangFrame
{
    private HangFrame()
    {
    }

    /** A new buffer: {@code timestampMicros} then {@code length} bytes of {@code payload} from {@code offset}. */
    public static ByteBuf encode(final ByteBufAllocator alloc, final long timestampMicros, final byte[] payload,
        final int offset, final int length)
    {
        final int n = varintLength(timestampMicros);
        final ByteBuf out = alloc.directBuffer(n + length);
        writeVarint(out, timestampMicros, n);
        return out.writeBytes(payload, offset, length);
    }

    /**
     * Reads the timestamp at the buffer's reader index and moves the reader index past it, leaving the payload
     * readable; -1 when the buffer is too short to hold the varint it starts.
     */
    public static long readTimestamp(final ByteBuf frame)
    {
        if (!frame.isReadable())
        {
            return -1;
        }
        final int first = frame.getUnsignedByte(frame.readerIndex());
        final int n = 1 << (first >> 6);
        if (frame.readableBytes() < n)
        {
            return -1;
        }
        long v = first & 0x3f;
        for (int i = 1; i < n; i++)
        {
            v = v << 8 | frame.getUnsignedByte(frame.readerIndex() + i);
        }
        frame.skipBytes(n);
        return v;
    }

    static int varintLength(final long v)
    {
        if (v < 0 || v >= 1L << 62)
        {
            throw new IllegalArgumentException("timestamp out of the varint range: " + v);
        }
        return v < 1 << 6 ? 1 : v < 1 << 14 ? 2 : v < 1L << 30 ? 4 : 8;
    }

    private static void writeVarint(final ByteBuf out, final long v, final int n)
    {
        final long prefix = (long)Integer.numberOfTrailingZeros(n) << (8 * n - 2);
        final long encoded = v | prefix;
        for (int i = n - 1; i >= 0; i--)
        {
            out.writeByte((int)(encoded >>> (8 * i)));
        }
    }
}
