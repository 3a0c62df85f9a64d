package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak in two minutes (perf/run.sh soak is the hour): a three-person call through the relay process over a link
 * with 10 ± 3 ms delay, 2 % loss and 5 % reordering (the user-space {@link LossyLink}, so it needs neither root nor
 * the kernel's netem and cannot be skipped anywhere), with a participant joining every 2 s and leaving 6 s later.
 * QUIC retransmits what the link drops, so a healthy subscriber loses nothing except what the relay skips on purpose
 * (whole groups, counted); the relay's RSS stays flat after the warm-up; every churned session closes cleanly.
 */
class SoakTest
{
    /** RSS growth allowed from warm-up end to the end (80 s): well below what a leaked copy of each object makes. */
    static final double RSS_GROWTH_BOUND_MIB = 32;
    /** Growth of the live heap (after GC) allowed over the same window. */
    static final double HEAP_GROWTH_BOUND_MIB = 16;

    @TempDir
    Path dir;

    @Test
    @Timeout(300)
    void twoMinutesOfALossyCallLoseNothingAndLeakNothing() throws Exception
    {
        final SoakRun.Plan plan = new SoakRun.Plan(Draft.DRAFT_18, 3, List.of(TrackSpec.parse("audio:200:50:50"),
            TrackSpec.parse("video:4167:30:60")), Duration.ofSeconds(40), Duration.ofSeconds(80),
            Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(6),
            LossyLink.Netem.parse("delay 10ms 3ms loss 2% reorder 5% 50%"), "proxy", 2);
        final Path gcLog = dir.resolve("gc-relay.log");
        final SoakResult r;
        try (Target relay = ProcessTargets.relayFromClassPath(List.of("-Xms256m", "-Xmx256m", "-XX:+UseG1GC",
            "-XX:+AlwaysPreTouch", "-Dmoq.relay.store.max.bytes=128m", "-Xlog:gc*:file=" + gcLog,
            "-Dmoq.relay.tls.cert.dir=" + dir.resolve("certs")),
            dir.resolve("relay.log")))
        {
            r = new SoakRun(plan).run(relay, gcLog, dir);
        }
        r.write(dir, "test\n");
        System.out.println(r.markdown("SoakTest\n"));

        assertThat(r.linkDropped()).as("the link dropped datagrams").isPositive();
        assertThat(r.linkReordered()).as("the link reordered datagrams").isPositive();
        assertThat(r.healthySessionFailures()).as("healthy sessions closed by the relay: %s",
            r.healthyFailureReasons()).isZero();
        assertThat(r.expected()).isGreaterThan(10_000);
        assertThat(r.minReceivedPerSubscription()).as("every healthy subscription received objects").isPositive();
        assertThat(r.lost()).as("objects lost beyond counted skips").isZero();
        assertThat(r.received() + r.skippedObjects()).as("every object received or counted as skipped")
            .isEqualTo(r.expected());

        assertThat(r.churnOpened()).as("sessions churned").isGreaterThanOrEqualTo(20);
        assertThat(r.churnFailed()).as("churn failures: %s", r.churnFailures()).isZero();
        assertThat(r.churnClosedCleanly()).isEqualTo(r.churnOpened());

        assertThat(r.rssEndMiB() - r.rssWarmupEndMiB()).as("RSS growth after warm-up, MiB")
            .isLessThan(RSS_GROWTH_BOUND_MIB);
        assertThat(r.heapAfterGc()).as("heap after GC samples").isNotEmpty();
        if (!Double.isNaN(r.heapAfterGcWarmupEndMiB()))
        {
            assertThat(r.heapAfterGcEndMiB() - r.heapAfterGcWarmupEndMiB()).as("live heap growth after warm-up, MiB")
                .isLessThan(HEAP_GROWTH_BOUND_MIB);
        }
        assertThat(r.gcPauses()).isPositive();
        assertThat(Files.readAllLines(dir.resolve("soak.csv"))).hasSizeGreaterThan(50);
        assertThat(Files.size(dir.resolve("plot.png"))).isPositive();
        assertThat(ResultsFiles.JSON.readTree(dir.resolve("results.json").toFile()).get("lost").asLong()).isZero();
    }
}
