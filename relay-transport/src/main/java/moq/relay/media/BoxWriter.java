package moq.relay.media;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds MP4 boxes big-endian in a growable array; {@link #begin} and {@link #end} bracket a box and fill its size. */
final class BoxWriter
{
    private byte[] bytes = new byte[256];
    private int length;

    int begin(final String type)
    {
        final int start = length;
        u32(0);
        fourCc(type);
        return start;
    }

    /** A full box: header, then version and 24-bit flags. */
    int beginFull(final String type, final int version, final int flags)
    {
        final int start = begin(type);
        u32((long)version << 24 | flags & 0xffffff);
        return start;
    }

    void end(final int start)
    {
        final int size = length - start;
        bytes[start] = (byte)(size >>> 24);
        bytes[start + 1] = (byte)(size >>> 16);
        bytes[start + 2] = (byte)(size >>> 8);
        bytes[start + 3] = (byte)size;
    }

    BoxWriter u8(final int v)
    {
        ensure(1);
        bytes[length++] = (byte)v;
        return this;
    }

    BoxWriter u16(final int v)
    {
        return u8(v >>> 8).u8(v);
    }

    BoxWriter u32(final long v)
    {
        return u16((int)(v >>> 16) & 0xffff).u16((int)v & 0xffff);
    }

    BoxWriter u64(final long v)
    {
        return u32(v >>> 32).u32(v & 0xffffffffL);
    }

    BoxWriter zeros(final int n)
    {
        ensure(n);
        length += n;
        return this;
    }

    BoxWriter bytes(final byte[] b)
    {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    BoxWriter fourCc(final String type)
    {
        return bytes(type.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The unity matrix of {@code mvhd} and {@code tkhd}. */
    BoxWriter matrix()
    {
        return u32(0x00010000).u32(0).u32(0).u32(0).u32(0x00010000).u32(0).u32(0).u32(0).u32(0x40000000);
    }

    int length()
    {
        return length;
    }

    byte[] toByteArray()
    {
        return Arrays.copyOf(bytes, length);
    }

    private void ensure(final int n)
    {
        if (length + n > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
        }
    }
}
