package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random streams of random objects, encoded with the encoders, then fed to the decoder in random splits
 * (including 1-byte chunks): the callbacks must match the model and each other. Random and mutated input
 * must never raise anything but WireException, and the outcome must not depend on the split either.
 */
class SplitInvarianceProperties
{
    /** The outcome of feeding a stream: events, then the error code if any. */
    static List<String> outcome(final Draft draft, final byte[] bytes, final int[] cuts, final boolean descending)
    {
        final Recorder recorder = new Recorder();
        recorder.descending = descending;
        final DataStreamDecoder decoder = new DataStreamDecoder(draft, recorder, Feed.MAX_PROPERTIES);
        try
        {
            int from = 0;
            for (int i = 0; i <= cuts.length; i++)
            {
                final int to = i < cuts.length ? cuts[i] : bytes.length;
                final byte[] chunk = Arrays.copyOfRange(bytes, from, to);
                decoder.onData(new UnsafeBuffer(chunk), 0, chunk.length);
                from = to;
            }
            decoder.onFin();
        }
        catch (final WireException ex)
        {
            recorder.events.add("error " + ex.error());
        }
        return recorder.events;
    }

    static int[] randomCuts(final Random random, final int length)
    {
        final int mode = random.nextInt(4);
        if (mode == 0 || length < 2)
        {
            // Every byte on its own.
            final int[] cuts = new int[Math.max(0, length - 1)];
            Arrays.setAll(cuts, i -> i + 1);
            return cuts;
        }
        final int count = mode == 1 ? 1 : 1 + random.nextInt(Math.min(length - 1, mode == 2 ? 8 : 64));
        return random.ints(count, 1, length).sorted().distinct().toArray();
    }

    @Property(tries = 400)
    void randomStreamsDecodeTheSameInAnySplit(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final Draft draft = Draft.values()[random.nextInt(Draft.values().length)];
        final boolean descending = random.nextBoolean();
        final List<String> expected = new ArrayList<>();
        final byte[] bytes = random.nextInt(3) == 0 ?
            StreamModel.fetch(random, draft, descending, expected) : StreamModel.subgroup(random, draft, expected);
        final List<String> whole = outcome(draft, bytes, new int[0], descending);
        assertThat(whole).isEqualTo(expected);
        for (int i = 0; i < 4; i++)
        {
            assertThat(outcome(draft, bytes, randomCuts(random, bytes.length), descending)).isEqualTo(whole);
        }
    }

    @Property(tries = 400)
    void garbageOnlyEverRaisesWireException(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final Draft draft = Draft.values()[random.nextInt(Draft.values().length)];
        final byte[] bytes;
        if (random.nextBoolean())
        {
            // Mutate a valid stream: flip, drop or insert bytes.
            final byte[] valid = random.nextBoolean() ? StreamModel.subgroup(random, draft, new ArrayList<>()) :
                StreamModel.fetch(random, draft, false, new ArrayList<>());
            bytes = mutate(random, valid);
        }
        else
        {
            bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean())
            {
                bytes[0] = (byte)(random.nextBoolean() ? 0x05 : 0x10 + random.nextInt(0x70));
            }
        }
        // outcome() catches only WireException: anything else fails the property.
        final List<String> whole = outcome(draft, bytes, new int[0], false);
        assertThat(outcome(draft, bytes, randomCuts(random, bytes.length), false)).isEqualTo(whole);

        final ObjectDatagram datagram = new ObjectDatagram();
        try
        {
            datagram.decode(draft, new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final WireException ignored)
        {
            // expected for most garbage
        }
    }

