package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.data.BufferBudget;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte layouts written by hand from the moq-lite-03 text ({@code draft-lcurley-moq-lite-03}), each citing the section
 * whose figure it follows: decoded, they give the message; encoded, the message gives them. Varints are QUIC's
 * (a 1-byte varint is the value itself, {@code 40 64} is 100, {@code 80 0f 42 40} is 1,000,000).
 */
class LiteTextVectorsTest
{
    private static final LiteVersion V03 = LiteVersion.LITE_03;

    private static void assertStream(final LiteStreamSide side, final String hex, final LiteMessage... messages)
    {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        if (side.opener())
        {
            encoded.writeBytes(LiteModel.varintBytes(side.streamType()));
        }
        for (final LiteMessage m : messages)
        {
            events.add("message " + m);
            encoded.writeBytes(LiteCodec.of(V03).encode(m));
        }
        events.add("end");
        final byte[] bytes = Bytes.fromHex(hex.replace(" ", "")).array();
        assertThat(LiteRecorder.controlOutcome(V03, side, bytes, new int[0], BufferBudget.UNBOUNDED)).isEqualTo(events);
        assertThat(Bytes.wrap(encoded.toByteArray()).hex()).isEqualTo(hex.replace(" ", ""));
    }

    @Test
    void announcePlease()
    {
        // §"STREAM_TYPE" 0x1 (§"Bidirectional Streams": Announce), §"ANNOUNCE_PLEASE" {Message Length, Prefix (s)}.
        assertStream(LiteStreamSide.ANNOUNCE, "01 05 04 726f6f6d", new AnnouncePlease("room"));
    }

    @Test
    void announceActiveThenEnded()
    {
        // §"ANNOUNCE" {Message Length, Announce Status (i), Broadcast Path Suffix (s), Hops (i)}: active (1) with 2
        // hops, then ended (0) with none; the reply side carries no STREAM_TYPE (the subscriber opened the stream).
        assertStream(LiteStreamSide.ANNOUNCE_REPLY, "08 01 05 616c696365 02  08 00 05 616c696365 00",
            Announce.of(AnnounceStatus.ACTIVE, "alice", 2), Announce.of(AnnounceStatus.ENDED, "alice", 0));
    }

    @Test
    void subscribeThenUpdate()
    {
        // §"SUBSCRIBE" {Message Length, Subscribe ID, Broadcast Path (s), Track Name (s), Subscriber Priority (8),
        // Subscriber Ordered (8), Subscriber Max Latency (i), Start Group (i), End Group (i)}: id 7, priority 2,
        // ordered (0x1), 100 ms, latest (0), unbounded (0). §"SUBSCRIBE_UPDATE": priority 4, not ordered, no max
        // latency, groups 10 to 20 (sent + 1: 0x0b, 0x15).
        assertStream(LiteStreamSide.SUBSCRIBE,
            "02 18 07 0a 726f6f6d2f616c696365 05 766964656f 02 01 4064 00 00  05 04 00 00 0b 15",
            new Subscribe(7, "room/alice", "video", 2, true, 100, LiteGroups.NONE, LiteGroups.NONE),
            new SubscribeUpdate(4, false, 0, LiteGroups.toWire(10), LiteGroups.toWire(20)));
    }

    @Test
    void subscribeOkThenDrop()
    {
        // §"SUBSCRIBE_OK" {Type (i) = 0x0, Message Length, Publisher Priority (8), Publisher Ordered (8), Publisher
        // Max Latency (i), Start Group (i), End Group (i)}: resolved start group 41 (sent as 42), unbounded.
        // §"SUBSCRIBE_DROP" {Type (i) = 0x1, Message Length, Start Group, End Group, Error Code}: 5 to 6, code 0.
        assertStream(LiteStreamSide.SUBSCRIBE_REPLY, "00 06 03 00 41f4 2a 00  01 03 05 06 00",
            new SubscribeOk(3, false, 500, LiteGroups.toWire(41), LiteGroups.NONE), new SubscribeDrop(5, 6, 0));
    }

    @Test
    void fetch()
    {
        // §"FETCH" {Message Length, Broadcast Path (s), Track Name (s), Subscriber Priority (8), Group Sequence (i)}.
        assertStream(LiteStreamSide.FETCH, "03 13 0a 726f6f6d2f616c696365 05 766964656f 01 2a",
            new Fetch("room/alice", "video", 1, 42));
    }

    @Test
    void probeBothWays()
    {
        // §"PROBE" {Message Length, Bitrate (i)}: the opener's target, then (reply side) two measurements.
        assertStream(LiteStreamSide.PROBE, "04 04 800f4240", new Probe(1_000_000));
        assertStream(LiteStreamSide.PROBE_REPLY, "04 802625a0 01 00", new Probe(2_500_000), new Probe(0));
    }

    @Test
    void groupStreamWithFrames()
    {
        // §"Unidirectional Streams" Group 0x0, §"GROUP" {Message Length, Subscribe ID (i), Group Sequence (i)},
        // §"FRAME" {Message Length, Payload (b)}: "abc", then an empty frame (§"Group": a frame MAY be empty).
        final byte[] bytes = Bytes.fromHex("00 02 07 05 03 616263 00".replace(" ", "")).array();
        assertThat(LiteRecorder.frameOutcome(V03, LiteFrameDecoder.Mode.GROUP, bytes, new int[0], BufferBudget.UNBOUNDED))
            .containsExactly("group 7 5", "frame 3 0 616263", "frame 0 0 ", "end");
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16);
        int n = LiteFrameEncoder.groupStreamHeader(out, 0, 7, 5);
        n += LiteFrameEncoder.frameHeader(out, n, V03, 3, 0, 0);
        out.putBytes(n, new byte[] {0x61, 0x62, 0x63});
        n += 3;
        n += LiteFrameEncoder.frameHeader(out, n, V03, 0, 0, 0);
        final byte[] encoded = new byte[n];
        out.getBytes(0, encoded);
        assertThat(encoded).isEqualTo(bytes);
    }

    @Test
    void fetchReplyIsBareFrames()
    {
        // §"Fetch": "the publisher responds with FRAME messages directly ... there is no preceding GROUP header".
        final byte[] bytes = Bytes.fromHex("0361626302 6465".replace(" ", "")).array();
        assertThat(LiteRecorder.frameOutcome(V03, LiteFrameDecoder.Mode.FETCH_REPLY, bytes, new int[0],
            BufferBudget.UNBOUNDED)).containsExactly("frame 3 0 616263", "frame 2 0 6465", "end");
    }
}
