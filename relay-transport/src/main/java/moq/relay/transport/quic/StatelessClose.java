package moq.relay.transport.quic;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import io.netty.buffer.ByteBuf;
import moq.relay.wire.QuicVarint;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Initial packet with which the relay refuses a connection it never creates: a CONNECTION_CLOSE of type 0x1c
 * (RFC 9000 19.19) in the Initial packet number space, protected with the server's Initial keys of the client's
 * first Destination Connection ID (RFC 9001 5.2), addressed to the client's Source Connection ID. RFC 9000 10.2.3
 * lets a server close in the Initial space before the handshake; the client then fails at once with the code
 * instead of retransmitting until its handshake timeout.
 *
 * <p>The answer is smaller than the client's Initial (at least 1,200 bytes by RFC 9000 14.1), so it amplifies
 * nothing; CONNECTION_CLOSE is not ack-eliciting, so it needs no padding.
 */
final class StatelessClose
{
    static final int QUIC_V1 = 1;
    /** RFC 9000 20.1: the server refuses to accept a new connection. */
    static final long CONNECTION_REFUSED = 0x2;
    private static final int MAX_CID_LENGTH = 20;
    private static final int MAX_REASON_LENGTH = 63;
    private static final int PACKET_NUMBER_LENGTH = 1;

    private StatelessClose()
    {
    }

    /**
     * The answer to {@code initial}, a datagram's first packet, read without moving its indices.
     *
     * @return the protected packet, or null when {@code initial} is not a well-formed QUIC version 1 Initial header.
     */
    static byte[] refuse(final ByteBuf initial, final long errorCode, final String reason)
        throws GeneralSecurityException
    {
        final int start = initial.readerIndex();
        final int end = initial.writerIndex();
        if (end - start < 7 || (initial.getUnsignedByte(start) & 0xB0) != 0x80 || initial.getInt(start + 1) != QUIC_V1)
        {
            return null;
        }
        final int dcidLength = initial.getUnsignedByte(start + 5);
        final int scidAt = start + 6 + dcidLength;
        if (dcidLength > MAX_CID_LENGTH || scidAt >= end)
        {
            return null;
        }
        final int scidLength = initial.getUnsignedByte(scidAt);
        if (scidLength > MAX_CID_LENGTH || scidAt + 1 + scidLength > end)
        {
            return null;
        }
        final byte[] clientDcid = new byte[dcidLength];
        initial.getBytes(start + 6, clientDcid);
        final byte[] clientScid = new byte[scidLength];
        initial.getBytes(scidAt + 1, clientScid);
        return build(clientDcid, clientScid, errorCode, reason);
    }

    /** Our Initial to a client that sent {@code clientDcid} and {@code clientScid}: ours are the same two, swapped. */
    static byte[] build(final byte[] clientDcid, final byte[] clientScid, final long errorCode, final String reason)
        throws GeneralSecurityException
    {
        byte[] phrase = reason.getBytes(StandardCharsets.UTF_8);
        if (phrase.length > MAX_REASON_LENGTH)
        {
            phrase = java.util.Arrays.copyOf(phrase, MAX_REASON_LENGTH);
        }
        final int payloadLength = 1 + QuicVarint.length(errorCode) + 1 + 1 + phrase.length;
        final int headerLength = 1 + 4 + 1 + clientScid.length + 1 + clientDcid.length + 1 + 2 + PACKET_NUMBER_LENGTH;
        final byte[] packet = new byte[headerLength + payloadLength + InitialPacketProtection.TAG_LENGTH];
        int at = 0;
        packet[at++] = (byte)(0xC0 | (PACKET_NUMBER_LENGTH - 1)); // long header, fixed bit, Initial
        packet[at++] = 0;
        packet[at++] = 0;
        packet[at++] = 0;
        packet[at++] = QUIC_V1;
        packet[at++] = (byte)clientScid.length; // our Destination Connection ID: the client's source
        System.arraycopy(clientScid, 0, packet, at, clientScid.length);
        at += clientScid.length;
        packet[at++] = (byte)clientDcid.length; // our Source Connection ID: the one the client picked for us
        System.arraycopy(clientDcid, 0, packet, at, clientDcid.length);
        at += clientDcid.length;
        packet[at++] = 0; // Token Length: a server's Initial carries none
        final UnsafeBuffer view = new UnsafeBuffer(packet);
        at += QuicVarint.write(view, at, PACKET_NUMBER_LENGTH + payloadLength + InitialPacketProtection.TAG_LENGTH, 2);
        final int pnOffset = at;
        packet[at++] = 0; // packet number 0: the first of the Initial space
        packet[at++] = 0x1c; // CONNECTION_CLOSE, transport error
        at += QuicVarint.write(view, at, errorCode);
        packet[at++] = 0; // Frame Type: none in particular
        packet[at++] = (byte)phrase.length;
        System.arraycopy(phrase, 0, packet, at, phrase.length);
        InitialPacketProtection.server(clientDcid).protect(packet, pnOffset, PACKET_NUMBER_LENGTH, 0, payloadLength);
        return packet;
    }
}