    private static byte[] mutate(final Random random, final byte[] valid)
    {
        final byte[] bytes = valid.clone();
        if (bytes.length == 0)
        {
            return bytes;
        }
        final int kind = random.nextInt(3);
        if (kind == 0)
        {
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
            {
                bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
            }
            return bytes;
        }
        final int at = random.nextInt(bytes.length);
        if (kind == 1)
        {
            final byte[] shorter = new byte[bytes.length - 1];
            System.arraycopy(bytes, 0, shorter, 0, at);
            System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
            return shorter;
        }
        final byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, at);
        longer[at] = (byte)random.nextInt(256);
        System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
        return longer;
    }

    /** Builds random valid streams with the encoders, and the events a decoder must report for them. */
    static final class StreamModel
    {
        private StreamModel()
        {
        }

        static long id(final Random random, final Draft draft)
        {
            switch (random.nextInt(4))
            {
                case 0:
                    return random.nextInt(64);
                case 1:
                    return random.nextInt(1 << 14);
                case 2:
                    return random.nextLong() & 0xFFFF_FFFFL;
                default:
                    return draft.atLeast(18) ? random.nextLong() >>> 4 : random.nextLong() & (QuicVarint.MAX_VALUE >>> 4);
            }
        }

        static byte[] properties(final Random random, final Draft draft)
        {
            final UnsafeBuffer b = new UnsafeBuffer(new byte[Feed.MAX_PROPERTIES]);
            int n = 0;
            long type = 0;
            for (int i = 0, count = random.nextInt(4); i < count; i++)
            {
                final long next = type + random.nextInt(20);
                n += draft.varint().encode(b, n, draft.atLeast(18) ? next - type : next);
                type = next;
                if ((type & 1) == 1)
                {
                    final int length = random.nextInt(20);
                    n += draft.varint().encode(b, n, length);
                    for (int j = 0; j < length; j++)
                    {
                        b.putByte(n++, (byte)random.nextInt(256));
                    }
                }
                else
                {
                    n += draft.varint().encode(b, n, id(random, draft));
                }
            }
            return Arrays.copyOf(b.byteArray(), n);
        }

        static byte[] payload(final Random random)
        {
            final int kind = random.nextInt(5);
            final byte[] payload = new byte[kind == 0 ? 0 : kind == 4 ? random.nextInt(3000) : random.nextInt(40)];
            random.nextBytes(payload);
            return payload;
        }

        static byte[] subgroup(final Random random, final Draft draft, final List<String> expected)
        {
            int type;
            do
            {
                type = 0x10 + random.nextInt(0x70);
            }
            while (!SubgroupHeaderType.isValid(draft, type));
            final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
            final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
            final long alias = id(random, draft);
            final long group = id(random, draft);
            final int mode = SubgroupHeaderType.subgroupIdMode(type);
            final int priority = SubgroupHeaderType.hasPriority(type) ? random.nextInt(256) : -1;
            long nextId = id(random, draft) >>> 8;
            long subgroup = mode == SubgroupHeaderType.MODE_EXPLICIT ? id(random, draft) :
                mode == SubgroupHeaderType.MODE_ZERO ? 0 : nextId;
            int n = encoder.writeHeader(draft, out, 0, type, alias, group, subgroup, priority);
            expected.add("subgroup type=" + Integer.toHexString(type) + " alias=" + Long.toUnsignedString(alias) +
                " group=" + Long.toUnsignedString(group) +
                " subgroup=" + (mode == SubgroupHeaderType.MODE_FIRST_OBJECT_ID ? "?" : Long.toUnsignedString(subgroup)) +
                " priority=" + priority);
            final int objects = random.nextInt(10);
            for (int i = 0; i < objects; i++)
            {
                final long objectId = nextId;
                nextId = objectId + 1 + (random.nextBoolean() ? 0 : random.nextInt(1000));
                final byte[] payload = payload(random);
                long status = ObjectStatus.NORMAL;
                if (payload.length == 0)
                {
                    final long[] statuses = draft.atLeast(18) ? new long[]{0, 3, 4} : new long[]{0, 1, 3, 4};
                    status = statuses[random.nextInt(statuses.length)];
                    if (ObjectStatus.endsStream(status) && i != objects - 1)
                    {
                        status = ObjectStatus.NORMAL;
                    }
                }
                final boolean propsAllowed = SubgroupHeaderType.hasProperties(type) &&
                    (draft.atLeast(18) ? status == ObjectStatus.NORMAL : status != ObjectStatus.DOES_NOT_EXIST);
                final byte[] props = propsAllowed && random.nextBoolean() ? properties(random, draft) : new byte[0];
                n += encoder.writeObject(out, n, objectId, status, new UnsafeBuffer(props), 0, props.length, payload.length);
                out.putBytes(n, payload);
                n += payload.length;
                expected.add(Recorder.object(group, subgroup, objectId, priority, status, props, payload.length));
                expected.add(Recorder.end(payload));
            }
            expected.add("fin");
            return Arrays.copyOf(out.byteArray(), n);
        }

        static byte[] fetch(final Random random, final Draft draft, final boolean descending, final List<String> expected)
        {
            final UnsafeBuffer out = new UnsafeBuffer(new byte[64 * 1024]);
            final FetchStreamEncoder encoder = new FetchStreamEncoder(draft);
            final long request = id(random, draft);
            int n = encoder.writeHeader(draft, out, 0, request, descending);
            expected.add("fetch request=" + request);
            long group = descending ? 1_000_000 + random.nextInt(1000) : random.nextInt(1000);
            long object = random.nextInt(100);
            long subgroup = 0;
            int priority = random.nextInt(256);
            for (int i = 0, count = random.nextInt(10); i < count; i++)
            {
                switch (random.nextInt(6))
                {
                    case 0:
                        group += (descending ? -1 : 1) * (1 + random.nextInt(random.nextBoolean() ? 3 : 500));
                        object = random.nextInt(3) == 0 ? object + 1 : random.nextInt(100);
                        break;
                    case 1:
                        object += random.nextInt(50);
                        break;
                    default:
                        object += 1;
                }
                switch (random.nextInt(5))
                {
                    case 0:
                        subgroup = 0;
                        break;
                    case 1:
                        subgroup += 1;
                        break;
                    case 2:
                        subgroup = random.nextInt(1000);
                        break;
                    default:
                        break;
                }
                if (random.nextInt(4) == 0)
                {
                    priority = random.nextInt(256);
                }
                if (draft.atLeast(20) && random.nextInt(12) == 0)
                {
                    n += encoder.writeEndOfTimedOutRange(out, n, group, object);
                    expected.add("eor g=" + group + " o=" + object + " timed out");
                    continue;
                }
                if (draft.atLeast(18) && random.nextInt(6) == 0)
                {
                    final boolean unknown = random.nextBoolean();
                    n += encoder.writeEndOfRange(out, n, group, object, unknown);
                    expected.add("eor g=" + group + " o=" + object + " unknown=" + unknown);
                    continue;
                }
                final boolean datagram = random.nextInt(5) == 0;
                final byte[] payload = payload(random);
                long status = ObjectStatus.NORMAL;
                if (draft == Draft.DRAFT_14 && payload.length == 0)
                {
                    status = new long[]{0, 1, 3, 4}[random.nextInt(4)];
                }
                final byte[] props = status != ObjectStatus.DOES_NOT_EXIST && random.nextBoolean() ?
                    properties(random, draft) : new byte[0];
                n += encoder.writeObject(out, n, group, subgroup, datagram, object, priority, status,
                    new UnsafeBuffer(props), 0, props.length, payload.length);
                out.putBytes(n, payload);
                n += payload.length;
                final long reportedSubgroup = datagram ? (draft.atLeast(18) ? -1 : object) : subgroup;
                expected.add(Recorder.object(group, reportedSubgroup, object, priority, status, props, payload.length));
                expected.add(Recorder.end(payload));
            }
            expected.add("fin");
            return Arrays.copyOf(out.byteArray(), n);
        }
    }
}
