package moq.relay.wire;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.util.List;

/**
 * A write cursor over a {@link MutableDirectBuffer}. Control-plane encoders use it over an
 * {@link ExpandableArrayBuffer}, which grows on demand; data-plane encoders over a fixed buffer they sized
 * beforehand (writing past its end is a local bug and throws).
 */
public final class WireWriter
{
    private final Varint varint;
    private MutableDirectBuffer buffer;
    private int position;

    public WireWriter(final Varint varint)
    {
        this(varint, new ExpandableArrayBuffer(256));
    }

    public WireWriter(final Varint varint, final MutableDirectBuffer buffer)
    {
        this.varint = varint;
        this.buffer = buffer;
    }

    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.position = offset;
        return this;
    }

    public Varint varintScheme()
    {
        return varint;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    public WireWriter position(final int position)
    {
        this.position = position;
        return this;
    }

    public WireWriter varint(final long value)
    {
        position += varint.encode(buffer, position, value);
        return this;
    }

    public WireWriter uint8(final int value)
    {
        buffer.putByte(position++, (byte)value);
        return this;
    }

    public WireWriter uint16(final int value)
    {
        buffer.putByte(position, (byte)(value >>> 8));
        buffer.putByte(position + 1, (byte)value);
        position += 2;
        return this;
    }

    public WireWriter bytes(final Bytes value)
    {
        final byte[] b = value.array();
        buffer.putBytes(position, b);
        position += b.length;
        return this;
    }

    public WireWriter lengthPrefixed(final Bytes value)
    {
        return varint(value.length()).bytes(value);
    }

    public WireWriter namespace(final TrackNamespace namespace)
    {
        final List<Bytes> fields = namespace.fields();
        varint(fields.size());
        for (final Bytes f : fields)
        {
            lengthPrefixed(f);
        }
        return this;
    }

    public WireWriter location(final Location location)
    {
        return varint(location.group()).varint(location.object());
    }

    /** Copies the bytes written so far from {@code from} on. */
    public byte[] toByteArray(final int from)
    {
        final byte[] out = new byte[position - from];
        buffer.getBytes(from, out);
        return out;
    }

}
