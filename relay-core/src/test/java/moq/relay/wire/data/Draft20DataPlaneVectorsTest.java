package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static moq.relay.wire.data.Feed.decode;
import static moq.relay.wire.data.Feed.errorOf;
import static moq.relay.wire.data.Feed.hex;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Draft-20 data-plane vectors written from the text (draft-ietf-moq-transport-21, draft-20's wire format). Draft-20
 * describes the OBJECT_DATAGRAM and SUBGROUP_HEADER types as Type Flags bitfields in which an unspecified bit is a
 * PROTOCOL_VIOLATION; the valid values are draft-18's (0b00X0XXXX and 0b0XX1XXXX), which these pin. New is the fetch
 * stream's End of Timed-Out Range (0x20C). Every form of §11 has a vector: OBJECT_DATAGRAM (§11.2.1), SUBGROUP_HEADER
 * and the Subgroup Object fields with Object Status and Properties (§11.3.1, §11.1.2, §11.1.3), FETCH_HEADER and the
 * Fetch Object fields under each Serialization Flag (§11.4.1.1), the three End of Range markers (§11.4.1.2), padding
 * streams and datagrams (§11.5); each stream vector decodes the same whole and byte by byte. Random splits of random
 * streams: {@link SplitInvarianceProperties}.
 */
class Draft20DataPlaneVectorsTest
{
    private static final SessionError PV = SessionError.PROTOCOL_VIOLATION;

    private static SessionError datagramError(final byte[] bytes)
    {
        try
        {
            new ObjectDatagram().decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final WireException e)
        {
            return e.error();
        }
        return null;
    }

    @Test
    void datagramTypeFlags_11_2_1() throws WireException
    {
        // Every value below 0x40 is valid unless it has bit 4 (0x10) or STATUS (0x20) with END_OF_GROUP (0x02).
        for (int type = 0; type < 0x80; type++)
        {
            final boolean valid = type < 0x40 && (type & 0x10) == 0 && (type & 0x22) != 0x22;
            assertThat(DatagramType.isValid(Draft.DRAFT_20, type)).as("0x%x", type).isEqualTo(valid);
        }
        // "Values with bit 4 (0x10) set", "a bit set whose meaning is not specified" (0x40, 0x80 as a 2-byte varint),
        // "both the STATUS bit (0x20) and END_OF_GROUP bit (0x02)": PROTOCOL_VIOLATION.
        assertThat(datagramError(hex("10 01 05 07 80 6869"))).isEqualTo(PV);
        assertThat(datagramError(hex("40 01 05 07 80 6869"))).isEqualTo(PV);
        assertThat(datagramError(hex("8080 01 05 07 80 6869"))).isEqualTo(PV);
        assertThat(datagramError(hex("22 01 05 07 80 03"))).isEqualTo(PV);
        // 0x2D: STATUS, DEFAULT_PRIORITY, ZERO_OBJECT_ID, PROPERTIES: alias 1, group 5, Properties (length 2:
        // type 2 = 3), status Normal, no payload.
        final ObjectDatagram d = new ObjectDatagram();
        final byte[] bytes = hex("2d 01 05 02 0203 00");
        assertThat(d.decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(d.objectId()).isZero();
        assertThat(d.publisherPriority()).isEqualTo(ObjectDatagram.DEFAULT_PRIORITY);
        assertThat(d.status()).isEqualTo(ObjectStatus.NORMAL);
        assertThat(d.propertiesLength()).isEqualTo(2);
        // PROPERTIES with a Properties Length of 0, and STATUS with PROPERTIES on a non-Normal status.
        assertThat(datagramError(hex("01 01 05 07 80 00 6869"))).isEqualTo(PV);
        assertThat(datagramError(hex("2d 01 05 02 0203 03"))).isEqualTo(PV);
    }

    @Test
    void subgroupHeaderTypeFlags_11_3_1() throws WireException
    {
        for (int type = 0; type < 0x100; type++)
        {
            final boolean valid = type < 0x80 && (type & 0x10) != 0 && (type & 0x06) != 0x06;
            assertThat(SubgroupHeaderType.isValid(Draft.DRAFT_20, type)).as("0x%x", type).isEqualTo(valid);
            assertThat(StreamType.of(Draft.DRAFT_20, type) == StreamType.SUBGROUP).as("0x%x", type).isEqualTo(valid);
        }
        // SUBGROUP_ID_MODE 0b11 (0x16 = bit 4 | 0x06): reserved, PROTOCOL_VIOLATION.
        assertThat(errorOf(Draft.DRAFT_20, hex("16 01 02 03 04"), true)).isEqualTo(PV);
        // 0x7D: FIRST_OBJECT, DEFAULT_PRIORITY, bit 4, END_OF_GROUP, mode 0b10, PROPERTIES: alias 1, group 2,
        // subgroup 3, no priority byte; one object (delta 0, no properties, 1 byte "a").
        assertThat(decode(Draft.DRAFT_20, hex("7d 01 02 03  00 00 01 61")))
            .first().asString().startsWith("subgroup type=7d alias=1 group=2 subgroup=3");
        // The other stream types of Table 2.
        assertThat(StreamType.of(Draft.DRAFT_20, 0x05)).isEqualTo(StreamType.FETCH);
        assertThat(StreamType.of(Draft.DRAFT_20, 0x2F00)).isEqualTo(StreamType.SETUP);
        assertThat(StreamType.of(Draft.DRAFT_20, 0x132B3E28L)).isEqualTo(StreamType.PADDING);
        assertThat(StreamType.of(Draft.DRAFT_20, 0x0F)).isEqualTo(StreamType.UNKNOWN);
    }

    @Test
    void endOfTimedOutRange_11_4_1_2() throws WireException
    {
        // FETCH_HEADER (0x05, Request ID 1); an object (flags 0x1C: Group ID, Object ID and Priority present,
        // subgroup 0; group 3, object 0, priority 0x80, payload "a"); End of Timed-Out Range 0x20C (2-byte varint
        // 0x820c) through {3, 9}; an object with flags 0x10 (priority 5 present; group and subgroup as before, Object
        // ID the range's plus one), empty.
        final byte[] stream = hex("05 01  1c 03 00 80 01 61  820c 03 09  10 05 00");
        assertThat(decode(Draft.DRAFT_20, stream)).containsSubsequence(
            Recorder.object(3, 0, 0, 0x80, ObjectStatus.NORMAL, new byte[0], 1),
            "eor g=3 o=9 timed out",
            Recorder.object(3, 0, 10, 5, ObjectStatus.NORMAL, new byte[0], 0),
            "fin");
        // Draft-18 defines 0x8C and 0x10C only: 0x20C is "any other value", a PROTOCOL_VIOLATION.
        assertThat(errorOf(Draft.DRAFT_18, stream, true)).isEqualTo(PV);
    }

    @Test
    void aFillFetchStreamAsMoqNetWritesIt_3_4_11_4_1() throws WireException
    {
        // Captured from @moq/net 0.3.4's draft-20 fill writer (FetchHeader, FetchFrame): Request ID 200 (the
        // SUBSCRIBE's), then {7, 0} with flags 0x1C (absolute ids, priority 0) "key", and two objects with flags 0x00
        // (same group, subgroup 0, priority as before, Object ID plus one): "d1" and an empty one.
        final byte[] stream = hex("05 80c8  1c 07 00 00 03 6b6579  00 02 6431  00 00");
        assertThat(decode(Draft.DRAFT_20, stream)).containsExactly(
            "fetch request=200",
            Recorder.object(7, 0, 0, 0, ObjectStatus.NORMAL, new byte[0], 3), Recorder.end(hex("6b6579")),
            Recorder.object(7, 0, 1, 0, ObjectStatus.NORMAL, new byte[0], 2), Recorder.end(hex("6431")),
            Recorder.object(7, 0, 2, 0, ObjectStatus.NORMAL, new byte[0], 0), Recorder.end(new byte[0]),
            "fin");
    }

    /** Decodes {@code stream} whole and byte by byte (with FIN) and checks both give {@code expected}. */
    private static void stream(final String stream, final String... expected) throws WireException
    {
        final byte[] bytes = hex(stream);
        assertThat(decode(Draft.DRAFT_20, bytes)).containsExactly(expected);
        assertThat(Feed.decodeBytewise(Draft.DRAFT_20, bytes, true)).containsExactly(expected);
    }

    private static String payload(final String text)
    {
        return Recorder.end(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void subgroupObjectFields_11_3_1_11_1_2() throws WireException
    {
        // Type 0x10 (bit 4 only: Subgroup ID 0, Priority present, no Properties): alias 1, group 2, priority 0x80.
        // Object ID Delta 0 (the first: Object ID 0), length 1 "a"; Delta 1 (0 + 1 + 1 = 2), length 0, Object Status
        // 0x3 End of Group (present because the length is zero).
        stream("10 01 02 80  00 01 61  01 00 03",
            "subgroup type=10 alias=1 group=2 subgroup=0 priority=128",
            Recorder.object(2, 0, 0, 128, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            Recorder.object(2, 0, 2, 128, ObjectStatus.END_OF_GROUP, new byte[0], 0), Recorder.end(new byte[0]),
            "fin");
        // SUBGROUP_ID_MODE 0b01 (type 0x12): the Subgroup ID is the first Object's ID (5).
        stream("12 01 02 80  05 01 61",
            "subgroup type=12 alias=1 group=2 subgroup=? priority=128",
            Recorder.object(2, 5, 5, 128, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            "fin");
        // Type 0x35: PROPERTIES (every Object has a Properties Length), mode 0b10 (Subgroup ID 7 present),
        // DEFAULT_PRIORITY (no Priority byte: the subscription's, reported as -1). The second object carries the
        // application Property 0x78 (even: a varint) = 3.
        stream("35 01 02 07  00 00 01 61  00 02 7803 01 62",
            "subgroup type=35 alias=1 group=2 subgroup=7 priority=-1",
            Recorder.object(2, 7, 0, -1, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            Recorder.object(2, 7, 1, -1, ObjectStatus.NORMAL, hex("7803"), 1), payload("b"),
            "fin");
        // End of Track (0x4).
        stream("10 01 02 80  03 00 04",
            "subgroup type=10 alias=1 group=2 subgroup=0 priority=128",
            Recorder.object(2, 0, 3, 128, ObjectStatus.END_OF_TRACK, new byte[0], 0), Recorder.end(new byte[0]),
            "fin");
    }

    @Test
    void subgroupObjectErrors_11_1_2_11_1_3_11_3() throws WireException
    {
        // Status 0x1 (draft-14's Does Not Exist) and 0x2: "Any other value ... PROTOCOL_VIOLATION".
        assertThat(errorOf(Draft.DRAFT_20, hex("10 01 02 80  00 00 01"), true)).isEqualTo(PV);
        assertThat(errorOf(Draft.DRAFT_20, hex("10 01 02 80  00 00 02"), true)).isEqualTo(PV);
        // Properties on an Object whose status is not Normal (§11.1.3).
        assertThat(errorOf(Draft.DRAFT_20, hex("11 01 02 80  00 02 7803 00 03"), true)).isEqualTo(PV);
        // An Object ID past 2^64 - 1: 2^64 - 1 (9-byte varint), then Delta 0 (§11.3.1).
        assertThat(errorOf(Draft.DRAFT_20, hex("10 01 02 80  ff ffffffffffffffff 01 61  00 01 62"), true))
            .isEqualTo(PV);
        // A FIN inside an Object (§11.3: "ends gracefully ... in the middle of a serialized Object").
        assertThat(errorOf(Draft.DRAFT_20, hex("10 01 02 80  00 05 61"), true)).isEqualTo(PV);
        // An Object after End of Group on the same stream (§11.3.2: "further objects ... a protocol violation").
        assertThat(errorOf(Draft.DRAFT_20, hex("10 01 02 80  00 00 03  00 01 61"), true)).isEqualTo(PV);
    }

    @Test
    void fetchObjectSerializationFlags_11_4_1_1() throws WireException
    {
        // FETCH_HEADER, Request ID 1. Each object: flags, then what they say is present.
        stream("05 01" +
                // 0x1F: Group ID Delta 5, Subgroup ID 3, Object ID Delta 0 (the first object: absolute), Priority 0x80.
                "  1f 05 03 00 80 01 61" +
                // 0x01: the prior Subgroup ID; Object ID prior + 1; same Group and Priority.
                "  01 01 62" +
                // 0x02: the prior Subgroup ID plus one.
                "  02 01 63" +
                // 0x0C: Group ID Delta 0 (5 + 0 + 1, ascending), Object ID Delta 3 (absolute with a Group ID Delta),
                // Subgroup ID zero.
                "  0c 00 03 01 64" +
                // 0x50: Datagram (no Subgroup ID), Priority 7; Object ID prior + 1.
                "  50 07 01 65" +
                // 0x24: Object ID Delta 2 (prior + 2 without a Group ID Delta), Properties (length 2: 0x78 = 3).
                "  24 02 02 7803 01 66",
            "fetch request=1",
            Recorder.object(5, 3, 0, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            Recorder.object(5, 3, 1, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("b"),
            Recorder.object(5, 4, 2, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("c"),
            Recorder.object(6, 0, 3, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("d"),
            Recorder.object(6, -1, 4, 7, ObjectStatus.NORMAL, new byte[0], 1), payload("e"),
            Recorder.object(6, 0, 6, 7, ObjectStatus.NORMAL, hex("7803"), 1), payload("f"),
            "fin");
        // Descending: "the prior Object's Group ID minus the (Group ID Delta + 1)"; without an Object ID Delta, the
        // Object ID is the prior's plus one "regardless of which group it belongs to".
        final byte[] descending = hex("05 01  1c 05 00 80 01 61  08 00 01 62");
        assertThat(Feed.decode(Draft.DRAFT_20, descending, new int[0], true, true)).containsExactly(
            "fetch request=1",
            Recorder.object(5, 0, 0, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            Recorder.object(4, 0, 1, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("b"),
            "fin");
        // Descending below group 0: PROTOCOL_VIOLATION.
        final byte[] belowZero = hex("05 01  1c 00 00 80 01 61  08 00 01 62");
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Feed.decode(Draft.DRAFT_20, belowZero, new int[0], true, true))
            .isInstanceOfSatisfying(WireException.class, e -> assertThat(e.error()).isEqualTo(PV));
    }

    @Test
    void fetchObjectErrors_11_4_1() throws WireException
    {
        // The first Object "MUST include a Group ID Delta and Object ID Delta": 0x14 has no Group ID Delta, 0x01
        // refers to a prior Object.
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  14 00 80 01 61"), true)).isEqualTo(PV);
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  01 01 61"), true)).isEqualTo(PV);
        // Values of 128 and up other than Table 7's: 0x80, 0x8D.
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  8080 05 07 80 01 61"), true)).isEqualTo(PV);
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  808d 05 07"), true)).isEqualTo(PV);
    }

    @Test
    void endOfNonExistentAndUnknownRange_11_4_1_2() throws WireException
    {
        // {3, 0}; End of Non-Existent Range (0x8C, 2-byte 0x808c) through {3, 5}; End of Unknown Range (0x10C, 0x810c)
        // through {4, 2}; then flags 0x00: Group and Object from the last End of Range ({4, 2 + 1}), Priority from the
        // last actual Object (0x80), Subgroup ID zero.
        stream("05 01  1c 03 00 80 01 61  808c 03 05  810c 04 02  00 01 62",
            "fetch request=1",
            Recorder.object(3, 0, 0, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            "eor g=3 o=5 unknown=false",
            "eor g=4 o=2 unknown=true",
            Recorder.object(4, 0, 3, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("b"),
            "fin");
        // An End of Range first: the next Object's prior Location is the range's end; with its own Priority (0x10) and
        // Subgroup ID zero it needs no prior Object.
        stream("05 01  808c 03 05  10 80 01 61",
            "fetch request=1",
            "eor g=3 o=5 unknown=false",
            Recorder.object(3, 0, 6, 0x80, ObjectStatus.NORMAL, new byte[0], 1), payload("a"),
            "fin");
        // "If there was no prior Object, using a flag that references the prior Priority (or Subgroup ID) is a
        // PROTOCOL_VIOLATION."
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  808c 03 05  00 01 61"), true)).isEqualTo(PV);
        assertThat(errorOf(Draft.DRAFT_20, hex("05 01  808c 03 05  11 80 01 61"), true)).isEqualTo(PV);
    }

    @Test
    void objectDatagrams_11_2_1_and_paddingDatagrams_11_5_2() throws WireException
    {
        // 0x00: Object ID 7 and Priority 0x80 present, a payload ("hi") to the end of the datagram.
        final ObjectDatagram d = new ObjectDatagram();
        byte[] bytes = hex("00 01 05 07 80 6869");
        assertThat(d.decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(List.of(d.trackAlias(), d.groupId(), d.objectId())).containsExactly(1L, 5L, 7L);
        assertThat(d.publisherPriority()).isEqualTo(0x80);
        assertThat(d.hasStatus()).isFalse();
        assertThat(d.endOfGroup()).isFalse();
        assertThat(d.payloadLength()).isEqualTo(2);
        // 0x0E: END_OF_GROUP, ZERO_OBJECT_ID, DEFAULT_PRIORITY: alias 1, group 5, payload "hi".
        bytes = hex("0e 01 05 6869");
        assertThat(d.decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(d.objectId()).isZero();
        assertThat(d.endOfGroup()).isTrue();
        assertThat(d.publisherPriority()).isEqualTo(ObjectDatagram.DEFAULT_PRIORITY);
        assertThat(d.payloadLength()).isEqualTo(2);
        // 0x24: STATUS, ZERO_OBJECT_ID: priority 0x80, Object Status End of Group, no payload.
        bytes = hex("24 01 05 80 03");
        assertThat(d.decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
        assertThat(d.hasStatus()).isTrue();
        assertThat(d.status()).isEqualTo(ObjectStatus.END_OF_GROUP);
        assertThat(d.payloadLength()).isZero();
        // A padding datagram (type 0x132B3E29, 5-byte varint 0xf0132b3e29): discarded, not an object.
        bytes = hex("f0132b3e29 0000");
        assertThat(d.decode(Draft.DRAFT_20, new UnsafeBuffer(bytes), 0, bytes.length)).isFalse();
        // A padding stream (0x132B3E28, §11.5.1).
        assertThat(StreamType.of(Draft.DRAFT_20, 0x132B3E28L)).isEqualTo(StreamType.PADDING);
    }

    @Test
    void endOfTimedOutRangeReachesAnOlderHandlerAsUnknown() throws WireException
    {
        final List<String> seen = new ArrayList<>();
        final DataStreamHandler handler = new DataStreamHandler()
        {
            @Override
            public void onSubgroupHeader(final SubgroupHeader header)
            {
            }

            @Override
            public boolean onFetchHeader(final long requestId)
            {
                return false;
            }

            @Override
            public void onObjectHeader(final ObjectHeader header)
            {
            }

            @Override
            public void onPayload(final DirectBuffer buffer, final int offset, final int length)
            {
            }

            @Override
            public void onObjectEnd()
            {
            }

            @Override
            public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
            {
                seen.add(groupId + "/" + objectId + " unknown=" + unknown);
            }

            @Override
            public void onStreamEnd()
            {
            }
        };
        final byte[] stream = hex("05 01  820c 03 09");
        final DataStreamDecoder decoder = new DataStreamDecoder(Draft.DRAFT_20, handler, Feed.MAX_PROPERTIES);
        decoder.onData(new UnsafeBuffer(stream), 0, stream.length);
        decoder.onFin();
        assertThat(seen).containsExactly("3/9 unknown=true");
    }

    @Test
    void encoderWritesEndOfTimedOutRangeOnlyOnDraft20()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[32]);
        final FetchStreamEncoder encoder = new FetchStreamEncoder(Draft.DRAFT_20);
        int n = encoder.writeHeader(Draft.DRAFT_20, out, 0, 1, false);
        n += encoder.writeEndOfTimedOutRange(out, n, 3, 9);
        assertThat(java.util.HexFormat.of().formatHex(out.byteArray(), 0, n)).isEqualTo("0501820c0309");
        final FetchStreamEncoder draft18 = new FetchStreamEncoder(Draft.DRAFT_18);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> draft18.writeEndOfTimedOutRange(out, 0, 3, 9))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
