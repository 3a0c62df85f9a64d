package moq.relay.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import moq.relay.fanout.StreamResetCode;
import org.agrona.collections.Long2LongHashMap;

/**
 * What one subscription saw of each group, so that objects it did not get can be told apart: the relay's deliberate
 * skips from genuine losses. A subscriber the relay finds too far behind has its open group streams reset with
 * TOO_FAR_BEHIND (0x5; the relay's moq-lite Group Streams carry the same code) and resumes at a later group, so the
 * groups in between never open. Recorded per group: that it was seen (a stream header or an object), how many objects
 * arrived on a stream the relay reset as a skip. Written by the subscription's client thread, read after the drain
 * (synchronized: the load generator's cost, once per object, not the relay's).
 */
final class GroupTally
{
    /** The RESET_STREAM code of a deliberate skip. */
    static final long SKIP_CODE = StreamResetCode.TOO_FAR_BEHIND.code();

    private final BitSet seen = new BitSet();
    /** Objects received so far on each group stream still open. */
    private final Long2LongHashMap open = new Long2LongHashMap(0);
    /** Objects received on each group stream the relay reset as a skip, before the reset. */
    private final Long2LongHashMap skipReset = new Long2LongHashMap(-1);

    /** A group's stream began (its header was read), before any object of it. */
    synchronized void opened(final long group)
    {
        if (group >= 0 && group < Integer.MAX_VALUE)
        {
            seen.set((int)group);
        }
    }

    /** One object of {@code group} arrived. */
    synchronized void object(final long group)
    {
        opened(group);
        open.put(group, open.get(group) + 1);
    }

    /** The group's stream ended: FIN, or reset with {@code resetCode} (-1: closed without one). */
    synchronized void ended(final long group, final boolean reset, final long resetCode)
    {
        opened(group);
        final long received = open.remove(group);
        if (reset && resetCode == SKIP_CODE)
        {
            skipReset.put(group, received);
        }
    }

    /**
     * This subscription's share of the run: with {@code sent} objects of its track published in groups of
     * {@code groupLength} (group g holds objects g × groupLength ..., the last group possibly shorter), the objects
     * missing from groups the relay reset as a skip, and the whole groups missing right after such a reset up to the
     * next group seen (the groups the skip jumped over: counted skipped); the whole groups missing with no skip reset
     * before them (left to {@link SkipAttribution}: the relay may have skipped them without a stream to reset); every
     * other missing object is lost.
     */
    synchronized Share share(final long sent, final int groupLength)
    {
        long skipped = 0;
        int episodes = 0;
        final List<Long> unsignalled = new ArrayList<>();
        boolean inGap = false;
        final long groups = (sent + groupLength - 1) / groupLength;
        for (long g = 0; g < groups; g++)
        {
            final long n = Math.min(groupLength, sent - g * groupLength);
            final long received = skipReset.get(g);
            if (received >= 0)
            {
                skipped += Math.max(0, n - received);
                if (!inGap)
                {
                    episodes++;
                }
                inGap = true;
            }
            else if (g < Integer.MAX_VALUE && seen.get((int)g))
            {
                inGap = false;
            }
            else if (inGap)
            {
                skipped += n;
            }
            else
            {
                unsignalled.add(n);
            }
        }
        return new Share(skipped, episodes, unsignalled);
    }

    /**
     * @param skipped     objects attributed to visible skips
     * @param episodes    skips seen: runs of skip-reset groups with no group seen in between (one too-far-behind event
     *                    resets every open stream of the subscription at once)
     * @param unsignalled objects of each whole group missing with no skip reset before it
     */
    record Share(long skipped, int episodes, List<Long> unsignalled)
    {
    }
}
