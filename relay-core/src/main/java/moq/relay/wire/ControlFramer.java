package moq.relay.wire;

import org.agrona.DirectBuffer;

/**
 * Control message framing shared by drafts 14 and 18: {@code Type (varint), Length (16), Payload}.
 * Incremental: {@link #frameLength} tells whether a whole message is buffered, without consuming anything,
 * so a stream handler accumulates bytes until it returns a length, then decodes. A payload cannot exceed
 * 65,535 bytes, which bounds what a control stream ever buffers.
 */
public final class ControlFramer
{
    /** Returned by {@link #frameLength} when more bytes are needed. */
    public static final int NEED_MORE = -1;

    private ControlFramer()
    {
    }

    /**
     * @return the length of the whole first message in {@code buffer[offset, offset + available)}, or
     *         {@link #NEED_MORE} if it is not all there yet.
     */
    public static int frameLength(final Varint varint, final DirectBuffer buffer, final int offset, final int available)
    {
        if (available < 1)
        {
            return NEED_MORE;
        }
        final int typeSize = varint.sizeAt(buffer, offset);
        if (available < typeSize + 2)
        {
            return NEED_MORE;
        }
        final int payloadLength = ((buffer.getByte(offset + typeSize) & 0xFF) << 8) |
            (buffer.getByte(offset + typeSize + 1) & 0xFF);
        final int total = typeSize + 2 + payloadLength;
        return available >= total ? total : NEED_MORE;
    }

    /** Decodes one framed message occupying exactly {@code length} bytes. */
    public static ControlMessage decodeExactly(
        final ControlCodec codec, final DirectBuffer buffer, final int offset, final int length) throws WireException
    {
        final WireReader header = new WireReader(codec.draft().varint()).wrap(buffer, offset, length);
        final long type = header.varint();
        final int payloadLength = header.uint16();
        if (payloadLength != header.remaining())
        {
            throw WireException.protocolViolation("message length " + payloadLength + " but " + header.remaining() +
                " payload bytes");
        }
        final WireReader payload = new WireReader(codec.draft().varint()).wrap(buffer, header.position(), payloadLength);
        final ControlMessage message = codec.decodePayload(type, payload);
        payload.expectEnd("message 0x" + Long.toHexString(type));
        return message;
    }

    /** Writes type, a 16-bit length placeholder, the payload, then patches the length. */
    public static void encode(final ControlCodec codec, final ControlMessage message, final WireWriter writer)
    {
        writer.varint(message.type());
        final int lengthAt = writer.position();
        writer.uint16(0);
        codec.encodePayload(message, writer);
        final int payloadLength = writer.position() - lengthAt - 2;
        if (payloadLength > Limits.MAX_CONTROL_PAYLOAD)
        {
            throw new IllegalArgumentException("control message payload " + payloadLength + " exceeds 65535 bytes");
        }
        writer.buffer().putByte(lengthAt, (byte)(payloadLength >>> 8));
        writer.buffer().putByte(lengthAt + 1, (byte)payloadLength);
    }
}
