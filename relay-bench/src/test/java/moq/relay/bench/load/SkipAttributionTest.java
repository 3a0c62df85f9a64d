package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How missing objects are split into the relay's skips and losses, from what a subscription saw and the relay's counters. */
class SkipAttributionTest
{
    /** 45 objects in groups of 10: groups 0-3 of 10, group 4 of 5. */
    private static GroupTally tally()
    {
        final GroupTally t = new GroupTally();
        for (int i = 0; i < 10; i++)
        {
            t.object(0);
        }
        t.ended(0, false, -1);
        for (int i = 0; i < 3; i++)
        {
            t.object(1);
        }
        t.ended(1, true, GroupTally.SKIP_CODE); // skipped after 3 objects; group 2 jumped over
        for (int i = 0; i < 10; i++)
        {
            t.object(3);
        }
        t.ended(3, false, -1);
        // group 4: never seen, no reset before it
        return t;
    }

    @Test
    void aSkipResetCountsItsMissingObjectsAndTheGroupsItJumpedOver()
    {
        final GroupTally.Share s = tally().share(45, 10);
        assertThat(s.skipped()).isEqualTo(7 + 10);
        assertThat(s.episodes()).isEqualTo(1);
        assertThat(s.unsignalled()).containsExactly(5L);
    }

    @Test
    void wholeGroupsMissingWithoutAResetAreSkippedOnlyAsFarAsTheRelaysCountersGo()
    {
        final List<GroupTally.Share> shares = List.of(tally().share(45, 10));
        assertThat(SkipAttribution.skipped(shares, null)).as("no counters: visible skips only").isEqualTo(17);
        assertThat(SkipAttribution.skipped(shares, new RelaySkipCounters(1, 0)))
            .as("the one too-far-behind event is the reset seen").isEqualTo(17);
        assertThat(SkipAttribution.skipped(shares, new RelaySkipCounters(1, 1)))
            .as("a subgroup skipped while waiting for credit covers group 4").isEqualTo(22);
        assertThat(SkipAttribution.skipped(shares, new RelaySkipCounters(3, 0)))
            .as("too-far-behind events beyond the resets seen cover at most one group each").isEqualTo(22);
    }

    @Test
    void aResetWithAnotherCodeIsALoss()
    {
        final GroupTally t = new GroupTally();
        t.object(0);
        t.ended(0, true, 0x9); // EXCESSIVE_LOAD: not a skip
        final GroupTally.Share s = t.share(10, 10);
        assertThat(s.skipped()).isZero();
        assertThat(SkipAttribution.skipped(List.of(s), new RelaySkipCounters(5, 5))).isZero();
    }

    @Test
    void theAdminEndpointsCountersAreRead()
    {
        final RelaySkipCounters c = AdminScrape.parse("""
            # HELP moq_relay_subscribers_too_far_behind_total Subscriptions reset as too far behind
            # TYPE moq_relay_subscribers_too_far_behind_total counter
            moq_relay_subscribers_too_far_behind_total 12.0
            moq_relay_subscribers_too_late_total 3.0
            moq_relay_subgroups_skipped_total 4.0
            """);
        assertThat(c).isEqualTo(new RelaySkipCounters(12, 4));
    }
}
