package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.QuicVarint;
import org.agrona.ExpandableArrayBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random valid moq-lite messages and streams of every side and version, with the events a decoder must report for
 * them ({@link LiteRecorder}'s format). Used by the properties and as the fuzz seeds.
 */
final class LiteModel
{
    private static final String[] NAMES = {"", "room", "room/alice", "video", "café/🎥", "a/b/c/d/e/f/g/h", "x"};

    private LiteModel()
    {
    }

    static long varint(final Random random)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return random.nextInt(64);
            case 1:
                return random.nextInt(16_384);
            case 2:
                return random.nextInt(1 << 30);
            case 3:
                return QuicVarint.MAX_VALUE - random.nextInt(3);
            default:
                return random.nextLong() & QuicVarint.MAX_VALUE;
        }
    }

    static String name(final Random random)
    {
        if (random.nextInt(6) == 0)
        {
            final StringBuilder s = new StringBuilder();
            final int n = random.nextInt(300);
            for (int i = 0; i < n; i++)
            {
                s.append((char)('a' + random.nextInt(26)));
            }
            return s.toString();
        }
        return NAMES[random.nextInt(NAMES.length)];
    }

    static LiteMessage message(final Random random, final LiteVersion version, final LiteMessageKind kind)
    {
        switch (kind)
        {
            case ANNOUNCE_PLEASE:
                return new AnnouncePlease(name(random), version.excludeHop() ? varint(random) : 0);
            case ANNOUNCE:
            {
                final AnnounceStatus[] statuses = version.announceOk() ? AnnounceStatus.values()
                    : new AnnounceStatus[] {AnnounceStatus.ENDED, AnnounceStatus.ACTIVE};
                final int hopCount = random.nextInt(LiteLimits.MAX_HOPS + 1);
                final List<Long> hops = new ArrayList<>();
                for (int i = 0; i < hopCount; i++)
                {
                    hops.add(version.hopIds() ? varint(random) : 0L);
                }
                return new Announce(statuses[random.nextInt(statuses.length)], name(random), hops);
            }
            case ANNOUNCE_OK:
                return new AnnounceOk(varint(random), varint(random));
            case SUBSCRIBE:
                return new Subscribe(varint(random), name(random), name(random), random.nextInt(256), random.nextBoolean(),
                    varint(random), varint(random), varint(random));
            case SUBSCRIBE_UPDATE:
                return new SubscribeUpdate(random.nextInt(256), random.nextBoolean(), varint(random), varint(random),
                    varint(random));
            case SUBSCRIBE_OK:
                return new SubscribeOk(random.nextInt(256), random.nextBoolean(), varint(random), varint(random),
                    varint(random));
            case SUBSCRIBE_START:
                return new SubscribeStart(varint(random));
            case SUBSCRIBE_END:
                return new SubscribeEnd(varint(random));
            case SUBSCRIBE_DROP:
                return new SubscribeDrop(varint(random), varint(random), varint(random));
            case FETCH:
                return new Fetch(name(random), name(random), random.nextInt(256), varint(random));
            case PROBE:
                return new Probe(varint(random), version.probeRtt() ? varint(random) : 0);
            case GOAWAY:
                return new Goaway(random.nextBoolean() ? "" : "https://relay.example/" + name(random));
            case SETUP:
            {
                final List<Setup.Parameter> parameters = new ArrayList<>();
                final int n = random.nextInt(6);
                for (int i = 0; i < n; i++)
                {
                    final byte[] value = new byte[random.nextInt(20)];
                    random.nextBytes(value);
                    parameters.add(new Setup.Parameter(i * 7L + random.nextInt(7), Bytes.wrap(value)));
                }
                return new Setup(parameters);
            }
            case TRACK:
                return new TrackRequest(name(random), name(random));
            case TRACK_INFO:
                return new TrackInfo(random.nextInt(256), random.nextBoolean(), varint(random), 1 + random.nextInt(1_000_000));
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /** The kinds a side may carry at message {@code index}. */
    static LiteMessageKind[] kinds(final LiteVersion version, final LiteStreamSide side, final int index)
    {
        switch (side)
        {
            case ANNOUNCE:
                return new LiteMessageKind[] {LiteMessageKind.ANNOUNCE_PLEASE};
            case ANNOUNCE_REPLY:
                return new LiteMessageKind[] {index == 0 && version.announceOk() ? LiteMessageKind.ANNOUNCE_OK
                    : LiteMessageKind.ANNOUNCE};
            case SUBSCRIBE:
                return new LiteMessageKind[] {index == 0 ? LiteMessageKind.SUBSCRIBE : LiteMessageKind.SUBSCRIBE_UPDATE};
            case SUBSCRIBE_REPLY:
                if (version.subscribeStartEnd())
                {
                    return new LiteMessageKind[] {LiteMessageKind.SUBSCRIBE_START, LiteMessageKind.SUBSCRIBE_END,
                        LiteMessageKind.SUBSCRIBE_DROP};
                }
                return index == 0 ? new LiteMessageKind[] {LiteMessageKind.SUBSCRIBE_OK}
                    : new LiteMessageKind[] {LiteMessageKind.SUBSCRIBE_OK, LiteMessageKind.SUBSCRIBE_DROP};
            case FETCH:
                return new LiteMessageKind[] {LiteMessageKind.FETCH};
            case PROBE:
            case PROBE_REPLY:
                return new LiteMessageKind[] {LiteMessageKind.PROBE};
            case GOAWAY:
                return new LiteMessageKind[] {LiteMessageKind.GOAWAY};
            case TRACK:
                return new LiteMessageKind[] {LiteMessageKind.TRACK};
            case TRACK_REPLY:
                return new LiteMessageKind[] {LiteMessageKind.TRACK_INFO};
            case SETUP:
                return new LiteMessageKind[] {LiteMessageKind.SETUP};
            default:
                throw new IllegalStateException(side.name());
        }
    }

    static boolean single(final LiteStreamSide side)
    {
        return side == LiteStreamSide.ANNOUNCE || side == LiteStreamSide.FETCH || side == LiteStreamSide.GOAWAY ||
            side == LiteStreamSide.TRACK || side == LiteStreamSide.TRACK_REPLY || side == LiteStreamSide.SETUP;
    }

    /** A valid control stream side; its expected events are added to {@code events} (ending with "end"). */
    static byte[] controlStream(final Random random, final LiteVersion version, final LiteStreamSide side,
        final List<String> events)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (side.opener())
        {
            out.writeBytes(varintBytes(side.streamType()));
        }
        final int count = single(side) ? 1 : (side.opener() ? 1 : 0) + random.nextInt(5);
        for (int i = 0; i < count; i++)
        {
            final LiteMessageKind[] kinds = kinds(version, side, i);
            final LiteMessage message = message(random, version, kinds[random.nextInt(kinds.length)]);
            out.writeBytes(LiteCodec.of(version).encode(message));
            events.add("message " + message);
        }
        events.add("end");
        return out.toByteArray();
    }

    /** A valid Group Stream (or Fetch reply), with its events. */
    static byte[] frameStream(final Random random, final LiteVersion version, final LiteFrameDecoder.Mode mode,
        final List<String> events)
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        int position = 0;
        if (mode == LiteFrameDecoder.Mode.GROUP)
        {
            final long id = varint(random);
            final long sequence = varint(random);
            position += LiteFrameEncoder.groupStreamHeader(out, position, id, sequence);
            events.add("group " + id + " " + sequence);
        }
        final int frames = random.nextInt(6);
        long previous = 0;
        for (int i = 0; i < frames; i++)
        {
            final byte[] payload = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 20 : 2000)];
            random.nextBytes(payload);
            final long timestamp = version.frameTimestamps() ? previous + random.nextInt(100_000) - 1_000 : 0;
            position += LiteFrameEncoder.frameHeader(out, position, version, payload.length, timestamp, previous);
            out.putBytes(position, payload);
            position += payload.length;
            previous = timestamp;
            events.add("frame " + payload.length + " " + timestamp + " " + Bytes.wrap(payload).hex());
        }
        events.add("end");
        final byte[] bytes = new byte[position];
        out.getBytes(0, bytes);
        return bytes;
    }

    static byte[] varintBytes(final long value)
    {
        final ExpandableArrayBuffer b = new ExpandableArrayBuffer(8);
        final int n = QuicVarint.write(b, 0, value);
        final byte[] out = new byte[n];
        b.getBytes(0, out);
        return out;
    }
}
