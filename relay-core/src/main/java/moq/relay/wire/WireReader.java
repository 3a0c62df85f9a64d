package moq.relay.wire;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * A bounded read cursor over one complete, length-delimited unit (a control message payload, a datagram,
 * a KVP block). Reading past the bound means the unit's length did not match its content, which both
 * drafts make a PROTOCOL_VIOLATION. Reusable: {@link #wrap} it again for the next unit.
 *
 * <p>Every length read from the peer is checked against what remains before anything is sized by it.
 */
public final class WireReader
{
    private final Varint varint;
    private DirectBuffer buffer = new UnsafeBuffer(new byte[0]);
    private int position;
    private int limit;

    public WireReader(final Varint varint)
    {
        this.varint = varint;
    }

    public WireReader wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        return this;
    }

    public Varint varintScheme()
    {
        return varint;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    public int limit()
    {
        return limit;
    }

    public int remaining()
    {
        return limit - position;
    }

    public boolean hasRemaining()
    {
        return position < limit;
    }

    /** Fails unless every byte of the unit was consumed: trailing bytes are a length mismatch. */
    public void expectEnd(final String what) throws WireException
    {
        if (position != limit)
        {
            throw WireException.protocolViolation(what + ": " + (limit - position) + " unexpected trailing bytes");
        }
    }

    public long varint() throws WireException
    {
        if (position >= limit)
        {
            throw WireException.protocolViolation("truncated: varint expected at end of message");
        }
        final int size = varint.sizeAt(buffer, position);
        if (size > limit - position)
        {
            throw WireException.protocolViolation("truncated varint");
        }
        final long value = varint.valueAt(buffer, position);
        position += size;
        return value;
    }

    /** A varint that must fit a non-negative int no larger than {@code max}, e.g. a count or a length. */
    public int varintAsInt(final int max, final String what) throws WireException
    {
        final long v = varint();
        if (Long.compareUnsigned(v, max) > 0)
        {
            throw WireException.protocolViolation(what + " " + Long.toUnsignedString(v) + " exceeds " + max);
        }
        return (int)v;
    }

    public int uint8() throws WireException
    {
        require(1, "uint8");
        return buffer.getByte(position++) & 0xFF;
    }

    public int uint16() throws WireException
    {
        require(2, "uint16");
        final int v = ((buffer.getByte(position) & 0xFF) << 8) | (buffer.getByte(position + 1) & 0xFF);
        position += 2;
        return v;
    }

    public void skip(final int length) throws WireException
    {
        require(length, "field");
        position += length;
    }

    /** {@code length} raw bytes, already bounded by the caller. */
    public Bytes bytes(final int length) throws WireException
    {
        require(length, "bytes");
        final byte[] out = new byte[length];
        buffer.getBytes(position, out);
        position += length;
        return Bytes.wrap(out);
    }

    /** A varint length then that many bytes, the length at most {@code max}. */
    public Bytes lengthPrefixed(final int max, final String what) throws WireException
    {
        final int length = varintAsInt(max, what + " length");
        return bytes(length);
    }

    /** Reason Phrase: at most 1,024 bytes, longer is a PROTOCOL_VIOLATION (both drafts). */
    public Bytes reasonPhrase() throws WireException
    {
        return lengthPrefixed(Limits.MAX_REASON_PHRASE_LENGTH, "reason phrase");
    }

    /**
     * Track Namespace: a field count then length-prefixed fields.
     *
     * @param minFields        1 where a draft requires a non-empty tuple, 0 for prefixes and suffixes.
     * @param nonEmptyFields   draft-18 forbids zero-length fields; draft-14 does not.
     */
    public TrackNamespace namespace(final int minFields, final boolean nonEmptyFields) throws WireException
    {
        final long count = varint();
        if (Long.compareUnsigned(count, TrackNamespace.MAX_FIELDS) > 0 || count < minFields)
        {
            throw WireException.protocolViolation(
                "namespace has " + Long.toUnsignedString(count) + " fields, allowed " + minFields + ".." +
                TrackNamespace.MAX_FIELDS);
        }
        final List<Bytes> fields = new ArrayList<>((int)count);
        int total = 0;
        for (int i = 0; i < count; i++)
        {
            final int length = varintAsInt(TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH - total, "namespace");
            if (length == 0 && nonEmptyFields)
            {
                throw WireException.protocolViolation("namespace field " + i + " is empty");
            }
            total += length;
            fields.add(bytes(length));
        }
        return new TrackNamespace(fields);
    }

    /** Track Name after {@code namespace}: together at most 4,096 bytes. */
    public Bytes trackName(final TrackNamespace namespace) throws WireException
    {
        return lengthPrefixed(TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH - namespace.byteLength(), "full track name");
    }

    public Location location() throws WireException
    {
        final long group = varint();
        final long object = varint();
        return new Location(group, object);
    }

    private void require(final int length, final String what) throws WireException
    {
        if (length < 0 || length > limit - position)
        {
            throw WireException.protocolViolation("truncated " + what + ": need " + length + ", have " + (limit - position));
        }
    }
}
