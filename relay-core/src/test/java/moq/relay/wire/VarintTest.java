package moq.relay.wire;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VarintTest
{
    @ParameterizedTest(name = "draft-18 example {0} = {1}")
    @CsvSource({
        "25, 37",
        "8025, 37",
        "bbbd, 15293",
        "ed7f3e7d, 226442877",
        "faa1a0e403d8, 2893212287960",
        "fc8998abc66bc0, 151288809941952",
        "fefa318fa8e3ca11, 70423237261249041",
        "ffffffffffffffffff, 18446744073709551615",
    })
    void decodesDraft18Examples(final String hex, final String decimal)
    {
        final UnsafeBuffer b = new UnsafeBuffer(Bytes.fromHex(hex).array());
        assertThat(MoqtVarint.size(b, 0)).isEqualTo(hex.length() / 2);
        assertThat(Long.toUnsignedString(MoqtVarint.value(b, 0))).isEqualTo(decimal);
    }

    @ParameterizedTest(name = "RFC 9000 example {0} = {1}")
    @CsvSource({
        "c2197c5eff14e88c, 151288809941952652",
        "9d7f3e7d, 494878333",
        "7bbd, 15293",
        "25, 37",
        "4025, 37",
    })
    void decodesRfc9000Examples(final String hex, final long value)
    {
        final UnsafeBuffer b = new UnsafeBuffer(Bytes.fromHex(hex).array());
        assertThat(QuicVarint.size(b, 0)).isEqualTo(hex.length() / 2);
        assertThat(QuicVarint.value(b, 0)).isEqualTo(value);
    }

    @Test
    void setupTypeEncodesAsTheDraftSays()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[9]);
        assertThat(MoqtVarint.write(b, 0, 0x2F00)).isEqualTo(2);
        assertThat(b.getByte(0) & 0xFF).isEqualTo(0xAF);
        assertThat(b.getByte(1) & 0xFF).isEqualTo(0x00);
    }

    @Test
    void rfc9000RejectsValuesAbove2To62()
    {
        assertThatThrownBy(() -> QuicVarint.length(1L << 62)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void moqtRoundTripsEveryUnsigned64BitValue(@ForAll final long value)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[9]);
        final int n = MoqtVarint.write(b, 0, value);
        assertThat(n).isEqualTo(MoqtVarint.length(value));
        assertThat(MoqtVarint.size(b, 0)).isEqualTo(n);
        assertThat(MoqtVarint.value(b, 0)).isEqualTo(value);
    }

    @Property
    void moqtAcceptsEveryNonMinimalLength(@ForAll final long value, @ForAll @IntRange(min = 1, max = 9) final int length)
    {
        if (MoqtVarint.length(value) > length)
        {
            return;
        }
        final UnsafeBuffer b = new UnsafeBuffer(new byte[9]);
        assertThat(MoqtVarint.write(b, 0, value, length)).isEqualTo(length);
        assertThat(MoqtVarint.size(b, 0)).isEqualTo(length);
        assertThat(MoqtVarint.value(b, 0)).isEqualTo(value);
    }

    @Property
    void moqtMinimalLengthMatchesTheRangeTable(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) final long value)
    {
        final int bits = 64 - Long.numberOfLeadingZeros(value);
        final int expected = bits <= 7 ? 1 : bits <= 14 ? 2 : bits <= 21 ? 3 : bits <= 28 ? 4 : bits <= 35 ? 5 :
            bits <= 42 ? 6 : bits <= 49 ? 7 : bits <= 56 ? 8 : 9;
        assertThat(MoqtVarint.length(value)).isEqualTo(expected);
    }

    @Property
    void quicRoundTripsEveryValueBelow2To62(
        @ForAll @LongRange(min = 0, max = QuicVarint.MAX_VALUE) final long value,
        @ForAll @IntRange(min = 0, max = 3) final int lengthExponent)
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        final int length = Math.max(1 << lengthExponent, QuicVarint.length(value));
        assertThat(QuicVarint.write(b, 0, value, length)).isEqualTo(length);
        assertThat(QuicVarint.size(b, 0)).isEqualTo(length);
        assertThat(QuicVarint.value(b, 0)).isEqualTo(value);
    }
}
