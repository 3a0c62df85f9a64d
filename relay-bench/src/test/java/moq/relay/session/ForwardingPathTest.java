package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The benchmark's forwarding path really forwards: every object reaches every subscriber's stream as one zero-copy
 * view with the right bytes, each group's stream ends with a FIN, and every view comes back (so nothing holds the
 * log), with or without Range Filters that pass everything. Guards {@link ForwardingBenchmark} against measuring a
 * path that silently drops objects.
 */
class ForwardingPathTest
{
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyObjectReachesEverySubscriberAsAViewAndEveryGroupEnds(final boolean filtered)
    {
        final int subscribers = 7;
        final int groups = 5;
        final int groupLength = 60;
        try (ForwardingPath path = new ForwardingPath(subscribers, 4096, groupLength,
            filtered ? ForwardingPath.PASS_ALL : null))
        {
            for (int i = 0; i < groups * groupLength; i++)
            {
                path.forwardOne();
            }
            assertThat(path.payloadViews).isEqualTo((long)subscribers * groups * groupLength);
            assertThat(path.mismatches).isZero();
            assertThat(path.fins).as("one FIN per group and subscriber").isEqualTo((long)subscribers * groups);
            assertThat(path.finsWithObject).as("each FIN in the same write as its group's last object (the "
                + "publisher's FIN came with it)").isEqualTo(path.fins);
            assertThat(path.otherBytes).as("headers only: a few bytes per object").isPositive()
                .isLessThan(16L * subscribers * groups * groupLength);
            assertThat(path.relay().stats().objectsIn()).as("objects counted in (the metrics' source)")
                .isEqualTo((long)groups * groupLength);
            assertThat(path.relay().egressLoop(0).counters().objectsOut()).as("objects counted out")
                .isEqualTo((long)subscribers * groups * groupLength);
            assertThat(path.relay().egressLoop(0).counters().bytesOut()).as("payload bytes counted out")
                .isEqualTo(4096L * subscribers * groups * groupLength);
            assertThat(path.separateWrites).as("one write per object: each subgroup header rides with the first "
                + "object").isZero();
        }
    }
}
