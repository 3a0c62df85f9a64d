package moq.relay.wire.lite;

import com.code_intelligence.jazzer.junit.FuzzTest;
import moq.relay.wire.FuzzSeedCorpus;
import moq.relay.wire.WireException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the moq-lite decoders: {@link LiteControlStreamDecoder} on every control stream side,
 * {@link LiteFrameDecoder} on Group Streams and Fetch replies, {@link LiteDatagram}. Input: one flags byte (bits 0-1:
 * version 03, 04, 05, 05; bits 2-5: which of the 13 stream sides or the datagram, modulo 14, lite-05 where the
 * version lacks that side; bits 6-7 seed a random split), then the bytes. A stream is fed whole, byte by byte and in
 * a random split, then FIN: only WireException may escape, the outcome (messages or frames, then the error) is the
 * same for every split, the frame callback protocol holds ({@link LiteRecorder}), every byte charged to the budget
 * is given back, and the decoded messages re-encode to a stream that decodes to the same messages. A datagram's
 * fields lie inside it and its payload runs to its end. Seeds: valid streams of every side and version
 * ({@link LiteModel}) and the {@code @moq/net} 0.3.4 vectors.
 */
class LiteStreamFuzzTest
{
    private static final LiteStreamSide[] SIDES = LiteStreamSide.values();
    private static final int TARGETS = SIDES.length + 1;

    @FuzzTest(maxDuration = "10s")
    void liteStream(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final int flags = input[0] & 0xFF;
        LiteVersion version = LiteVersion.values()[Math.min(flags & 3, 2)];
        final int target = ((flags >>> 2) & 0xF) % TARGETS;
        final byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        if (target == SIDES.length)
        {
            datagram(bytes);
            return;
        }
        final LiteStreamSide side = SIDES[target];
        if (!side.existsIn(version))
        {
            version = LiteVersion.LITE_05;
        }
        final LiteCodecProperties.CountingBudget budget = new LiteCodecProperties.CountingBudget();
        final int[] cuts = LiteRecorder.randomCuts(new Random(flags >>> 6), bytes.length);
        final List<String> whole = outcome(version, side, bytes, new int[0], budget);
        assertThat(outcome(version, side, bytes, LiteRecorder.everyByte(bytes.length), budget)).isEqualTo(whole);
        assertThat(outcome(version, side, bytes, cuts, budget)).isEqualTo(whole);
        assertThat(budget.held).isZero();
        if (!side.dataPlane())
        {
            reencodes(version, side, bytes);
        }
    }

    private static List<String> outcome(final LiteVersion version, final LiteStreamSide side, final byte[] bytes,
        final int[] cuts, final LiteCodecProperties.CountingBudget budget)
    {
        if (side == LiteStreamSide.GROUP)
        {
            return LiteRecorder.frameOutcome(version, LiteFrameDecoder.Mode.GROUP, bytes, cuts, budget);
        }
        if (side == LiteStreamSide.FETCH_REPLY)
        {
            return LiteRecorder.frameOutcome(version, LiteFrameDecoder.Mode.FETCH_REPLY, bytes, cuts, budget);
        }
        return LiteRecorder.controlOutcome(version, side, bytes, cuts, budget);
    }

    /** The messages decoded, encoded again, decode to the same messages. */
    private static void reencodes(final LiteVersion version, final LiteStreamSide side, final byte[] bytes)
    {
        final List<LiteMessage> messages = LiteRecorder.controlMessages(version, side, bytes);
        if (messages.isEmpty())
        {
            return;
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (side.opener())
        {
            out.writeBytes(LiteModel.varintBytes(side.streamType()));
        }
        for (final LiteMessage message : messages)
        {
            out.writeBytes(LiteCodec.of(version).encode(message));
        }
        assertThat(LiteRecorder.controlMessages(version, side, out.toByteArray())).isEqualTo(messages);
    }

    private static void datagram(final byte[] bytes)
    {
        try
        {
            final LiteDatagram d = new LiteDatagram().decode(LiteVersion.LITE_05, new UnsafeBuffer(bytes), 0, bytes.length);
            assertThat(d.payloadOffset()).isBetween(3, bytes.length);
            assertThat(d.payloadOffset() + d.payloadLength()).isEqualTo(bytes.length);
        }
        catch (final WireException e)
        {
            // Malformed: typed, nothing else.
        }
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus() throws Exception
    {
        FuzzSeedCorpus.write(getClass(), "liteStream", seeds());
    }

    static Map<String, byte[]> seeds() throws Exception
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (final LiteVersion version : LiteVersion.values())
        {
            final Random random = new Random(version.ordinal());
            for (int target = 0; target < SIDES.length; target++)
            {
                final LiteStreamSide side = SIDES[target];
                if (!side.existsIn(version))
                {
                    continue;
                }
                for (int i = 0; i < 2; i++)
                {
                    byte[] stream;
                    do
                    {
                        stream = side == LiteStreamSide.GROUP || side == LiteStreamSide.FETCH_REPLY
                            ? LiteModel.frameStream(random, version, side == LiteStreamSide.GROUP
                                ? LiteFrameDecoder.Mode.GROUP : LiteFrameDecoder.Mode.FETCH_REPLY, new ArrayList<>())
                            : LiteModel.controlStream(random, version, side, new ArrayList<>());
                    }
                    while (stream.length > 1024);
                    seeds.put(version + "-" + side + "-" + i, flagged(version, target, stream));
                }
            }
        }
        for (final LiteMoqNetVectorsTest.Vector vector : LiteMoqNetVectorsTest.vectors())
        {
            final int target = vector.side().equals("DATAGRAM") ? SIDES.length
                : LiteStreamSide.valueOf(vector.side()).ordinal();
            seeds.put("moq-net-" + vector.version() + "-" + vector.side() + "-" + vector.name(),
                flagged(vector.version(), target, vector.bytes()));
        }
        return seeds;
    }

    private static byte[] flagged(final LiteVersion version, final int target, final byte[] stream)
    {
        final byte[] input = new byte[stream.length + 1];
        input[0] = (byte)(version.ordinal() | target << 2);
        System.arraycopy(stream, 0, input, 1, stream.length);
        return input;
    }
}
