package moq.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator, in process, against the real relay and against the ceiling sender on loopback: a tiny
 * scenario whose report must add up (every object reaches every subscriber, percentiles ordered, files parse).
 */
class LoadSuiteTest
{
    @TempDir
    Path dir;

    private static Workload tiny(final Draft draft)
    {
        return new Workload(draft, 2, List.of(new TrackSpec("t", 256, 200, 20)), 3, false, Duration.ofMillis(300),
            Duration.ofSeconds(1), Duration.ofSeconds(1), 1 << 20);
    }

    @Test
    @Timeout(60)
    void relayRunDeliversEveryObjectToEverySubscriber() throws Exception
    {
        final Workload w = tiny(Draft.DRAFT_18);
        final RunResult r;
        try (Target relay = InProcessTargets.relay(dir.resolve("certs"), Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")))
        {
            r = new LoadRun(w, 2).run("test", "relay", "200/s", relay, dir.resolve("relay.hlog"));
        }
        assertSane(r, w);
        assertFilesParse(r);
    }

    @Test
    @Timeout(60)
    void relayRunWithMoqLite05SubscribersDeliversEveryObjectToEverySubscriber() throws Exception
    {
        final Workload w = tiny(Draft.DRAFT_18);
        final RunResult r;
        try (Target relay = InProcessTargets.relay(dir.resolve("certs"), Map.of(
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")))
        {
            r = new LoadRun(w, 2, moq.relay.wire.lite.LiteVersion.LITE_05).run("test", SuiteOptions.RELAY_LITE,
                "200/s", relay, dir.resolve("relay-lite.hlog"));
        }
        assertSane(r, w);
    }

    /** moq-lite-05 publishers ({@code LiteClient}) into the relay: to draft-18 subscribers, then to lite ones. */
    @Test
    @Timeout(90)
    void relayRunWithMoqLite05PublishersDeliversEveryObjectToMoqtAndLiteSubscribers() throws Exception
    {
        for (final String series : List.of(SuiteOptions.RELAY_LITE_PUB, SuiteOptions.RELAY_LITE_BOTH))
        {
            final Workload w = tiny(Draft.DRAFT_18);
            final RunResult r;
            try (Target relay = InProcessTargets.relay(dir.resolve("certs"), Map.of(
                RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
                RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
                RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
                RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "512k")))
            {
                r = new LoadRun(w, 2, SuiteOptions.liteSubscribers(series), SuiteOptions.litePublishers(series))
                    .run("test", series, "200/s", relay, dir.resolve(series + ".hlog"));
            }
            assertSane(r, w);
        }
    }

    /**
     * A skip forced by a relay backlog bound of a few objects, with an unpaced publisher allowed far ahead of its
     * subscribers: the relay resets the subscribers' group streams with TOO_FAR_BEHIND and moves them on to later
     * groups. Every object they miss is counted as skipped, none as lost, for draft-18 and moq-lite-05 subscribers.
     */
    @Test
    @Timeout(120)
    void aForcedSkipIsCountedAsSkippedNotLost() throws Exception
    {
        for (final String series : List.of("relay", SuiteOptions.RELAY_LITE))
        {
            final Workload w = new Workload(Draft.DRAFT_18, 1, List.of(new TrackSpec("t", 16_384, 0, 10)), 3, false,
                Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(1), 8 << 20);
            final RunResult r;
            try (Target relay = InProcessTargets.relay(dir.resolve("certs"), Map.of(
                RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
                RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
                RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "4m",
                RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "48k")))
            {
                r = new LoadRun(w, 2, SuiteOptions.liteSubscribers(series), null)
                    .run("test", series, "max", relay, null);
            }
            final String what = series + ": " + r.delivered() + " of " + r.expected() + " delivered, " + r.skipped() +
                " skipped, " + r.lost() + " lost";
            System.out.println(what);
            assertThat(r.skipped()).as(what).isPositive();
            assertThat(r.lost()).as(what).isZero();
            assertThat(r.delivered() + r.skipped()).as(what).isEqualTo(r.expected());
            assertThat(r.sessionFailures()).as(what).isZero();
        }
    }

    @Test
    @Timeout(60)
    void ceilingRunDeliversEveryObjectToEverySubscriberOnDraft14() throws Exception
    {
        final Workload w = tiny(Draft.DRAFT_14);
        final RunResult r;
        try (Target ceiling = InProcessTargets.ceiling(dir.resolve("certs"), w))
        {
            r = new LoadRun(w, 2).run("test", "ceiling", "200/s", ceiling, dir.resolve("ceiling.hlog"));
        }
        assertSane(r, w);
    }

    private static void assertSane(final RunResult r, final Workload w)
    {
        // 2 publishers x 200/s x (0.3 + 1) s: about 520 objects, each to 3 subscribers.
        assertThat(r.published()).isGreaterThan(300);
        assertThat(r.expected()).isEqualTo(r.published() * w.subscribersPerTrack());
        assertThat(r.delivered()).isEqualTo(r.expected());
        assertThat(r.lost()).isZero();
        assertThat(r.skipped()).isZero();
        assertThat(r.sessionFailures()).isZero();
        assertThat(r.sessions()).isEqualTo(6);
        assertThat(r.fanout()).isEqualTo(3);
        assertThat(r.objectsPerSecond()).isPositive().isLessThan(10_000.0);
        assertThat(r.payloadGbps()).isPositive();
        assertThat(r.latencySamples()).isGreaterThan(1000);
        assertThat(r.p50Us()).isPositive();
        assertThat(r.p50Us()).isLessThanOrEqualTo(r.p90Us());
        assertThat(r.p90Us()).isLessThanOrEqualTo(r.p99Us());
        assertThat(r.p99Us()).isLessThanOrEqualTo(r.p999Us());
        assertThat(r.p999Us()).isLessThanOrEqualTo(r.maxUs());
        assertThat(r.cpuSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(r.targetJitCores()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(
            Runtime.getRuntime().availableProcessors());
        assertThat(r.rssBytes()).isPositive();
    }

    private void assertFilesParse(final RunResult r) throws Exception
    {
        ResultsFiles.write(dir, List.of(r));
        assertThat(ResultsFiles.read(dir)).containsExactly(r);
        final JsonNode json = ResultsFiles.JSON.readTree(dir.resolve("results.json").toFile());
        assertThat(json.get(0).get("delivered").asLong()).isEqualTo(r.delivered());
        final List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0).split(",")).hasSize(RunResult.CSV_COLUMNS.size());
        // The tracks column is quoted and holds no comma, so a plain split finds every column.
        assertThat(csv.get(1).split(",")).hasSize(RunResult.CSV_COLUMNS.size());
        assertThat(csv.get(1)).startsWith("test,relay,200/s,3,draft-18,");
        assertThat(Files.readAllLines(dir.resolve("relay.hlog"))).anyMatch(l -> l.startsWith("#[StartTime"));
        Plots.write("test", List.of(r), dir.resolve("plot.png"));
        assertThat(Files.size(dir.resolve("plot.png"))).isPositive();
    }
}
