package moq.relay.wire.lite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The TIMESTAMP property a lite-05 frame's timestamp travels in through the log (draft-lcurley-moq-timestamp). */
class LiteTimestampsTest
{
    @Test
    void everyTimestampComesBackAsTheSameLong()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[LiteTimestamps.MAX_PROPERTY_LENGTH]);
        for (final long t : new long[] {0, 1, 63, 90_000, 1_733_580_000_000_000L, Long.MAX_VALUE, -1, Long.MIN_VALUE})
        {
            final int n = LiteTimestamps.write(b, 0, t);
            assertThat(n).isEqualTo(LiteTimestamps.length(t)).isLessThanOrEqualTo(LiteTimestamps.MAX_PROPERTY_LENGTH);
            final int at = LiteTimestamps.find(b, 0, n);
            assertThat(at).isPositive();
            assertThat(MoqtVarint.value(b, at)).as("timestamp %d", t).isEqualTo(t);
        }
        // Type 0x915C2, three bytes in the draft-17+ varint (21 bits after 110), then 90,000 in three bytes.
        final int n = LiteTimestamps.write(b, 0, 90_000);
        assertThat(java.util.Arrays.copyOf(b.byteArray(), n)).containsExactly(0xC9, 0x15, 0xC2, 0xC1, 0x5F, 0x90);
    }

    @Test
    void foundAfterOtherPropertiesAndNotInBrokenOrForeignBlocks()
    {
        // A bytes property (odd type 0x3: length 2) and a varint one (0x4) before it, delta-coded.
        final UnsafeBuffer b = new UnsafeBuffer(new byte[32]);
        int p = 0;
        p += MoqtVarint.write(b, p, 0x3);
        p += MoqtVarint.write(b, p, 2);
        b.putByte(p++, (byte)7);
        b.putByte(p++, (byte)8);
        p += MoqtVarint.write(b, p, 0x1);
        p += MoqtVarint.write(b, p, 500);
        p += MoqtVarint.write(b, p, LiteTimestamps.TIMESTAMP - 0x4);
        final int value = p;
        p += MoqtVarint.write(b, p, 12_345);
        assertThat(LiteTimestamps.find(b, 0, p)).isEqualTo(value);
        assertThat(MoqtVarint.value(b, value)).isEqualTo(12_345);

        assertThat(LiteTimestamps.find(b, 0, value - 1)).as("cut inside the type").isEqualTo(-1);
        assertThat(LiteTimestamps.find(b, 0, 5)).as("no TIMESTAMP").isEqualTo(-1);
        assertThat(LiteTimestamps.find(b, 0, 0)).as("empty").isEqualTo(-1);
    }

    @Test
    void theTimescaleIsAPositiveTrackProperty()
    {
        assertThat(LiteTimestamps.timescale(List.of())).isZero();
        assertThat(LiteTimestamps.timescale(List.of(KeyValuePair.ofVarint(0x0E, 3),
            KeyValuePair.ofVarint(LiteTimestamps.TIMESCALE, 48_000)))).isEqualTo(48_000);
        assertThat(LiteTimestamps.timescale(List.of(KeyValuePair.ofVarint(LiteTimestamps.TIMESCALE, 0)))).isZero();
    }
}
