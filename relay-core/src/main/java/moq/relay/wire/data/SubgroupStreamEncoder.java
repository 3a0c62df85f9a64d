package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one subgroup stream: the SUBGROUP_HEADER, then each object's fields up to (not including) its
 * payload, applying the Object ID delta rule (§"Subgroup Header": first id as is, then previous + delta + 1).
 * The payload is written by the caller after the returned header bytes (typically gathered from the
 * track log without copying). One instance per outgoing stream, reused via {@link #writeHeader}.
 *
 * <p>Arguments that the draft cannot express are local bugs and raise {@link IllegalArgumentException};
 * the destination must have room for {@link #MAX_STREAM_HEADER_LENGTH} or {@link #maxObjectHeaderLength}.
 */
public final class SubgroupStreamEncoder
{
    public static final int MAX_STREAM_HEADER_LENGTH = 4 * 9 + 1;

    private Draft draft;
    private boolean moqt;
    private int type;
    private boolean hasPriorObject;
    private long priorObjectId;

    public SubgroupStreamEncoder(final Draft draft)
    {
        this.draft = draft;
        this.moqt = draft.atLeast(18);
    }

    /** Bytes an object header with a properties block of {@code propertiesLength} bytes can take at most. */
    public static int maxObjectHeaderLength(final int propertiesLength)
    {
        return 4 * 9 + propertiesLength;
    }

    public Draft draft()
    {
        return draft;
    }

    /**
     * Starts a new stream (for the same or another draft).
     *
     * @param type              a valid type for the draft, see {@link SubgroupHeaderType#of}.
     * @param subgroupId        written only when the type's SUBGROUP_ID_MODE is explicit.
     * @param publisherPriority 0..255, written unless the type has DEFAULT_PRIORITY.
     * @return bytes written.
     */
    public int writeHeader(
        final Draft draft,
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final long trackAlias,
        final long groupId,
        final long subgroupId,
        final int publisherPriority)
    {
        if (!SubgroupHeaderType.isValid(draft, type))
        {
            throw new IllegalArgumentException(draft + " has no subgroup header type 0x" + Integer.toHexString(type));
        }
        this.draft = draft;
        this.moqt = draft.atLeast(18);
        this.type = type;
        hasPriorObject = false;
        priorObjectId = 0;
        int position = offset;
        position += varint(buffer, position, type);
        position += varint(buffer, position, trackAlias);
        position += varint(buffer, position, groupId);
        if (SubgroupHeaderType.subgroupIdMode(type) == SubgroupHeaderType.MODE_EXPLICIT)
        {
            position += varint(buffer, position, subgroupId);
        }
        if (SubgroupHeaderType.hasPriority(type))
        {
            buffer.putByte(position++, priority(publisherPriority));
        }
        return position - offset;
    }

    /**
     * Writes one object's fields before its payload.
     *
     * @param objectId         larger than the previous object's on this stream.
     * @param status           {@link ObjectStatus}; anything but NORMAL requires {@code payloadLength == 0}.
     * @param properties       raw properties block, or null when {@code propertiesLength == 0}; requires the
     *                         stream type's PROPERTIES bit.
     * @return bytes written; the caller then writes {@code payloadLength} payload bytes.
     */
    public int writeObject(
        final MutableDirectBuffer buffer,
        final int offset,
        final long objectId,
        final long status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final long payloadLength)
    {
        if (status != ObjectStatus.NORMAL && payloadLength != 0)
        {
            throw new IllegalArgumentException("only Normal objects carry payload");
        }
        if (!ObjectStatus.isValid(draft, status))
        {
            throw new IllegalArgumentException(draft + " has no object status 0x" + Long.toHexString(status));
        }
        if (propertiesLength > 0 && !SubgroupHeaderType.hasProperties(type))
        {
            throw new IllegalArgumentException("stream type 0x" + Integer.toHexString(type) + " carries no properties");
        }
        final long delta;
        if (hasPriorObject)
        {
            if (Long.compareUnsigned(objectId, priorObjectId) <= 0)
            {
                throw new IllegalArgumentException("object ids must ascend on a subgroup stream");
            }
            delta = objectId - priorObjectId - 1;
        }
        else
        {
            delta = objectId;
        }
        int position = offset;
        position += varint(buffer, position, delta);
        if (SubgroupHeaderType.hasProperties(type))
        {
            position += varint(buffer, position, propertiesLength);
            if (propertiesLength > 0)
            {
                buffer.putBytes(position, properties, propertiesOffset, propertiesLength);
                position += propertiesLength;
            }
        }
        position += varint(buffer, position, payloadLength);
        if (payloadLength == 0)
        {
            position += varint(buffer, position, status);
        }
        hasPriorObject = true;
        priorObjectId = objectId;
        return position - offset;
    }

    private int varint(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return moqt ? MoqtVarint.write(buffer, offset, value) : QuicVarint.write(buffer, offset, value);
    }

    static byte priority(final int publisherPriority)
    {
        if (publisherPriority < 0 || publisherPriority > 255)
        {
            throw new IllegalArgumentException("publisher priority " + publisherPriority);
        }
        return (byte)publisherPriority;
    }
}
