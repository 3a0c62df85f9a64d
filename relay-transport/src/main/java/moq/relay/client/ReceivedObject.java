package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * One object delivered to a {@link SubscriptionListener} or {@link FetchListener}.
 *
 * <p>Ownership: {@link #payload()} belongs to the client and is released right after the listener callback
 * returns; a listener that keeps the bytes must {@code retain()} (and later release) the buffer or copy them
 * ({@link #payloadBytes()}).
 *
 * @param status            Object Status (0 Normal, 3 End of Group, 4 End of Track, draft-14 also 1 Does Not Exist).
 * @param publisherPriority 0..255, or -1 when the stream or datagram inherits the track default.
 * @param properties        the raw properties (draft-14: extension headers) block; empty when there are none.
 * @param datagram          true when the object arrived in an OBJECT_DATAGRAM (subgroup id is then the object id).
 */
public record ReceivedObject(
    long groupId,
    long subgroupId,
    long objectId,
    long status,
    int publisherPriority,
    byte[] properties,
    ByteBuf payload,
    boolean datagram)
{
    /** A copy of the payload bytes. */
    public byte[] payloadBytes()
    {
        return ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes(), true);
    }

    public int payloadLength()
    {
        return payload.readableBytes();
    }

    @Override
    public String toString()
    {
        return "object " + groupId + "/" + subgroupId + "/" + objectId + " status " + status + ", " +
            payload.readableBytes() + " payload bytes, " + properties.length + " properties bytes" +
            (datagram ? " (datagram)" : "");
    }
}
