package moq.relay.wire.d14;

import moq.relay.wire.WireException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class Draft14CodecProperties
{
    private static final Draft14ControlCodec CODEC = Draft14ControlCodec.INSTANCE;

    @Provide
    Arbitrary<Draft14Message> messages()
    {
        return D14Arbitraries.message();
    }

    /** Message type codes: every known one, and a few unknown ones. */
    @Provide
    Arbitrary<Long> types()
    {
        return Arbitraries.oneOf(
            Arbitraries.of(MessageType.class).map(MessageType::code),
            Arbitraries.longs().between(0, 0x50),
            D14Arbitraries.varint());
    }

    @Property(tries = 3000)
    void validMessagesRoundTripByteForByte(@ForAll("messages") final Draft14Message message) throws Exception
    {
        final byte[] frame = CODEC.encodeToBytes(message);

        final Draft14Message decoded = CODEC.decode(frame);

        assertThat(decoded).isEqualTo(message);
        assertThat(CODEC.encodeToBytes(decoded)).isEqualTo(frame);
    }

    @Property(tries = 3000)
    void randomPayloadsDecodeOrFailOnlyWithWireException(
        @ForAll("types") final long type, @ForAll @Size(max = 96) final byte[] payload)
    {
        assertDecodesOrFailsCleanly(D14Frames.frame(type, payload));
    }

    @Property(tries = 2000)
    void randomBytesDecodeOrFailOnlyWithWireException(@ForAll @Size(max = 64) final byte[] frame)
    {
        assertDecodesOrFailsCleanly(frame);
    }

    @Property(tries = 3000)
    void corruptedValidMessagesDecodeOrFailOnlyWithWireException(
        @ForAll("messages") final Draft14Message message,
        @ForAll @IntRange(min = 0, max = 1 << 16) final int where,
        @ForAll final byte value,
        @ForAll @IntRange(min = 0, max = 3) final int how)
    {
        final byte[] frame = CODEC.encodeToBytes(message);
        final int typeLength = CODEC.draft().varint().encodedLength(message.type());
        final byte[] payload = Arrays.copyOfRange(frame, typeLength + 2, frame.length);
        final int at = payload.length == 0 ? 0 : where % payload.length;
        final byte[] corrupted;
        switch (how)
        {
            case 0: // overwrite a byte
                corrupted = payload.clone();
                if (corrupted.length > 0)
                {
                    corrupted[at] = value;
                }
                break;
            case 1: // cut the payload short
                corrupted = Arrays.copyOf(payload, at);
                break;
            case 2: // insert a byte
                corrupted = new byte[payload.length + 1];
                System.arraycopy(payload, 0, corrupted, 0, at);
                corrupted[at] = value;
                System.arraycopy(payload, at, corrupted, at + 1, payload.length - at);
                break;
            default: // drop a byte
                corrupted = payload.length == 0 ? payload : new byte[payload.length - 1];
                if (payload.length > 0)
                {
                    System.arraycopy(payload, 0, corrupted, 0, at);
                    System.arraycopy(payload, at + 1, corrupted, at, payload.length - at - 1);
                }
                break;
        }
        assertDecodesOrFailsCleanly(D14Frames.frame(message.type(), corrupted));
    }

    /**
     * Whatever decodes must be a valid message: it encodes without complaint and decodes to itself, so a
     * relay can forward anything it accepted. Anything else must be a WireException with a session error.
     */
    static void assertDecodesOrFailsCleanly(final byte[] frame)
    {
        final Draft14Message decoded;
        try
        {
            decoded = CODEC.decode(frame);
        }
        catch (final WireException e)
        {
            assertThat(e.error()).isNotNull();
            return;
        }
        try
        {
            assertThat(CODEC.decode(CODEC.encodeToBytes(decoded))).isEqualTo(decoded);
        }
        catch (final WireException e)
        {
            throw new AssertionError("re-encoded " + decoded + " does not decode: " + e, e);
        }
    }
}
