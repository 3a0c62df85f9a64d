package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static moq.relay.wire.data.Feed.decode;
import static moq.relay.wire.data.Feed.decodeBytewise;
import static moq.relay.wire.data.Feed.errorOf;
import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;

class SubgroupStreamTest
{
    private static final byte[] ABCD = "abcd".getBytes();
    private static final byte[] EFGH = "efgh".getBytes();

    @ParameterizedTest
    @EnumSource(Draft.class)
    void decodesTheDraftExample(final Draft draft) throws WireException
    {
        // Draft-18 §"Examples": type 0x14, alias 2, group 0, subgroup 0, priority 0, objects 0 "abcd" and 1 "efgh".
        // All values fit one byte, so the bytes are the same under both varint schemes.
        final byte[] bytes = hex("14 02 00 00 00  00 04 61626364  00 04 65666768");
        final List<String> expected = List.of(
            "subgroup type=14 alias=2 group=0 subgroup=0 priority=0",
            Recorder.object(0, 0, 0, 0, 0, new byte[0], 4), Recorder.end(ABCD),
            Recorder.object(0, 0, 1, 0, 0, new byte[0], 4), Recorder.end(EFGH),
            "fin");
        assertThat(decode(draft, bytes)).isEqualTo(expected);
        assertThat(decodeBytewise(draft, bytes, true)).isEqualTo(expected);
    }

