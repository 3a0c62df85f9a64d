package moq.relay.media;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian reader over part of a byte array: the payload of one MP4 box. Every read checks that
 * the bytes are there and throws {@link Mp4FormatException} naming the box otherwise, so a box whose declared
 * sizes lie cannot make the parser read outside it.
 */
final class BoxCursor
{
    final String type;
    private final byte[] bytes;
    private final int start;
    private final int end;
    private int position;

    BoxCursor(final String type, final byte[] bytes, final int offset, final int length)
    {
        this.type = type;
        this.bytes = bytes;
        this.start = offset;
        this.position = offset;
        this.end = offset + length;
    }

    int start()
    {
        return start;
    }

    int length()
    {
        return end - start;
    }

    int position()
    {
        return position;
    }

    int remaining()
    {
        return end - position;
    }

    byte[] array()
    {
        return bytes;
    }

    void skip(final long n) throws Mp4FormatException
    {
        need(n);
        position += (int)n;
    }

    int u8() throws Mp4FormatException
    {
        need(1);
        return bytes[position++] & 0xff;
    }

    int u16() throws Mp4FormatException
    {
        need(2);
        final int v = (bytes[position] & 0xff) << 8 | bytes[position + 1] & 0xff;
        position += 2;
        return v;
    }

    long u32() throws Mp4FormatException
    {
        need(4);
        final long v = (bytes[position] & 0xffL) << 24 | (bytes[position + 1] & 0xff) << 16 |
            (bytes[position + 2] & 0xff) << 8 | bytes[position + 3] & 0xff;
        position += 4;
        return v;
    }

    /** A u32 that must fit an int (sizes and counts): larger values are malformed for this reader. */
    int u32AsInt(final String what) throws Mp4FormatException
    {
        final long v = u32();
        if (v > Integer.MAX_VALUE)
        {
            throw new Mp4FormatException(type + ": " + what + " " + v + " is too large");
        }
        return (int)v;
    }

    long u64() throws Mp4FormatException
    {
        final long high = u32();
        final long v = high << 32 | u32();
        if (v < 0)
        {
            throw new Mp4FormatException(type + ": 64-bit value out of range");
        }
        return v;
    }

    String fourCc() throws Mp4FormatException
    {
        need(4);
        final String s = new String(bytes, position, 4, StandardCharsets.ISO_8859_1);
        position += 4;
        return s;
    }

    byte[] bytes(final int n) throws Mp4FormatException
    {
        need(n);
        final byte[] out = new byte[n];
        System.arraycopy(bytes, position, out, 0, n);
        position += n;
        return out;
    }

    /** The next child box (header read, the cursor moves past it), or null at the end of this box. */
    BoxCursor nextChild() throws Mp4FormatException
    {
        if (remaining() == 0)
        {
            return null;
        }
        final int start = position;
        final long size32 = u32();
        final String childType = fourCc();
        long size = size32;
        if (size32 == 1)
        {
            size = u64();
        }
        else if (size32 == 0)
        {
            size = end - start;
        }
        final int header = position - start;
        if (size < header || size > end - start)
        {
            throw new Mp4FormatException("box '" + childType + "' in '" + type + "' declares " + size +
                " bytes but " + (end - start) + " remain");
        }
        final BoxCursor child = new BoxCursor(childType, bytes, position, (int)size - header);
        position = start + (int)size;
        return child;
    }

    /** The first child of this type, or null. Reads from the current position; the cursor ends after the box. */
    BoxCursor child(final String childType) throws Mp4FormatException
    {
        BoxCursor c;
        while ((c = nextChild()) != null)
        {
            if (c.type.equals(childType))
            {
                return c;
            }
        }
        return null;
    }

    /** Like {@link #child} but the box is mandatory. */
    BoxCursor require(final String childType) throws Mp4FormatException
    {
        final BoxCursor c = child(childType);
        if (c == null)
        {
            throw new Mp4FormatException("'" + type + "' has no '" + childType + "' box");
        }
        return c;
    }

    private void need(final long n) throws Mp4FormatException
    {
        if (n < 0 || n > end - position)
        {
            throw new Mp4FormatException("box '" + type + "' is truncated: needs " + n + " more bytes, has " +
                (end - position));
        }
    }
}
