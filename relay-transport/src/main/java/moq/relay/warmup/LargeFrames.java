package moq.relay.warmup;

import java.util.Arrays;
import moq.relay.config.RelayConfiguration;

/**
 * The large objects of the MoQT and moq-lite pairs' warm-up (issue 12, docs/hardening.md "the first burst is the
 * JIT"): the relay's large-object branches (a payload gathered over many reads, a jumbo store record, egress in 64 KiB
 * slices on a stream QUIC cannot take at once, an object above the store's maximum refused) run nowhere else in the
 * warm-up, and C2 compiles the forwarding path every connection shares from small-object traffic with those branches
 * as uncommon traps; the first burst of 1-2 MiB objects then deoptimised that path while real sessions waited.
 *
 * <p>So every pair opens with a fixed set of large key frames, one per round from round {@link #FIRST_ROUND} (the
 * opening): one just beyond a store segment, 1 MiB + 1 (odd: a jumbo record with padding) and 2 MiB, each at most what
 * the store takes and within what a subscriber may lag ({@code moq.relay.subscriber.backlog.bytes}: a key frame whose
 * records pass it has its group skipped), the first of these rounds with an object of two egress slices right behind
 * its key frame (two sliced objects back to back on one stream, as a 4K publisher's burst has them, with the backlog
 * bound in mind); and, behind the opening's last round's streams, one object on
 * a track of its own just above {@code moq.relay.store.max.object.bytes} (refused, its subgroup reset; last, because a
 * publisher sends its streams in order and a moq-lite one sends all of it). The warm-up runs until every pair has sent
 * and received its opening, whatever its duration (up to {@link StartupWarmup}'s grace), so a short warm-up on a busy
 * box reaches every branch too. After the opening, every {@link #REPEAT_EVERY}th round's key frame is one of the set
 * again, so that code C2 compiled meanwhile meets them as well.
 *
 * <p>Bounds: at most {@link #MAX_KEY_FRAME_BYTES} per key frame, one round with them in flight per pair
 * ({@link WarmupPair#window()}); the key
 * frames only when {@link #PAIRS} pairs' worth of them (as jumbo records: 7 MiB a pair at the default 1 MiB segments,
 * 4.5 MiB at 256 KiB) fill at most half of {@code moq.relay.store.max.bytes}, the throwaway relay's store bound too,
 * so that its cache keeps them until later rounds evict them without refusing the pairs' other objects; the oversized
 * object only when the maximum is at most {@link #MAX_OVERSIZED_BYTES} (the default's 8 MiB + 1): a MoQT publisher
 * stops at the relay's STOP_SENDING, a moq-lite one sends it all and the relay drops it.
 */
final class LargeFrames
{
    /** No large objects (a store that takes none above an ordinary key frame, or the WebTransport pairs). */
    static final LargeFrames NONE = new LargeFrames(new int[0], 0);
    /**
     * The opening's first round: the third, once two rounds of every pair (some 370 objects through the same relay
     * code) have had the small-object path's methods compiled with profiling (C1's tier 3, 200 calls), so that the
     * large objects' branches are counted in the profile C2 compiles from; sent from the interpreter, they are not.
     */
    static final int FIRST_ROUND = 2;
    /** After the opening, every this many rounds a key frame of the set again (rounds 18, 34, ...). */
    static final int REPEAT_EVERY = 16;
    /** The largest key frame: the suite's largest carried object. */
    static final int MAX_KEY_FRAME_BYTES = 2 << 20;
    /** The largest oversized object sent: the default maximum's (8 MiB) + 1. */
    static final int MAX_OVERSIZED_BYTES = (8 << 20) + 1;
    /** Pairs that may send an opening at once: the warm-up has at most six raw-QUIC MoQT and moq-lite ones. */
    static final int PAIRS = 8;
    /** The object right behind the opening's first key frame: two egress slices, below a segment (no second jumbo). */
    static final int BEHIND_BYTES = 128 << 10;
    /** Room left under the store's maximum for a record's properties (moq-lite 05's timestamp) and header. */
    private static final int PROPERTIES_ROOM = 1024;

    private final int[] keyFrames;
    private final int oversized;

    private LargeFrames(final int[] keyFrames, final int oversized)
    {
        this.keyFrames = keyFrames;
        this.oversized = oversized;
    }

