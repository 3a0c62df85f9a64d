package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;

/**
 * A decoded OBJECT_DATAGRAM: reusable mutable flyweight. {@link #decode} points it at one datagram; the
 * properties and payload views point into the caller's buffer and are valid as long as the caller keeps
 * that buffer unchanged (normally: until the datagram handler returns).
 */
public final class ObjectDatagram
{
    /** {@link #publisherPriority()} when the datagram has none (draft-18 DEFAULT_PRIORITY). */
    public static final int DEFAULT_PRIORITY = -1;

    private int type;
    private long trackAlias;
    private long groupId;
    private long objectId;
    private int publisherPriority;
    private long status;
    private DirectBuffer buffer;
    private int propertiesOffset;
    private int propertiesLength;
    private int payloadOffset;
    private int payloadLength;

    // Bounded cursor for one decode call.
    private boolean moqt;
    private int position;
    private int limit;

    /**
     * Decodes one whole datagram.
     *
     * @return true for an object; false for a draft-18 padding datagram (0x132B3E29), to be discarded.
     * @throws WireException PROTOCOL_VIOLATION for an invalid type, a truncated datagram, empty properties
     *                       with the PROPERTIES bit, a status not allowed or trailing bytes after a status;
     *                       KEY_VALUE_FORMATTING_ERROR for a malformed properties block.
     */
    public boolean decode(final Draft draft, final DirectBuffer buffer, final int offset, final int length)
        throws WireException
    {
        this.moqt = draft.atLeast(18);
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        final long rawType = varint();
        if (moqt && rawType == StreamType.PADDING_DATAGRAM_TYPE)
        {
            return false;
        }
        if (!DatagramType.isValid(draft, rawType))
        {
            throw WireException.protocolViolation("invalid OBJECT_DATAGRAM type 0x" + Long.toHexString(rawType));
        }
        final int type = (int)rawType;
        this.type = type;
        trackAlias = varint();
        groupId = varint();
        objectId = (type & DatagramType.ZERO_OBJECT_ID) != 0 ? 0 : varint();
        // Draft-14 has no DEFAULT_PRIORITY bit: its types never set 0x08, so the priority is always there.
        if ((type & DatagramType.DEFAULT_PRIORITY) != 0)
        {
            publisherPriority = DEFAULT_PRIORITY;
        }
        else
        {
            if (position >= limit)
            {
                throw truncated();
            }
            publisherPriority = buffer.getByte(position++) & 0xFF;
        }
        propertiesOffset = 0;
        propertiesLength = 0;
        if ((type & DatagramType.PROPERTIES) != 0)
        {
            final long n = varint();
            if (n == 0)
            {
                throw WireException.protocolViolation("datagram with the PROPERTIES bit and empty properties");
            }
            if (Long.compareUnsigned(n, limit - position) > 0)
            {
                throw truncated();
            }
            propertiesOffset = position;
            propertiesLength = (int)n;
            position += propertiesLength;
            ObjectProperties.validate(draft, buffer, propertiesOffset, propertiesLength);
        }
        if ((type & DatagramType.STATUS) != 0)
        {
            status = varint();
            ObjectStatus.check(draft, status, propertiesLength);
            if (position != limit)
            {
                throw WireException.protocolViolation("payload after the status of a status datagram");
            }
            payloadOffset = position;
            payloadLength = 0;
        }
        else
        {
            status = ObjectStatus.NORMAL;
            payloadOffset = position;
            payloadLength = limit - position;
        }
        return true;
    }

    private long varint() throws WireException
    {
        if (position >= limit)
        {
            throw truncated();
        }
        final int size = moqt ? MoqtVarint.size(buffer, position) : QuicVarint.size(buffer, position);
        if (size > limit - position)
        {
            throw truncated();
        }
        final long value = moqt ? MoqtVarint.value(buffer, position) : QuicVarint.value(buffer, position);
        position += size;
        return value;
    }

    private static WireException truncated()
    {
        return WireException.protocolViolation("truncated OBJECT_DATAGRAM");
    }

    public int type()
    {
        return type;
    }

    public long trackAlias()
    {
        return trackAlias;
    }

    public long groupId()
    {
        return groupId;
    }

    public long objectId()
    {
        return objectId;
    }

    /** 0..255, or {@link #DEFAULT_PRIORITY}. */
    public int publisherPriority()
    {
        return publisherPriority;
    }

    /** No object in the group has a larger id (END_OF_GROUP bit). */
    public boolean endOfGroup()
    {
        return (type & DatagramType.END_OF_GROUP) != 0;
    }

    /** True if the datagram carried an Object Status instead of a payload. */
    public boolean hasStatus()
    {
        return (type & DatagramType.STATUS) != 0;
    }

    /** {@link ObjectStatus}; NORMAL for payload datagrams. */
    public long status()
    {
        return status;
    }

    /** The buffer decoded; properties and payload views index into it. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int propertiesOffset()
    {
        return propertiesOffset;
    }

    /** Raw properties bytes (without the length prefix); 0 if absent. */
    public int propertiesLength()
    {
        return propertiesLength;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    @Override
    public String toString()
    {
        return "ObjectDatagram{type=0x" + Integer.toHexString(type) + ", alias=" + Long.toUnsignedString(trackAlias) +
            ", group=" + Long.toUnsignedString(groupId) + ", object=" + Long.toUnsignedString(objectId) +
            ", priority=" + publisherPriority + ", status=0x" + Long.toHexString(status) +
            ", properties=" + propertiesLength + ", payload=" + payloadLength + '}';
    }
}
