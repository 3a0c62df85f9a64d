package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/**
 * A subscription's subgroup lanes start small and grow as subgroups overlap (issue #19: an idle subscription holds a
 * few lanes, not {@code moq.relay.subscriber.max.open.subgroups}): a congested subscriber with more overlapping
 * subgroups than the lanes it starts with still gets every one, in the draft's order, without a reset; at the
 * configured limit the table is full as before (a further subgroup resets the oldest idle stream, EXCESSIVE_LOAD).
 */
class LaneGrowthTest
{
    private static final UnsafeBuffer PAYLOAD = new UnsafeBuffer(new byte[64]);

    @Test
    void manyOverlappingSubgroupsAllGetAStreamPastTheInitialLanes()
    {
        try (Harness h = Harness.small())
        {
            final List<String> calls = deliver(h, 12);
            final List<String> expected = new ArrayList<>();
            for (int sg = 0; sg < 12; sg++)
            {
                expected.add("v open 0/" + sg);
            }
            assertThat(calls).filteredOn(c -> c.startsWith("v open")).containsExactlyElementsOf(expected);
            assertThat(calls).filteredOn(c -> c.contains("reset")).isEmpty();
            for (int sg = 0; sg < 12; sg++)
            {
                assertThat(calls).contains("v 0/" + sg + "/0", "v 0/" + sg + "/1", "v fin 0/" + sg);
            }
        }
    }

    @Test
    void theLimitStillHoldsWhenTheLanesGrowToIt()
    {
        // 6 is not a doubling of the initial lanes: they grow 4 -> 6, never past the limit.
        try (Harness h = new Harness(
            RelayConfiguration.MAX_OPEN_SUBGROUPS_PROP_NAME, "6",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k"))
        {
            final FullTrackName track = FullTrackName.of("v", "live");
            final UpstreamSubscription up = publish(h, track);
            final GroupOrderSchedulingTest.Connection c = subscribe(h, track);
            // Six subgroups with an open stream each and nothing pending: every lane in use, none reset.
            for (int sg = 0; sg < 6; sg++)
            {
                send(up, 0, sg, 0);
                h.poll();
            }
            assertThat(c.calls).filteredOn(x -> x.startsWith("v open")).hasSize(6);
            assertThat(c.calls).filteredOn(x -> x.contains("reset")).isEmpty();
            // The seventh finds the table full: the oldest idle stream makes room, as at any limit.
            send(up, 0, 6, 0);
            h.poll();
            assertThat(c.calls).filteredOn(x -> x.contains("reset")).containsExactly("v reset 0/0 EXCESSIVE_LOAD");
            assertThat(c.calls).contains("v open 0/6", "v 0/6/0");
        }
    }

    private static UpstreamSubscription publish(final Harness h, final FullTrackName track)
    {
        return h.session("pub").publish(1, track, List.of(), null, new FakePublisher(), new Callbacks.Req());
    }

    private static GroupOrderSchedulingTest.Connection subscribe(final Harness h, final FullTrackName track)
    {
        final GroupOrderSchedulingTest.Connection c = new GroupOrderSchedulingTest.Connection();
        h.session("viewer").subscribe(1, track, SubscribeOptions.of(null).withGroupOrder(GroupOrder.ASCENDING),
            c.writer("v"), new Callbacks.Sub());
        h.poll();
        return c;
    }

    private static void send(final UpstreamSubscription up, final long g, final long sg, final long o)
    {
        assertThat(up.ingest().object(0, g, sg, o, 128, 0, null, 0, 0, PAYLOAD, 0, 8)).isTrue();
    }

    /** {@code subgroups} subgroups of group 0 sent interleaved to a congested subscriber, then written out. */
    private static List<String> deliver(final Harness h, final int subgroups)
    {
        final FullTrackName track = FullTrackName.of("v", "live");
        final UpstreamSubscription up = publish(h, track);
        final GroupOrderSchedulingTest.Connection c = subscribe(h, track);
        c.writable = false;
        for (int o = 0; o < 2; o++)
        {
            for (int sg = 0; sg < subgroups; sg++)
            {
                send(up, 0, sg, o);
            }
        }
        for (int sg = 0; sg < subgroups; sg++)
        {
            up.ingest().endSubgroup(0, sg);
        }
        h.poll();
        c.writable = true;
        h.poll();
        return c.calls;
    }
}
