package moq.relay.wire.data;

import moq.relay.wire.Draft;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Encoders against hand-written bytes laid out from the drafts' figures. */
class EncoderBytesTest
{
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);

    private byte[] written(final int length)
    {
        return Arrays.copyOf(out.byteArray(), length);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void subgroupEncoderWritesTheDraftExample(final Draft draft)
    {
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        int n = encoder.writeHeader(draft, out, 0, 0x14, 2, 0, 0, 0);
        n += encoder.writeObject(out, n, 0, ObjectStatus.NORMAL, null, 0, 0, 4);
        out.putBytes(n, "abcd".getBytes());
        n += 4;
        n += encoder.writeObject(out, n, 1, ObjectStatus.NORMAL, null, 0, 0, 4);
        out.putBytes(n, "efgh".getBytes());
        n += 4;
        assertThat(written(n)).isEqualTo(hex("14 02 00 00 00  00 04 61626364  00 04 65666768"));
    }

    @Test
    void subgroupObjectIdsAreDeltaCodedAndStatusFollowsAnEmptyPayload()
    {
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final int type = SubgroupHeaderType.of(Draft.DRAFT_18, true, SubgroupHeaderType.MODE_FIRST_OBJECT_ID, true, true, true);
        assertThat(type).isEqualTo(0x7B);
        int n = encoder.writeHeader(Draft.DRAFT_18, out, 0, type, 1, 200, 999, 0);
        // 200 is a 2-byte draft-18 varint: 0x80C8.
        assertThat(written(n)).isEqualTo(hex("7B 01 80C8"));
        final int start = n;
        n += encoder.writeObject(out, n, 5, ObjectStatus.NORMAL, new UnsafeBuffer(hex("0201")), 0, 2, 1);
        out.putByte(n++, (byte)'x');
        n += encoder.writeObject(out, n, 9, ObjectStatus.END_OF_GROUP, null, 0, 0, 0);
        assertThat(Arrays.copyOfRange(out.byteArray(), start, n)).isEqualTo(hex("05 02 0201 01 78  03 00 00 03"));
        assertThatThrownBy(() -> encoder.writeObject(out, 0, 9, 0, null, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void draft14SubgroupRejectsDraft18Bits()
    {
        assertThatThrownBy(() -> SubgroupHeaderType.of(Draft.DRAFT_14, false, 0, false, true, false))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubgroupStreamEncoder(Draft.DRAFT_14).writeHeader(Draft.DRAFT_14, out, 0, 0x30, 1, 2, 3, 4))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datagramEncoderPicksTheCompactType()
    {
        int n = ObjectDatagramEncoder.write(Draft.DRAFT_18, out, 0, 1, 5, 7, 0x80, false, null, 0, 0,
            new UnsafeBuffer("hi".getBytes()), 0, 2);
        assertThat(written(n)).isEqualTo(hex("00 01 05 07 80 6869"));
        n = ObjectDatagramEncoder.writeHeader(Draft.DRAFT_18, out, 0, 1, 5, 0, -1, false, ObjectStatus.END_OF_GROUP, null, 0, 0);
        assertThat(written(n)).isEqualTo(hex("2C 01 05 03"));
        n = ObjectDatagramEncoder.writeHeader(Draft.DRAFT_14, out, 0, 1, 5, 0, 0x80, false, ObjectStatus.END_OF_TRACK, null, 0, 0);
        assertThat(written(n)).isEqualTo(hex("20 01 05 00 80 04"));
        n = ObjectDatagramEncoder.writeHeader(Draft.DRAFT_14, out, 0, 1, 5, 0, 0x80, true, ObjectDatagramEncoder.NO_STATUS,
            new UnsafeBuffer(hex("0400")), 0, 2);
        assertThat(written(n)).isEqualTo(hex("07 01 05 80 02 0400"));
    }

    @Test
    void fetchEncoderMatchesTheHandWrittenStream()
    {
        final FetchStreamEncoder encoder = new FetchStreamEncoder(Draft.DRAFT_18);
        int n = encoder.writeHeader(Draft.DRAFT_18, out, 0, 3, false);
        n += encoder.writeObject(out, n, 5, 0, false, 7, 0x80, 0, null, 0, 0, 2);
        out.putBytes(n, "hi".getBytes());
        n += 2;
        n += encoder.writeObject(out, n, 5, 0, false, 8, 0x80, 0, null, 0, 0, 1);
        out.putByte(n++, (byte)'x');
        n += encoder.writeEndOfRange(out, n, 5, 10, false);
        n += encoder.writeObject(out, n, 5, 0, false, 11, 0x80, 0, null, 0, 0, 0);
        n += encoder.writeObject(out, n, 6, 3, false, 10, 0x10, 0, new UnsafeBuffer(hex("0201")), 0, 2, 0);
        assertThat(written(n)).isEqualTo(hex("05 03  1C 05 07 80 02 6869  00 01 78  808C 05 0A  00 00  3F 00 03 0A 10 02 0201 00"));

        final FetchStreamEncoder d14 = new FetchStreamEncoder(Draft.DRAFT_14);
        n = d14.writeHeader(Draft.DRAFT_14, out, 0, 3, false);
        n += d14.writeObject(out, n, 5, 0, false, 8, 0x80, ObjectStatus.END_OF_GROUP, new UnsafeBuffer(hex("0201")), 0, 2, 0);
        assertThat(written(n)).isEqualTo(hex("05 03  05 00 08 80 02 0201 00 03"));
        assertThatThrownBy(() -> d14.writeEndOfRange(out, 0, 1, 1, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
