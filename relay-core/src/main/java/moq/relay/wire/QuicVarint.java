package moq.relay.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/** RFC 9000 §16 varint (draft-14): the top two bits give a length of 1, 2, 4 or 8 bytes; values below 2^62. */
public final class QuicVarint implements Varint
{
    public static final QuicVarint INSTANCE = new QuicVarint();
    public static final long MAX_VALUE = (1L << 62) - 1;

    private QuicVarint()
    {
    }

    public static int size(final DirectBuffer buffer, final int offset)
    {
        return 1 << ((buffer.getByte(offset) & 0xC0) >>> 6);
    }

    public static long value(final DirectBuffer buffer, final int offset)
    {
        final int first = buffer.getByte(offset) & 0xFF;
        switch (first >>> 6)
        {
            case 0:
                return first;
            case 1:
                return ((first & 0x3F) << 8) | (buffer.getByte(offset + 1) & 0xFF);
            case 2:
                return buffer.getInt(offset, ByteOrder.BIG_ENDIAN) & 0x3FFF_FFFFL;
            default:
                return buffer.getLong(offset, ByteOrder.BIG_ENDIAN) & MAX_VALUE;
        }
    }

    public static int length(final long value)
    {
        if (value < 0 || value > MAX_VALUE)
        {
            throw new IllegalArgumentException("varint out of range for RFC 9000: " + Long.toUnsignedString(value));
        }
        return value < 0x40 ? 1 : value < 0x4000 ? 2 : value < 0x4000_0000L ? 4 : 8;
    }

    public static int write(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return write(buffer, offset, value, length(value));
    }

    public static int write(final MutableDirectBuffer buffer, final int offset, final long value, final int length)
    {
        if (length(value) > length)
        {
            throw new IllegalArgumentException(value + " does not fit in " + length + " bytes");
        }
        switch (length)
        {
            case 1:
                buffer.putByte(offset, (byte)value);
                break;
            case 2:
                buffer.putShort(offset, (short)(0x4000 | value), ByteOrder.BIG_ENDIAN);
                break;
            case 4:
                buffer.putInt(offset, (int)(0x8000_0000L | value), ByteOrder.BIG_ENDIAN);
                break;
            case 8:
                buffer.putLong(offset, 0xC000_0000_0000_0000L | value, ByteOrder.BIG_ENDIAN);
                break;
            default:
                throw new IllegalArgumentException("RFC 9000 varints are 1, 2, 4 or 8 bytes, not " + length);
        }
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
        return MAX_VALUE;
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
        return "RFC9000";
    }
}
