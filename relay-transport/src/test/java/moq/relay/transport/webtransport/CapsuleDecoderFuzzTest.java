package moq.relay.transport.webtransport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.FuzzSeedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link CapsuleDecoder}, the CONNECT stream's capsule framing, and the WT_CLOSE_SESSION message check the
 * stream handler applies. Input: one flags byte (bits 0-1 pick the size limit: 16 bytes, 256 bytes or the default;
 * the rest seeds a random split), then the DATA bytes of the CONNECT stream. Fed whole, one byte at a time and in a
 * random split, the decoder must report exactly the capsules a plain reading of the bytes finds, stop at the first
 * one over the limit, never throw, and release every buffer it was given. Seeds: WT_CLOSE_SESSION, WT_DRAIN_SESSION
 * and capsules the session ignores.
 */
class CapsuleDecoderFuzzTest
{
    private static final int[] LIMITS = {16, 256, RelayConfiguration.WEBTRANSPORT_MAX_CAPSULE_SIZE_DEFAULT,
        RelayConfiguration.WEBTRANSPORT_MAX_CAPSULE_SIZE_DEFAULT};

    @FuzzTest(maxDuration = "10s")
    void capsules(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final int flags = input[0] & 0xFF;
        final int limit = LIMITS[flags & 3];
        final byte[] data = Arrays.copyOfRange(input, 1, input.length);
        final List<String> expected = model(data, limit);

        final int[] everyByte = new int[Math.max(0, data.length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        final Random random = new Random(flags >>> 2);
        final int[] someCuts = data.length < 2 ? new int[0] :
            random.ints(1 + random.nextInt(Math.min(16, data.length - 1)), 1, data.length).sorted().distinct().toArray();
        for (final int[] cuts : new int[][] {new int[0], everyByte, someCuts})
        {
            assertThat(decode(data, cuts, limit)).isEqualTo(expected);
        }
    }

    /** Feeds {@code data} cut after each offset in {@code cuts}; returns the events, checking buffers are released. */
    private static List<String> decode(final byte[] data, final int[] cuts, final int limit)
    {
        final List<String> events = new ArrayList<>();
        final CapsuleDecoder decoder = new CapsuleDecoder(limit, new CapsuleDecoder.Listener()
        {
            @Override
            public void capsule(final long type, final ByteBuf payload)
            {
                final byte[] bytes = new byte[payload.readableBytes()];
                payload.getBytes(payload.readerIndex(), bytes);
                events.add(capsuleEvent(type, bytes));
                if (type == Capsules.WT_CLOSE_SESSION && payload.readableBytes() >= 4)
                {
                    // As ConnectStreamHandler reads it: a message that is not UTF-8 or too long is null, never thrown.
                    Capsules.closeMessage(payload.skipBytes(4));
                }
            }

            @Override
            public void capsuleTooLarge(final long type, final long length)
            {
                events.add(tooLargeEvent(type, length));
            }
        });
        final List<ByteBuf> fed = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++)
        {
            final int to = i < cuts.length ? cuts[i] : data.length;
            // Not Unpooled.copiedBuffer: for no bytes it returns the shared EMPTY_BUFFER, which release() leaves at 1.
            final ByteBuf chunk = Unpooled.buffer(to - from).writeBytes(data, from, to - from);
            fed.add(chunk);
            decoder.feed(ByteBufAllocator.DEFAULT, chunk);
            from = to;
        }
        final boolean tooLarge = !events.isEmpty() && events.get(events.size() - 1).startsWith("too large");
        if (!tooLarge)
        {
            events.add(decoder.hasPartialCapsule() ? "partial" : "clean");
        }
        decoder.release();
        for (final ByteBuf chunk : fed)
        {
            assertThat(chunk.refCnt()).as("a fed buffer leaked").isZero();
        }
        return events;
    }

    /** A plain reading of RFC 9297 3.2 framing, independent of the decoder. */
    private static List<String> model(final byte[] data, final int limit)
    {
        final List<String> events = new ArrayList<>();
        int position = 0;
        while (true)
        {
            final long[] type = varint(data, position);
            if (type == null)
            {
                break;
            }
            final long[] length = varint(data, (int)type[1]);
            if (length == null)
            {
                break;
            }
            if (length[0] > limit)
            {
                events.add(tooLargeEvent(type[0], length[0]));
                return events;
            }
            final int start = (int)length[1];
            if (data.length - start < length[0])
            {
                break;
            }
            events.add(capsuleEvent(type[0], Arrays.copyOfRange(data, start, start + (int)length[0])));
            position = start + (int)length[0];
        }
        events.add(position < data.length ? "partial" : "clean");
        return events;
    }

    /** {value, next position}, or null when the varint at {@code position} is incomplete. */
    private static long[] varint(final byte[] data, final int position)
    {
        if (position >= data.length)
        {
            return null;
        }
        final int size = 1 << ((data[position] & 0xFF) >>> 6);
        if (data.length - position < size)
        {
            return null;
        }
        long value = data[position] & 0x3F;
        for (int i = 1; i < size; i++)
        {
            value = (value << 8) | (data[position + i] & 0xFF);
        }
        return new long[] {value, position + size};
    }

    private static String capsuleEvent(final long type, final byte[] payload)
    {
        return "capsule 0x" + Long.toHexString(type) + " " + HexFormat.of().formatHex(payload);
    }

    private static String tooLargeEvent(final long type, final long length)
    {
        return "too large 0x" + Long.toHexString(type) + " " + length;
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus()
    {
        FuzzSeedCorpus.write(getClass(), "capsules", seeds());
    }

    /** The seed corpus, by file name. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("close-session", seed(2, Capsules.closeSession(ByteBufAllocator.DEFAULT, 0x1234, "bye")));
        seeds.put("close-session-empty-message", seed(2, Capsules.closeSession(ByteBufAllocator.DEFAULT, 0, "")));
        seeds.put("close-session-utf8", seed(6, Capsules.closeSession(ByteBufAllocator.DEFAULT, 7, "fin \u00e9\u20ac")));
        seeds.put("drain-session", seed(0, Capsules.drainSession(ByteBufAllocator.DEFAULT)));
        final ByteBuf several = Unpooled.buffer();
        append(several, Capsules.drainSession(ByteBufAllocator.DEFAULT));
        WtVarint.write(several, 0x190b4d3dL); // WT_MAX_DATA of draft-16: framed, then ignored
        WtVarint.write(several, 4);
        several.writeInt(1 << 20);
        WtVarint.write(several, 0x00); // a DATAGRAM capsule: ignored
        WtVarint.write(several, 3);
        several.writeBytes("abc".getBytes(StandardCharsets.US_ASCII));
        append(several, Capsules.closeSession(ByteBufAllocator.DEFAULT, 1, "done"));
        seeds.put("drain-ignored-close", seed(1, several));
        final ByteBuf large = Unpooled.buffer();
        WtVarint.write(large, Capsules.WT_CLOSE_SESSION);
        WtVarint.write(large, 17);
        large.writeZero(17);
        seeds.put("over-16-byte-limit", seed(0, large));
        return seeds;
    }

    private static void append(final ByteBuf to, final ByteBuf capsule)
    {
        to.writeBytes(capsule);
        capsule.release();
    }

    private static byte[] seed(final int flags, final ByteBuf capsules)
    {
        final byte[] bytes = new byte[1 + capsules.readableBytes()];
        bytes[0] = (byte)flags;
        capsules.getBytes(capsules.readerIndex(), bytes, 1, capsules.readableBytes());
        capsules.release();
        return bytes;
    }
}
