package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Writes OBJECT_DATAGRAMs, choosing the most compact type the draft allows. Stateless.
 */
public final class ObjectDatagramEncoder
{
    /** {@code status} argument for a datagram that carries a payload rather than an Object Status. */
    public static final long NO_STATUS = -1L;

    private ObjectDatagramEncoder()
    {
    }

    public static int maxHeaderLength(final int propertiesLength)
    {
        return 6 * 9 + 1 + propertiesLength;
    }

    /**
     * Writes the datagram up to its payload; the payload (if any) follows the returned length and runs to the
     * end of the datagram.
     *
     * @param publisherPriority 0..255, or {@link ObjectDatagram#DEFAULT_PRIORITY} (draft-18 only).
     * @param status            {@link ObjectStatus} for a status datagram, or {@link #NO_STATUS}.
     * @param properties        raw properties block, or null when {@code propertiesLength == 0}.
     * @return bytes written.
     */
    public static int writeHeader(
        final Draft draft,
        final MutableDirectBuffer buffer,
        final int offset,
        final long trackAlias,
        final long groupId,
        final long objectId,
        final int publisherPriority,
        final boolean endOfGroup,
        final long status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength)
    {
        final boolean moqt = draft.atLeast(18);
        final boolean hasStatus = status != NO_STATUS;
        if (hasStatus && !ObjectStatus.isValid(draft, status))
        {
            throw new IllegalArgumentException(draft + " has no object status 0x" + Long.toHexString(status));
        }
        final boolean defaultPriority = publisherPriority == ObjectDatagram.DEFAULT_PRIORITY;
        // Draft-14 status datagrams (0x20, 0x21) always carry the Object ID.
        final boolean zeroObjectId = objectId == 0 && (moqt || !hasStatus);
        final int type = DatagramType.of(draft, propertiesLength > 0, endOfGroup, zeroObjectId, defaultPriority, hasStatus);
        int position = offset;
        position += varint(moqt, buffer, position, type);
        position += varint(moqt, buffer, position, trackAlias);
        position += varint(moqt, buffer, position, groupId);
        if (!zeroObjectId)
        {
            position += varint(moqt, buffer, position, objectId);
        }
        if (!defaultPriority)
        {
            buffer.putByte(position++, SubgroupStreamEncoder.priority(publisherPriority));
        }
        if (propertiesLength > 0)
        {
            position += varint(moqt, buffer, position, propertiesLength);
            buffer.putBytes(position, properties, propertiesOffset, propertiesLength);
            position += propertiesLength;
        }
        if (hasStatus)
        {
            position += varint(moqt, buffer, position, status);
        }
        return position - offset;
    }

    /** {@link #writeHeader} followed by a copy of the payload; for tests and small objects. */
    public static int write(
        final Draft draft,
        final MutableDirectBuffer buffer,
        final int offset,
        final long trackAlias,
        final long groupId,
        final long objectId,
        final int publisherPriority,
        final boolean endOfGroup,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int header = writeHeader(draft, buffer, offset, trackAlias, groupId, objectId, publisherPriority,
            endOfGroup, NO_STATUS, properties, propertiesOffset, propertiesLength);
        if (payloadLength > 0)
        {
            buffer.putBytes(offset + header, payload, payloadOffset, payloadLength);
        }
        return header + payloadLength;
    }

    private static int varint(final boolean moqt, final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return moqt ? MoqtVarint.write(buffer, offset, value) : QuicVarint.write(buffer, offset, value);
    }
}
