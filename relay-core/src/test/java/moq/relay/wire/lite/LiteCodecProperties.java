package moq.relay.wire.lite;

import moq.relay.wire.data.BufferBudget;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Round trip and split invariance of every moq-lite stream side and version: random valid streams, encoded with the
 * codec and encoders, decode to exactly the model's messages and frames whether fed whole, byte by byte or in a
 * random split; random mutations of them give the same outcome (events then error) for every split and raise
 * nothing but WireException; every byte a decoder charged to its budget is given back.
 */
class LiteCodecProperties
{
    private static final LiteStreamSide[] CONTROL_SIDES = java.util.Arrays.stream(LiteStreamSide.values())
        .filter(s -> !s.dataPlane()).toArray(LiteStreamSide[]::new);

    /** Counts what is charged; never refuses. */
    static final class CountingBudget implements BufferBudget
    {
        long held;

        @Override
        public boolean reserve(final int bytes)
        {
            held += bytes;
            return true;
        }

        @Override
        public void release(final int bytes)
        {
            held -= bytes;
        }
    }

    private static LiteVersion version(final Random random)
    {
        return LiteVersion.values()[random.nextInt(LiteVersion.values().length)];
    }

    private static LiteStreamSide controlSide(final Random random, final LiteVersion version)
    {
        LiteStreamSide side;
        do
        {
            side = CONTROL_SIDES[random.nextInt(CONTROL_SIDES.length)];
        }
        while (!side.existsIn(version));
        return side;
    }

    @Property(tries = 400)
    void controlStreamsRoundTripInEverySplit(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final LiteVersion version = version(random);
        final LiteStreamSide side = controlSide(random, version);
        final List<String> expected = new ArrayList<>();
        final byte[] bytes = LiteModel.controlStream(random, version, side, expected);
        final CountingBudget budget = new CountingBudget();

        assertThat(LiteRecorder.controlOutcome(version, side, bytes, new int[0], budget)).isEqualTo(expected);
        assertThat(LiteRecorder.controlOutcome(version, side, bytes, LiteRecorder.everyByte(bytes.length), budget))
            .isEqualTo(expected);
        assertThat(LiteRecorder.controlOutcome(version, side, bytes, LiteRecorder.randomCuts(random, bytes.length),
            budget)).isEqualTo(expected);
        assertThat(budget.held).isZero();
    }

    @Property(tries = 400)
    void frameStreamsRoundTripInEverySplit(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final LiteVersion version = version(random);
        final LiteFrameDecoder.Mode mode = random.nextBoolean() ? LiteFrameDecoder.Mode.GROUP
            : LiteFrameDecoder.Mode.FETCH_REPLY;
        final List<String> expected = new ArrayList<>();
        final byte[] bytes = LiteModel.frameStream(random, version, mode, expected);
        final CountingBudget budget = new CountingBudget();

        assertThat(LiteRecorder.frameOutcome(version, mode, bytes, new int[0], budget)).isEqualTo(expected);
        assertThat(LiteRecorder.frameOutcome(version, mode, bytes, LiteRecorder.everyByte(bytes.length), budget))
            .isEqualTo(expected);
        assertThat(LiteRecorder.frameOutcome(version, mode, bytes, LiteRecorder.randomCuts(random, bytes.length), budget))
            .isEqualTo(expected);
        assertThat(budget.held).isZero();
    }

    @Property(tries = 600)
    void mutatedStreamsFailTheSameWayInEverySplit(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final LiteVersion version = version(random);
        final boolean data = random.nextInt(3) == 0;
        final LiteStreamSide side = data ? null : controlSide(random, version);
        final LiteFrameDecoder.Mode mode = random.nextBoolean() ? LiteFrameDecoder.Mode.GROUP
            : LiteFrameDecoder.Mode.FETCH_REPLY;
        final byte[] bytes = mutate(random, data ? LiteModel.frameStream(random, version, mode, new ArrayList<>())
            : LiteModel.controlStream(random, version, side, new ArrayList<>()));
        final CountingBudget budget = new CountingBudget();

        final List<String> whole = data ? LiteRecorder.frameOutcome(version, mode, bytes, new int[0], budget)
            : LiteRecorder.controlOutcome(version, side, bytes, new int[0], budget);
        final int[] cuts = LiteRecorder.randomCuts(random, bytes.length);
        final List<String> split = data ? LiteRecorder.frameOutcome(version, mode, bytes, cuts, budget)
            : LiteRecorder.controlOutcome(version, side, bytes, cuts, budget);
        final int[] every = LiteRecorder.everyByte(bytes.length);
        final List<String> bytewise = data ? LiteRecorder.frameOutcome(version, mode, bytes, every, budget)
            : LiteRecorder.controlOutcome(version, side, bytes, every, budget);
        assertThat(split).isEqualTo(whole);
        assertThat(bytewise).isEqualTo(whole);
        assertThat(budget.held).isZero();
    }

    static byte[] mutate(final Random random, final byte[] bytes)
    {
        if (bytes.length == 0)
        {
            return new byte[] {(byte)random.nextInt(256)};
        }
        final byte[] out;
        switch (random.nextInt(4))
        {
            case 0:
                out = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
                break;
            case 1:
                out = bytes.clone();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
                {
                    out[random.nextInt(out.length)] = (byte)random.nextInt(256);
                }
                break;
            case 2:
            {
                out = java.util.Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(8));
                for (int i = bytes.length; i < out.length; i++)
                {
                    out[i] = (byte)random.nextInt(256);
                }
                break;
            }
            default:
                out = bytes.clone();
                out[random.nextInt(out.length)] ^= (byte)(1 << random.nextInt(8));
                break;
        }
        return out;
    }
}
