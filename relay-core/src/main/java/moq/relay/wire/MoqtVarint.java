package moq.relay.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The varint of draft-17 and later (draft-18 §1.4.1): the count of leading 1-bits in the first byte gives
 * the length, 1 to 9 bytes; 9 bytes carry a full unsigned 64-bit value. Non-minimal encodings are valid.
 */
public final class MoqtVarint implements Varint
{
    public static final MoqtVarint INSTANCE = new MoqtVarint();

    private MoqtVarint()
    {
    }

    public static int size(final DirectBuffer buffer, final int offset)
    {
        // Leading ones of the first byte, plus one; 0xFF has eight and means nine bytes.
        return Integer.numberOfLeadingZeros(~(buffer.getByte(offset) << 24)) + 1;
    }

    public static long value(final DirectBuffer buffer, final int offset)
    {
        final int size = size(buffer, offset);
        final int first = buffer.getByte(offset) & 0xFF;
        long value = size >= 8 ? 0 : first & (0xFF >>> size);
        for (int i = 1; i < size; i++)
        {
            value = (value << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return value;
    }

    public static int length(final long value)
    {
        if (value < 0)
        {
            return 9; // unsigned values of 2^63 and above
        }
        // 7 usable bits per byte up to 8 bytes (56 bits); beyond that the 9-byte form.
        final int bits = 64 - Long.numberOfLeadingZeros(value);
        if (bits > 56)
        {
            return 9;
        }
        return bits <= 7 ? 1 : (bits + 6) / 7;
    }

    public static int write(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return write(buffer, offset, value, length(value));
    }

    public static int write(final MutableDirectBuffer buffer, final int offset, final long value, final int length)
    {
        if (length < 1 || length > 9 || length(value) > length)
        {
            throw new IllegalArgumentException(Long.toUnsignedString(value) + " does not fit in " + length + " bytes");
        }
        long v = value;
        for (int i = length - 1; i >= 1; i--)
        {
            buffer.putByte(offset + i, (byte)v);
            v >>>= 8;
        }
        // Prefix of (length - 1) ones then a zero (none for 8 and 9 bytes, whose zero/first bits are all prefix).
        final int prefix = length == 9 ? 0xFF : (0xFF00 >>> (length - 1)) & 0xFF;
        buffer.putByte(offset, (byte)(prefix | (length >= 8 ? 0 : (int)v)));
        return length;
    }

    @Override
    public int sizeAt(final DirectBuffer buffer, final int offset)
    {
        return size(buffer, offset);
    }

    @Override
    public long valueAt(final DirectBuffer buffer, final int offset)
    {
        return value(buffer, offset);
    }

    @Override
    public int encodedLength(final long value)
    {
        return length(value);
    }

    @Override
    public long maxValue()
    {
        return -1L;
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return write(buffer, offset, value);
    }

    @Override
    public int encode(final MutableDirectBuffer buffer, final int offset, final long value, final int length)
    {
        return write(buffer, offset, value, length);
    }

    @Override
    public String toString()
    {
        return "MOQT";
    }
}