    @Test
    void decodesHandWrittenDraft18PropertiesAndDefaultPriority() throws WireException
    {
        // Type 0x35: PROPERTIES, explicit subgroup id, DEFAULT_PRIORITY. Alias 2, group 0, subgroup 0.
        // Object 0: properties {type 4 = 0x25 (even, varint); delta 0x49 -> type 77 (odd), length 3, "abc"} = 7 bytes.
        // Object 1: delta 0, properties length 0, payload length 0, status 0x3 End of Group.
        final byte[] props = hex("04 25 49 03 616263");
        final byte[] bytes = hex("35 02 00 00  00 07 0425490361626 3 04 61626364  00 00 00 03".replace(" ", ""));
        assertThat(decode(Draft.DRAFT_18, bytes)).containsExactly(
            "subgroup type=35 alias=2 group=0 subgroup=0 priority=-1",
            Recorder.object(0, 0, 0, -1, 0, props, 4), Recorder.end(ABCD),
            Recorder.object(0, 0, 1, -1, 3, new byte[0], 0), Recorder.end(new byte[0]),
            "fin");
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void aHeaderSplitBytewiseWithPropertiesNearTheBoundGrowsTheScratch(final Draft draft) throws WireException
    {
        // One odd-type (length-prefixed) property filling nearly all of Feed.MAX_PROPERTIES, so the object header is
        // longer than the decoder's initial 256-byte scratch and, fed byte by byte, must make it grow.
        final int valueLength = Feed.MAX_PROPERTIES - 6;
        final UnsafeBuffer props = new UnsafeBuffer(new byte[Feed.MAX_PROPERTIES]);
        int p = draft.varint().encode(props, 0, 77);
        p += draft.varint().encode(props, p, valueLength);
        for (int i = 0; i < valueLength; i++)
        {
            props.putByte(p++, (byte)('a' + i % 26));
        }
        final UnsafeBuffer stream = new UnsafeBuffer(new byte[1024]);
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        final int type = SubgroupHeaderType.of(draft, true, SubgroupHeaderType.MODE_EXPLICIT, false, false, false);
        int n = encoder.writeHeader(draft, stream, 0, type, 2, 0, 0, 0);
        n += encoder.writeObject(stream, n, 0, ObjectStatus.NORMAL, props, 0, p, 4);
        stream.putBytes(n, ABCD);
        n += 4;
        final byte[] bytes = Arrays.copyOf(stream.byteArray(), n);
        final List<String> whole = decode(draft, bytes);
        assertThat(whole).contains(Recorder.object(0, 0, 0, 0, 0, Arrays.copyOf(props.byteArray(), p), 4));
        assertThat(decodeBytewise(draft, bytes, true)).isEqualTo(whole);
    }

    @Test
    void draft14UsesQuicVarints() throws WireException
    {
        // Type 0x15 (extensions, explicit subgroup), alias 0x1234 (2-byte QUIC varint 0x5234), group 70 (0x4046),
        // subgroup 1, priority 0x80; object delta 5, extensions length 2 {type 2 = 1}, payload "x".
        final byte[] bytes = hex("15 5234 4046 01 80  05 02 0201 01 78");
        assertThat(decode(Draft.DRAFT_14, bytes)).containsExactly(
            "subgroup type=15 alias=4660 group=70 subgroup=1 priority=128",
            Recorder.object(70, 1, 5, 128, 0, hex("0201"), 1), Recorder.end("x".getBytes()),
            "fin");
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void everyValidTypeRoundTrips(final Draft draft) throws WireException
    {
        int valid = 0;
        for (int type = 0; type < 0x80; type++)
        {
            if (!SubgroupHeaderType.isValid(draft, type))
            {
                continue;
            }
            valid++;
            roundTrip(draft, type);
        }
        assertThat(valid).isEqualTo(draft.atLeast(18) ? 48 : 12);
    }

    private static void roundTrip(final Draft draft, final int type) throws WireException
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[1024]);
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        final int mode = SubgroupHeaderType.subgroupIdMode(type);
        final boolean properties = SubgroupHeaderType.hasProperties(type);
        final int priority = SubgroupHeaderType.hasPriority(type) ? 200 : -1;
        final long subgroupId = mode == SubgroupHeaderType.MODE_EXPLICIT ? 77 : mode == SubgroupHeaderType.MODE_ZERO ? 0 : 1000;
        int n = encoder.writeHeader(draft, out, 0, type, 9, 300, subgroupId, priority);
        final byte[] props = hex("0203");
        final long[] ids = {1000, 1001, 1005, 1006};
        final List<String> expected = new ArrayList<>();
        expected.add("subgroup type=" + Integer.toHexString(type) + " alias=9 group=300 subgroup=" +
            (mode == SubgroupHeaderType.MODE_FIRST_OBJECT_ID ? "?" : Long.toString(subgroupId)) + " priority=" + priority);
        for (int i = 0; i < ids.length; i++)
        {
            final boolean last = i == ids.length - 1;
            final byte[] p = properties && i == 0 ? props : new byte[0];
            final byte[] payload = last ? new byte[0] : Arrays.copyOf(ABCD, i + 1);
            final long status = last ? ObjectStatus.END_OF_GROUP : ObjectStatus.NORMAL;
            n += encoder.writeObject(out, n, ids[i], status, new UnsafeBuffer(p), 0, p.length, payload.length);
            out.putBytes(n, payload);
            n += payload.length;
            expected.add(Recorder.object(300, subgroupId, ids[i], priority, status, p, payload.length));
            expected.add(Recorder.end(payload));
        }
        expected.add("fin");
        final byte[] bytes = Arrays.copyOf(out.byteArray(), n);
        assertThat(decode(draft, bytes)).as("type 0x%x", type).isEqualTo(expected);
        assertThat(decodeBytewise(draft, bytes, true)).as("type 0x%x bytewise", type).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Draft.class)
    void everyOtherTypeIsAProtocolViolation(final Draft draft)
    {
        for (int type = 0; type < 0x80; type++)
        {
            if (type == StreamType.FETCH_HEADER_TYPE || SubgroupHeaderType.isValid(draft, type))
            {
                continue;
            }
            final UnsafeBuffer b = new UnsafeBuffer(new byte[16]);
            final int n = draft.varint().encode(b, 0, type);
            assertThat(errorOf(draft, Arrays.copyOf(b.byteArray(), n + 4), true)).as("type 0x%x", type)
                .isEqualTo(SessionError.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void reservedSubgroupIdModeIsInvalid()
    {
        for (final int type : new int[]{0x16, 0x17, 0x1E, 0x1F, 0x36, 0x37, 0x3E, 0x3F, 0x56, 0x57, 0x5E, 0x5F, 0x76, 0x77, 0x7E, 0x7F})
        {
            assertThat(SubgroupHeaderType.isValid(Draft.DRAFT_18, type)).isFalse();
            assertThat(StreamType.of(Draft.DRAFT_18, type)).isEqualTo(StreamType.UNKNOWN);
        }
        assertThat(errorOf(Draft.DRAFT_18, hex("16 01 02 03"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
        assertThat(errorOf(Draft.DRAFT_14, hex("1E 01 02 03 04"), true)).isEqualTo(SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void classifiesStreamTypes()
    {
        assertThat(StreamType.of(Draft.DRAFT_18, 0x05)).isEqualTo(StreamType.FETCH);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x05)).isEqualTo(StreamType.FETCH);
        assertThat(StreamType.of(Draft.DRAFT_18, 0x7D)).isEqualTo(StreamType.SUBGROUP);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x7D)).isEqualTo(StreamType.UNKNOWN);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x1D)).isEqualTo(StreamType.SUBGROUP);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x16)).isEqualTo(StreamType.UNKNOWN);
        assertThat(StreamType.of(Draft.DRAFT_18, 0x2F00)).isEqualTo(StreamType.SETUP);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x2F00)).isEqualTo(StreamType.UNKNOWN);
        assertThat(StreamType.of(Draft.DRAFT_18, 0x132B3E28L)).isEqualTo(StreamType.PADDING);
        assertThat(StreamType.of(Draft.DRAFT_14, 0x132B3E28L)).isEqualTo(StreamType.UNKNOWN);
        assertThat(StreamType.of(Draft.DRAFT_18, 0x80)).isEqualTo(StreamType.UNKNOWN);
        assertThat(StreamType.of(Draft.DRAFT_18, -1L)).isEqualTo(StreamType.UNKNOWN);
    }

    @Test
    void subgroupIdModeFirstObjectResolvesFromTheFirstObject() throws WireException
    {
        // Draft-18 type 0x12 (mode 01), alias 1, group 2, priority 3; first object delta 7 -> subgroup 7.
        assertThat(decode(Draft.DRAFT_18, hex("12 01 02 03  07 01 61  00 01 62"))).containsExactly(
            "subgroup type=12 alias=1 group=2 subgroup=? priority=3",
            Recorder.object(2, 7, 7, 3, 0, new byte[0], 1), Recorder.end("a".getBytes()),
            Recorder.object(2, 7, 8, 3, 0, new byte[0], 1), Recorder.end("b".getBytes()),
            "fin");
    }

    @Test
    void emptySubgroupStreamIsClean() throws WireException
    {
        assertThat(decode(Draft.DRAFT_18, hex("10 01 02 03"))).containsExactly(
            "subgroup type=10 alias=1 group=2 subgroup=0 priority=3", "fin");
    }
}
