package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ratio table's pairing of runs, and the per-thread JIT reading it reports beside them. */
class SummaryTest
{
    private static RunResult run(final String series, final String point, final int fanout, final String tracks,
        final double gbps, final double p99Us)
    {
        return new RunResult("fanout", series, point, fanout, "draft-18", 1, tracks, fanout, fanout, 2.0, 60,
            60L * fanout, 60L * fanout, 0, 0, 0, 30.0 * fanout, gbps, 100, p99Us / 4, p99Us / 2, p99Us, p99Us, p99Us,
            1.0, 10.0, 26.0, 2600, 0.25, 0.5, 1.0, 2.0, 0, 100_000_000L, 0.01, 1, "");
    }

    @Test
    void pacedRelayRunIsComparedWithTheDirectHopOfTheSameSubscribersAndWithTheOneSubscriberHop()
    {
        final String summary = Summary.markdown(List.of(
            run("relay", "max", 100, "data:4096:0:30", 0.6, 900_000),
            run("ceiling", "max", 100, "data:4096:0:30", 0.5, 18_000),
            run("relay", "30/s", 100, "data:4096:30:30", 0.1, 9_000),
            run("ceiling", "30/s", 100, "data:4096:30:30", 0.1, 6_000),
            run("floor", "30/s", 1, "data:4096:30:30", 0.001, 2_000)));

        assertThat(summary).contains("| target JIT cores |");
        assertThat(summary).contains("| relay p99 / direct hop p99 (same subscribers) "
            + "| relay p99 / floor p99 (one-subscriber hop) |");
        // Unpaced: throughput and CPU ratios only; paced: p99 over the ceiling's (9 / 6) and over the floor's (9 / 2).
        assertThat(summary).contains("| max | 100 | 1.20 | 1.00 | n/a | n/a |");
        assertThat(summary).contains("| 30/s | 100 | 1.00 | 1.00 | 1.50 | 4.50 |");
    }

    @Test
    void clusterHopsSubtractEachHopFromTheOneBeforeIt()
    {
        final String hops = Summary.clusterHops(List.of(
            run("ceiling", "30/s", 10, "data:1024:30:30", 0.1, 2_000),
            run("relay", "30/s", 10, "data:1024:30:30", 0.1, 2_600),
            run("relay2", "30/s", 10, "data:1024:30:30", 0.1, 3_500),
            run("relay", "max", 10, "data:4096:0:30", 0.5, 90_000),
            run("relay2", "max", 10, "data:4096:0:30", 0.5, 95_000)));
        // p50 is p99 / 4 in these runs; CPU s/GB 10: per relay 10 for one, 5 for each of a chain's two.
        assertThat(hops).contains("| 10 | 0.50 / 2.00 | 0.65 / 2.60 | 0.88 / 3.50 | +0.15 / +0.60 | +0.23 / +0.90 "
            + "| yes | 10.0 / 5.0 |");
        assertThat(Summary.verdict(0.5, 1.5)).isEqualTo("no");
        assertThat(Summary.verdict(-3, 0.5)).startsWith("inconclusive");
    }

    @Test
    void compilerThreadsOfThisJvmAreFoundAndTheirCpuCountsOnlyWithinTheWindow()
    {
        final Map<Long, Long> start = ProcStats.compilerThreadTicks(ProcessHandle.current().pid());
        assertThat(start).isNotEmpty();
        assertThat(ProcStats.compilerCpuSeconds(start, start)).isZero();
        // A thread seen only at the end started in the window: all of its time counts; one gone at the end: none.
        assertThat(ProcStats.compilerCpuSeconds(Map.of(1L, 50L, 2L, 7L), Map.of(1L, 80L, 3L, 20L))).isEqualTo(0.5);
        assertThat(ProcStats.compilerCpuSeconds(Map.of(), Map.of())).isZero();
        assertThat(ProcStats.compilerThreadTicks(-1)).isEmpty();
    }
}
