package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;

/**
 * A lite-05 QUIC datagram: one single-frame group, {@code Subscribe ID (i), Group Sequence (i), Timestamp (i),
 * Payload} with the payload running to the datagram's end ({@code @moq/net} {@code lite/datagram.js}). A reusable
 * flyweight: {@link #decode} fills it, the payload is a view into the datagram's buffer (valid while it is).
 */
public final class LiteDatagram
{
    private long subscribeId;
    private long sequence;
    private long timestamp;
    private int payloadOffset;
    private int payloadLength;

    /** Reads the datagram's fields; nothing is copied. */
    public LiteDatagram decode(final LiteVersion version, final DirectBuffer buffer, final int offset, final int length)
        throws WireException
    {
        if (!version.datagrams())
        {
            throw WireException.protocolViolation("datagrams do not exist in " + version);
        }
        final int end = offset + length;
        int position = offset;
        subscribeId = read(buffer, position, end, "Subscribe ID");
        position += QuicVarint.size(buffer, position);
        sequence = read(buffer, position, end, "Group Sequence");
        position += QuicVarint.size(buffer, position);
        timestamp = read(buffer, position, end, "Timestamp");
        position += QuicVarint.size(buffer, position);
        payloadOffset = position;
        payloadLength = end - position;
        return this;
    }

    private static long read(final DirectBuffer buffer, final int position, final int end, final String what)
        throws WireException
    {
        if (position >= end || QuicVarint.size(buffer, position) > end - position)
        {
            throw WireException.protocolViolation("datagram truncated in " + what);
        }
        return QuicVarint.value(buffer, position);
    }

    /** Writes the datagram's header (the payload follows it); returns bytes written. */
    public static int encodeHeader(final org.agrona.MutableDirectBuffer buffer, final int offset, final long subscribeId,
        final long sequence, final long timestamp)
    {
        int position = offset;
        position += QuicVarint.write(buffer, position, subscribeId);
        position += QuicVarint.write(buffer, position, sequence);
        position += QuicVarint.write(buffer, position, timestamp);
        return position - offset;
    }

    public long subscribeId()
    {
        return subscribeId;
    }

    public long sequence()
    {
        return sequence;
    }

    public long timestamp()
    {
        return timestamp;
    }

    public int payloadOffset()
    {
        return payloadOffset;
    }

    public int payloadLength()
    {
        return payloadLength;
    }
}
