package moq.relay.wire.data;

import org.agrona.DirectBuffer;

/**
 * The header of one object on a subgroup or fetch stream, ids resolved (deltas applied). Mutable, owned
 * by the {@link DataStreamDecoder}, valid only during {@link DataStreamHandler#onObjectHeader}; the
 * properties view points into the caller's chunk or the decoder's scratch buffer, so a handler that keeps
 * the properties copies the bytes during the callback.
 */
public final class ObjectHeader
{
    /** {@link #publisherPriority()} when the object inherits the subscription's priority (draft-18). */
    public static final int DEFAULT_PRIORITY = -1;

    long groupId;
    long subgroupId;
    boolean datagram;
    long objectId;
    int publisherPriority;
    long status;
    DirectBuffer propertiesBuffer;
    int propertiesOffset;
    int propertiesLength;
    long payloadLength;

    public long groupId()
    {
        return groupId;
    }

    /** Subgroup id; meaningless when {@link #datagram()}. */
    public long subgroupId()
    {
        return subgroupId;
    }

    /**
     * Draft-18 fetch objects whose forwarding preference is Datagram (flag 0x40) have no subgroup id.
     * Draft-14 fetch streams cannot tell (the subgroup id is set to the object id there).
     */
    public boolean datagram()
    {
        return datagram;
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

    /** {@link ObjectStatus}; NORMAL whenever the payload is non-empty and on draft-18 fetch streams. */
    public long status()
    {
        return status;
    }

    /** Buffer holding the raw properties block (without its length prefix); null if there is none. */
    public DirectBuffer propertiesBuffer()
    {
        return propertiesBuffer;
    }

    public int propertiesOffset()
    {
        return propertiesOffset;
    }

    /** Bytes of the raw properties block; 0 if absent or empty. */
    public int propertiesLength()
    {
        return propertiesLength;
    }

    /** Total payload bytes that follow, unsigned; delivered through {@link DataStreamHandler#onPayload}. */
    public long payloadLength()
    {
        return payloadLength;
    }

    @Override
    public String toString()
    {
        return "ObjectHeader{group=" + Long.toUnsignedString(groupId) +
            ", subgroup=" + (datagram ? "datagram" : Long.toUnsignedString(subgroupId)) +
            ", object=" + Long.toUnsignedString(objectId) + ", priority=" + publisherPriority +
            ", status=0x" + Long.toHexString(status) + ", properties=" + propertiesLength +
            ", payload=" + Long.toUnsignedString(payloadLength) + '}';
    }
}
