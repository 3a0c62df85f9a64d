package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import org.agrona.ExpandableArrayBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Builds raw frames by hand for malformed-input tests, and asserts on the session error they cause. */
final class D14Frames
{
    static final Draft14ControlCodec CODEC = Draft14ControlCodec.INSTANCE;

    private D14Frames()
    {
    }

    /** A frame of {@code type} around a hand-written payload (hex, whitespace ignored). */
    static byte[] frame(final long type, final String payloadHex)
    {
        return frame(type, Bytes.fromHex(payloadHex).array());
    }

    static byte[] frame(final long type, final byte[] payload)
    {
        final WireWriter w = new WireWriter(Draft.DRAFT_14.varint(), new ExpandableArrayBuffer(payload.length + 16));
        w.varint(type).uint16(payload.length).bytes(Bytes.wrap(payload));
        return w.toByteArray(0);
    }

    /** A payload builder: varints, bytes and hex, in the draft-14 varint. */
    static Payload payload()
    {
        return new Payload();
    }

    static void assertRejected(final byte[] frame, final SessionError error)
    {
        assertThatThrownBy(() -> CODEC.decode(frame))
            .isInstanceOf(WireException.class)
            .satisfies(e -> assertThat(((WireException)e).error()).isEqualTo(error));
    }

    static final class Payload
    {
        private final WireWriter w = new WireWriter(Draft.DRAFT_14.varint(), new ExpandableArrayBuffer(128));

        Payload varint(final long v)
        {
            w.varint(v);
            return this;
        }

        Payload uint8(final int v)
        {
            w.uint8(v);
            return this;
        }

        Payload hex(final String hex)
        {
            w.bytes(Bytes.fromHex(hex));
            return this;
        }

        Payload bytes(final Bytes b)
        {
            w.bytes(b);
            return this;
        }

        Payload lengthPrefixed(final Bytes b)
        {
            w.lengthPrefixed(b);
            return this;
        }

        byte[] toArray()
        {
            return w.toByteArray(0);
        }

        byte[] frame(final long type)
        {
            return D14Frames.frame(type, toArray());
        }
    }
}