    /** The set for a relay of {@code config}. */
    static LargeFrames of(final RelayConfiguration config)
    {
        final long most = config.storeMaxObjectBytes() - (long)PROPERTIES_ROOM;
        final long[] wanted = {config.segmentBytes() + 1L, (1L << 20) + 1, MAX_KEY_FRAME_BYTES};
        final int[] sizes = new int[wanted.length];
        int n = 0;
        for (final long w : wanted)
        {
            final int bytes = (int)Math.min(Math.min(w, most), MAX_KEY_FRAME_BYTES);
            // Its record (and the one behind it) within what a subscriber may lag: else its group would be skipped.
            final boolean lagFits = jumboBytes(bytes, config.segmentBytes()) + BEHIND_BYTES <=
                config.subscriberBacklogBytes();
            if (bytes > WarmupTraffic.KEY_FRAME_BYTES && lagFits &&
                Arrays.stream(sizes, 0, n).noneMatch(s -> s == bytes))
            {
                sizes[n++] = bytes;
            }
        }
        long stored = n == 0 ? 0 : BEHIND_BYTES; // the one back to back
        for (int i = 0; i < n; i++)
        {
            stored += jumboBytes(sizes[i], config.segmentBytes());
        }
        if (PAIRS * stored > config.storeMaxBytes() / 2)
        {
            n = 0; // a store too small to hold every pair's opening: none (the pairs' other objects go first)
        }
        final long over = config.storeMaxObjectBytes() + 1L;
        return new LargeFrames(Arrays.copyOf(sizes, n), over <= MAX_OVERSIZED_BYTES ? (int)over : 0);
    }

    /** What the store takes for an object of {@code bytes}: whole segments, with room for its record's header. */
    private static long jumboBytes(final int bytes, final int segmentBytes)
    {
        return (bytes + (long)PROPERTIES_ROOM + segmentBytes - 1) / segmentBytes * segmentBytes;
    }

    /** The opening's key frames, in the order sent. */
    int[] keyFrames()
    {
        return keyFrames.clone();
    }

    /** Payload bytes of the oversized object (on a track of its own), or 0 for none. */
    int oversizedBytes()
    {
        return oversized;
    }

    /** Rounds {@code [0, openingRounds())} hold the opening (0: no opening). */
    int openingRounds()
    {
        return keyFrames.length == 0 ? 0 : FIRST_ROUND + keyFrames.length;
    }

    /**
     * The size of video object {@code objectId} of round {@code round} if it is large, else 0: the key frame in the
     * opening and every 16th round after it, and object 1 of the opening's first round.
     */
    int objectBytes(final long round, final int objectId)
    {
        if (objectId == 0)
        {
            final int bytes = keyFrameBytes(round);
            return bytes == WarmupTraffic.KEY_FRAME_BYTES ? 0 : bytes;
        }
        return objectId == 1 && keyFrames.length > 0 && round == FIRST_ROUND ? BEHIND_BYTES : 0;
    }

    /** The key frame's size in round {@code round}: one of the set in the opening and every 16th round after it. */
    int keyFrameBytes(final long round)
    {
        if (keyFrames.length > 0)
        {
            if (round >= FIRST_ROUND && round < openingRounds())
            {
                return keyFrames[(int)(round - FIRST_ROUND)];
            }
            if (round >= REPEAT_EVERY && round % REPEAT_EVERY == FIRST_ROUND)
            {
                return keyFrames[(int)((round / REPEAT_EVERY - 1) % keyFrames.length)];
            }
        }
        return WarmupTraffic.KEY_FRAME_BYTES;
    }

    /** Whether round {@code round} sends the oversized object (behind its other streams): the opening's last round. */
    boolean oversizedIn(final long round)
    {
        return oversized > 0 && round == Math.max(FIRST_ROUND, openingRounds() - 1);
    }

    /**
     * Whether round {@code round} sends the oversized object again, on a MoQT pair (refused at its header, so it costs
     * the publisher a stream's credit at most): with every repeated key frame. The opening's one passes while the
     * ingest's object-header method still runs without a profile; C2 then compiled the refusal as an uncommon trap
     * and the first burst's 6 MiB object deoptimised the decoder (h12warm, LogCompilation).
     */
    boolean oversizedAgainIn(final long round)
    {
        return oversized > 0 && round >= REPEAT_EVERY && round % REPEAT_EVERY == FIRST_ROUND;
    }
}
