package moq.relay.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes and decodes one draft's control messages. Framing is common to both drafts:
 * {@code Type (varint), Length (16), Payload}; see {@link ControlFramer}.
 */
public interface ControlCodec
{
    Draft draft();

    /**
     * Decodes the payload of a message of {@code type}. The reader is bounded to exactly the payload; the
     * codec must consume all of it.
     *
     * @throws WireException for an unknown type (PROTOCOL_VIOLATION), a length mismatch or any field the
     *                       draft forbids, carrying the session error the draft prescribes.
     */
    ControlMessage decodePayload(long type, WireReader payload) throws WireException;

    /** Writes the payload of {@code message} (without type and length). */
    void encodePayload(ControlMessage message, WireWriter writer);

    /** Writes a whole framed message: type, 16-bit length, payload. */
    default void encode(final ControlMessage message, final WireWriter writer)
    {
        ControlFramer.encode(this, message, writer);
    }

    /** Decodes one whole framed message that fills {@code buffer[offset, offset + length)} exactly. */
    default ControlMessage decode(final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        return ControlFramer.decodeExactly(this, buffer, offset, length);
    }
}
