package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes one fetch stream: FETCH_HEADER, then each object's fields up to its payload. On draft-18 it picks
 * the most compact Serialization Flags against the prior object (§"Fetch Header", §"Flags"); the first object
 * always carries absolute Group and Object IDs. On draft-14 every field is absolute. The payload is written
 * by the caller after the returned header bytes. One instance per outgoing stream, reused via
 * {@link #writeHeader}.
 */
public final class FetchStreamEncoder
{
    public static final int MAX_STREAM_HEADER_LENGTH = 2 * 9;

    private Draft draft;
    private boolean moqt;
    private boolean descending;
    private boolean hasPriorLocation;
    private long priorGroupId;
    private long priorObjectId;
    private boolean hasPriorSubgroup;
    private long priorSubgroupId;
    private boolean hasPriorPriority;
    private int priorPriority;

    public FetchStreamEncoder(final Draft draft)
    {
        this.draft = draft;
        this.moqt = draft.atLeast(18);
    }

    public static int maxObjectHeaderLength(final int propertiesLength)
    {
        return 7 * 9 + 1 + propertiesLength;
    }

    public Draft draft()
    {
        return draft;
    }

    /**
     * Starts a new fetch stream.
     *
     * @param descending the fetch's group order is Descending (draft-18 group deltas count down).
     */
    public int writeHeader(
        final Draft draft, final MutableDirectBuffer buffer, final int offset, final long requestId, final boolean descending)
    {
        this.draft = draft;
        this.moqt = draft.atLeast(18);
        this.descending = descending;
        hasPriorLocation = false;
        priorGroupId = 0;
        priorObjectId = 0;
        hasPriorSubgroup = false;
        priorSubgroupId = 0;
        hasPriorPriority = false;
        priorPriority = 0;
        int position = offset;
        position += varint(buffer, position, StreamType.FETCH_HEADER_TYPE);
        position += varint(buffer, position, requestId);
        return position - offset;
    }

    /**
     * Writes one object's fields before its payload.
     *
     * @param datagram   forwarding preference Datagram (draft-18 flag 0x40; on draft-14 the subgroup id
     *                   written is the object id, §"Fetch Header").
     * @param status     draft-14 only ({@link ObjectStatus}, needs an empty payload); draft-18 fetch objects have
     *                   no status, pass NORMAL.
     * @param properties raw properties block, or null when {@code propertiesLength == 0}.
     * @return bytes written.
     */
    public int writeObject(
        final MutableDirectBuffer buffer,
        final int offset,
        final long groupId,
        final long subgroupId,
        final boolean datagram,
        final long objectId,
        final int publisherPriority,
        final long status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final long payloadLength)
    {
        final byte priority = SubgroupStreamEncoder.priority(publisherPriority);
        if (status != ObjectStatus.NORMAL && (moqt || payloadLength != 0 || !ObjectStatus.isValid(draft, status)))
        {
            throw new IllegalArgumentException(draft + " fetch object cannot carry status 0x" + Long.toHexString(status) +
                " with " + payloadLength + " payload bytes");
        }
        int position = offset;
        if (!moqt)
        {
            position += varint(buffer, position, groupId);
            position += varint(buffer, position, datagram ? objectId : subgroupId);
            position += varint(buffer, position, objectId);
            buffer.putByte(position++, priority);
            position += varint(buffer, position, propertiesLength);
            position += putProperties(buffer, position, properties, propertiesOffset, propertiesLength);
            position += varint(buffer, position, payloadLength);
            if (payloadLength == 0)
            {
                position += varint(buffer, position, status);
            }
            return position - offset;
        }

        long flags = 0;
        long groupDelta = 0;
        long objectDelta = 0;
        if (!hasPriorLocation || groupId != priorGroupId)
        {
            flags |= FetchFlags.GROUP_ID_DELTA;
            groupDelta = groupDelta(groupId);
            if (!hasPriorLocation || objectId != priorObjectId + 1 || priorObjectId == -1L)
            {
                flags |= FetchFlags.OBJECT_ID_DELTA;
                objectDelta = objectId;
            }
        }
        else if (objectId != priorObjectId + 1 || priorObjectId == -1L)
        {
            if (Long.compareUnsigned(objectId, priorObjectId) < 0)
            {
                throw new IllegalArgumentException("object ids must not go back within a group on a fetch stream");
            }
            flags |= FetchFlags.OBJECT_ID_DELTA;
            objectDelta = objectId - priorObjectId;
        }
        if (datagram)
        {
            flags |= FetchFlags.DATAGRAM;
        }
        else if (subgroupId == 0)
        {
            flags |= FetchFlags.SUBGROUP_ZERO;
        }
        else if (hasPriorSubgroup && subgroupId == priorSubgroupId)
        {
            flags |= FetchFlags.SUBGROUP_PRIOR;
        }
        else if (hasPriorSubgroup && subgroupId == priorSubgroupId + 1 && priorSubgroupId != -1L)
        {
            flags |= FetchFlags.SUBGROUP_PRIOR_PLUS_ONE;
        }
        else
        {
            flags |= FetchFlags.SUBGROUP_PRESENT;
        }
        if (!hasPriorPriority || publisherPriority != priorPriority)
        {
            flags |= FetchFlags.PRIORITY;
        }
        if (propertiesLength > 0)
        {
            flags |= FetchFlags.PROPERTIES;
        }

        position += varint(buffer, position, flags);
        if ((flags & FetchFlags.GROUP_ID_DELTA) != 0)
        {
            position += varint(buffer, position, groupDelta);
        }
        if ((flags & (FetchFlags.DATAGRAM | FetchFlags.SUBGROUP_MASK)) == FetchFlags.SUBGROUP_PRESENT)
        {
            position += varint(buffer, position, subgroupId);
        }
        if ((flags & FetchFlags.OBJECT_ID_DELTA) != 0)
        {
            position += varint(buffer, position, objectDelta);
        }
        if ((flags & FetchFlags.PRIORITY) != 0)
        {
            buffer.putByte(position++, priority);
        }
        if ((flags & FetchFlags.PROPERTIES) != 0)
        {
            position += varint(buffer, position, propertiesLength);
            position += putProperties(buffer, position, properties, propertiesOffset, propertiesLength);
        }
        position += varint(buffer, position, payloadLength);

        hasPriorLocation = true;
        priorGroupId = groupId;
        priorObjectId = objectId;
        // A Datagram object has no Subgroup ID, so the next object cannot refer to "the prior Object's Subgroup ID"
        // (§"Flags"); it writes Subgroup ID 0 or the explicit field.
        hasPriorSubgroup = !datagram;
        priorSubgroupId = datagram ? 0 : subgroupId;
        hasPriorPriority = true;
        priorPriority = publisherPriority;
        return position - offset;
    }

    /**
     * Draft-18 End of Range (§"End of Range"): objects after the previous one up to and including
     * {@code (groupId, objectId)} do not exist, or ({@code unknown}) have unknown status.
     */
    public int writeEndOfRange(
        final MutableDirectBuffer buffer, final int offset, final long groupId, final long objectId, final boolean unknown)
    {
        if (!moqt)
        {
            throw new IllegalArgumentException("draft-14 has no End of Range");
        }
        int position = offset;
        position += varint(buffer, position, unknown ? FetchFlags.END_OF_UNKNOWN_RANGE : FetchFlags.END_OF_NON_EXISTENT_RANGE);
        // Absolute Group and Object IDs, no Payload Length: this package's package-info gives the reading and evidence.
        position += varint(buffer, position, groupId);
        position += varint(buffer, position, objectId);
        hasPriorLocation = true;
        priorGroupId = groupId;
        priorObjectId = objectId;
        return position - offset;
    }

    /**
     * Draft-20 End of Timed-Out Range (0x20C, draft-21 §11.4.1.2): objects after the previous one up to and including
     * {@code (groupId, objectId)} were abandoned when the Fill Timeout expired. Same layout as {@link #writeEndOfRange}.
     *
     * @throws IllegalArgumentException before draft-20, which has no such indicator.
     */
    public int writeEndOfTimedOutRange(
        final MutableDirectBuffer buffer, final int offset, final long groupId, final long objectId)
    {
        if (!draft.atLeast(20))
        {
            throw new IllegalArgumentException(draft + " has no End of Timed-Out Range");
        }
        int position = offset;
        position += varint(buffer, position, FetchFlags.END_OF_TIMED_OUT_RANGE);
        position += varint(buffer, position, groupId);
        position += varint(buffer, position, objectId);
        hasPriorLocation = true;
        priorGroupId = groupId;
        priorObjectId = objectId;
        return position - offset;
    }

    /** Group ID Delta from the prior location: absolute first, then prior ± (delta + 1) by group order. */
    private long groupDelta(final long groupId)
    {
        if (!hasPriorLocation)
        {
            return groupId;
        }
        if (groupId == priorGroupId)
        {
            throw new IllegalArgumentException("a Group ID Delta cannot express the same group");
        }
        final boolean forward = Long.compareUnsigned(groupId, priorGroupId) > 0;
        if (forward == descending)
        {
            throw new IllegalArgumentException("group " + Long.toUnsignedString(groupId) + " runs against the fetch's group order");
        }
        return forward ? groupId - priorGroupId - 1 : priorGroupId - groupId - 1;
    }

    private static int putProperties(
        final MutableDirectBuffer buffer, final int offset, final DirectBuffer properties, final int propertiesOffset, final int length)
    {
        if (length > 0)
        {
            buffer.putBytes(offset, properties, propertiesOffset, length);
        }
        return length;
    }

    private int varint(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return moqt ? MoqtVarint.write(buffer, offset, value) : QuicVarint.write(buffer, offset, value);
    }
}
