package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers: whole-frame encode/decode through the codec, and frames built from payload hex. */
final class Wire
{
    static final Draft20ControlCodec CODEC = Draft20ControlCodec.INSTANCE;

    private Wire()
    {
    }

    static byte[] encode(final ControlMessage message)
    {
        final WireWriter writer = new WireWriter(MoqtVarint.INSTANCE);
        CODEC.encode(message, writer);
        return writer.toByteArray(0);
    }

    static String hex(final ControlMessage message)
    {
        return Bytes.wrap(encode(message)).hex();
    }

    static ControlMessage decode(final byte[] frame) throws WireException
    {
        return CODEC.decode(new UnsafeBuffer(frame), 0, frame.length);
    }

    static ControlMessage decodeHex(final String frameHex) throws WireException
    {
        return decode(Bytes.fromHex(frameHex).toByteArray());
    }

    /** A frame of {@code type} around {@code payloadHex}, with the correct 16-bit length. */
    static byte[] frame(final long type, final String payloadHex)
    {
        return frame(type, Bytes.fromHex(payloadHex).toByteArray());
    }

    static byte[] frame(final long type, final byte[] payload)
    {
        final WireWriter writer = new WireWriter(MoqtVarint.INSTANCE);
        writer.varint(type).uint16(payload.length).bytes(Bytes.wrap(payload));
        return writer.toByteArray(0);
    }

    static ControlMessage decodePayload(final long type, final byte[] payload) throws WireException
    {
        return decode(frame(type, payload));
    }

    static ControlMessage decodePayloadHex(final long type, final String payloadHex) throws WireException
    {
        return decode(frame(type, payloadHex));
    }

    /** Minimal varint encoding, as hex. */
    static String varint(final long value)
    {
        final WireWriter writer = new WireWriter(MoqtVarint.INSTANCE);
        writer.varint(value);
        return Bytes.wrap(writer.toByteArray(0)).hex();
    }

    /** {@code n} repetitions of the byte {@code b}, as hex. */
    static String repeat(final String byteHex, final int n)
    {
        return byteHex.repeat(n);
    }

    static WireReader reader(final byte[] bytes)
    {
        return new WireReader(MoqtVarint.INSTANCE).wrap(new UnsafeBuffer(bytes), 0, bytes.length);
    }
}
