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
 * stream's End of Timed-Out Range (0x20C).
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
