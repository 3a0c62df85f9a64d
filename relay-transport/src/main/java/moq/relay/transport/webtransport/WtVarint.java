package moq.relay.transport.webtransport;

import io.netty.buffer.ByteBuf;

/** QUIC variable-length integers (RFC 9000 16) on {@link ByteBuf}s, for stream headers, capsules and datagrams. */
final class WtVarint
{
    /** Returned by {@link #read} when the buffer does not yet hold the whole integer. */
    static final long INCOMPLETE = -1;

    private WtVarint()
    {
    }

    /** Bytes the varint starting with {@code firstByte} occupies: 1, 2, 4 or 8. */
    static int length(final byte firstByte)
    {
        return 1 << ((firstByte & 0xff) >>> 6);
    }

    /** Bytes needed to encode {@code value}. */
    static int encodedLength(final long value)
    {
        if (value < 0x40)
        {
            return 1;
        }
        if (value < 0x4000)
        {
            return 2;
        }
        return value < 0x4000_0000 ? 4 : 8;
    }

    /** Reads a varint and advances the reader index, or returns {@link #INCOMPLETE} and leaves the buffer as is. */
    static long read(final ByteBuf in)
    {
        if (!in.isReadable())
        {
            return INCOMPLETE;
        }
        final int index = in.readerIndex();
        final int length = length(in.getByte(index));
        if (in.readableBytes() < length)
        {
            return INCOMPLETE;
        }
        final long value;
        switch (length)
        {
            case 1:
                value = in.getByte(index) & 0x3f;
                break;
            case 2:
                value = in.getShort(index) & 0x3fff;
                break;
            case 4:
                value = in.getInt(index) & 0x3fff_ffffL;
                break;
            default:
                value = in.getLong(index) & 0x3fff_ffff_ffff_ffffL;
                break;
        }
        in.skipBytes(length);
        return value;
    }

    static void write(final ByteBuf out, final long value)
    {
        if (value < 0 || value > 0x3fff_ffff_ffff_ffffL)
        {
            throw new IllegalArgumentException("not a QUIC varint: " + value);
        }
        switch (encodedLength(value))
        {
            case 1:
                out.writeByte((int)value);
                break;
            case 2:
                out.writeShort((int)value | 0x4000);
                break;
            case 4:
                out.writeInt((int)value | 0x8000_0000);
                break;
            default:
                out.writeLong(value | 0xc000_0000_0000_0000L);
                break;
        }
    }
}
