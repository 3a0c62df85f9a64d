package moq.relay.wire.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import moq.relay.wire.Draft;
import moq.relay.wire.FuzzSeedCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes {@link DataStreamDecoder} with subgroup and fetch streams of every draft. Input: one flags byte (bit 0:
 * draft-14; else bit 2: draft-20, else draft-18; bit 1: the fetch is descending; the rest seeds a random split), then
 * the stream's bytes. The stream is fed whole, one byte at a time and in a random split, then FIN: only a WireException may escape
 * (anything else fails {@link SplitInvarianceProperties#outcome}), and the callbacks and error must be the same for
 * every split. Seeds: valid streams of every shape from {@link SplitInvarianceProperties.StreamModel}.
 */
class DataStreamFuzzTest
{
    @FuzzTest(maxDuration = "10s")
    void dataStream(final byte[] input)
    {
        if (input.length == 0)
        {
            return;
        }
        final int flags = input[0] & 0xFF;
        final Draft draft = (flags & 1) != 0 ? Draft.DRAFT_14 : (flags & 4) != 0 ? Draft.DRAFT_20 : Draft.DRAFT_18;
        final boolean descending = (flags & 2) != 0;
        final byte[] stream = Arrays.copyOfRange(input, 1, input.length);

        final List<String> whole = SplitInvarianceProperties.outcome(draft, stream, new int[0], descending);
        final int[] everyByte = new int[Math.max(0, stream.length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        assertThat(SplitInvarianceProperties.outcome(draft, stream, everyByte, descending)).isEqualTo(whole);
        final int[] cuts = SplitInvarianceProperties.randomCuts(new Random(flags >>> 3), stream.length);
        assertThat(SplitInvarianceProperties.outcome(draft, stream, cuts, descending)).isEqualTo(whole);
    }

    /** Regenerates the committed seed corpus (docs/fuzzing.md); skipped unless -Dfuzz.writeSeeds=true. */
    @Test
    @EnabledIfSystemProperty(named = "fuzz.writeSeeds", matches = "true")
    void writeSeedCorpus()
    {
        FuzzSeedCorpus.write(getClass(), "dataStream", seeds());
    }

    /** The seed corpus: valid subgroup and fetch streams of both drafts (at most 1 KiB each), by file name. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (final Draft draft : Draft.values())
        {
            final int draftBit = draft == Draft.DRAFT_14 ? 1 : draft == Draft.DRAFT_20 ? 4 : 0;
            final Random random = new Random(draft.ordinal());
            for (int i = 0; i < 12; i++)
            {
                seeds.put(draft + "-subgroup-" + i, flagged(draftBit, small(
                    () -> SplitInvarianceProperties.StreamModel.subgroup(random, draft, new ArrayList<>()))));
                final boolean descending = i % 3 == 0;
                seeds.put(draft + "-fetch-" + i, flagged(draftBit | (descending ? 2 : 0), small(
                    () -> SplitInvarianceProperties.StreamModel.fetch(random, draft, descending, new ArrayList<>()))));
            }
        }
        return seeds;
    }

    private static byte[] small(final Supplier<byte[]> streams)
    {
        byte[] stream;
        do
        {
            stream = streams.get();
        }
        while (stream.length > 1024);
        return stream;
    }

    private static byte[] flagged(final int flags, final byte[] stream)
    {
        final byte[] input = new byte[stream.length + 1];
        input[0] = (byte)flags;
        System.arraycopy(stream, 0, input, 1, stream.length);
        return input;
    }
}
