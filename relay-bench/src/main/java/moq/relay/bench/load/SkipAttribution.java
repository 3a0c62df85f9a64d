package moq.relay.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A run's skipped objects: the subscriptions' visible skips ({@link GroupTally.Share#skipped}), plus whole groups
 * missing without a reset as far as the relay's own counters account for them. A group the relay skips without a
 * stream to reset (a stream still waiting for the subscriber's credit, {@code moq_relay_subgroups_skipped}; a
 * too-far-behind event that found no stream open, or whose resets arrived before the subscriber read the streams'
 * headers) is invisible to the subscriber; each such counted event covers at most one missing group here, smallest
 * groups first. Conservative: a too-far-behind event that jumped several unseen groups leaves the rest as lost, so
 * {@code lost} may overstate genuine losses, never hide them.
 */
final class SkipAttribution
{
    private SkipAttribution()
    {
    }

    /**
     * @param shares    every subscription's share
     * @param relayDelta the relay's skip counters over the run (from the first object to the drain's end), or null
     *                  when the target has none (a ceiling; a relay without an admin endpoint): then only visible
     *                  skips count
     */
    static long skipped(final List<GroupTally.Share> shares, final RelaySkipCounters relayDelta)
    {
        long skipped = 0;
        long episodes = 0;
        final List<Long> unsignalled = new ArrayList<>();
        for (final GroupTally.Share s : shares)
        {
            skipped += s.skipped();
            episodes += s.episodes();
            unsignalled.addAll(s.unsignalled());
        }
        if (relayDelta == null)
        {
            return skipped;
        }
        long budget = relayDelta.subgroupsSkipped() + Math.max(0, relayDelta.tooFarBehind() - episodes);
        Collections.sort(unsignalled);
        for (final long n : unsignalled)
        {
            if (budget-- <= 0)
            {
                break;
            }
            skipped += n;
        }
        return skipped;
    }
}
