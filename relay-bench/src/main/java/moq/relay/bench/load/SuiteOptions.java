package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Draft;
import moq.relay.wire.lite.LiteVersion;
import picocli.CommandLine.Option;

/** Options every measuring command shares: where the processes come from, how they run, where results go. */
final class SuiteOptions
{
    @Option(names = "--relay-jar", defaultValue = "relay-transport/target/moq-relay.jar",
        description = "The relay's fat jar, run as its own process (default: ${DEFAULT-VALUE}).")
    Path relayJar;

    @Option(names = "--load-jar",
        description = "The jar holding the ceiling sender (default: the jar this command runs from).")
    Path loadJar;

    @Option(names = "--jvm-args", defaultValue = "-Xms1g -Xmx1g -XX:+UseZGC",
        description = "JVM options (space-separated) of the relay and ceiling processes, including any "
            + "-Dmoq.relay.* settings; both get the same (default: ${DEFAULT-VALUE}).")
    String jvmArgs;

    @Option(names = "--client-threads", defaultValue = "2",
        description = "Event loop threads shared by all publisher and subscriber clients (default: ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--draft", defaultValue = "18", description = "MoQT draft, 18 or 14 (default: ${DEFAULT-VALUE}).")
    int draft;

    @Option(names = "--jfr", description = "Record the relay and ceiling processes with JFR (profile settings) into the output "
        + "directory; summarise with 'jfr-summary'.")
    boolean jfr;

    @Option(names = "--pin", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Run the relay or ceiling on the host's last CPU and the load generator on the others (taskset), so "
            + "that they do not compete for the same cores; --no-pin shares every CPU (default: ${DEFAULT-VALUE}).")
    boolean pin;

    /** Set once the generator is pinned. */
    private CpuPinning pinning;

    @Option(names = "--in-process", description = "Run the relay and the ceiling inside this JVM (quick checks; CPU "
        + "and RSS are then this whole process's).")
    boolean inProcess;

    /** The series of the relay with moq-lite-05 subscribers (MoQT publishers), beside {@code relay}. */
    static final String RELAY_LITE = "relay-lite";
    /** The relay with moq-lite-05 publishers ({@code LiteClient}) and MoQT subscribers (the --draft). */
    static final String RELAY_LITE_PUB = "relay-lite-pub";
    /** The relay with moq-lite-05 publishers and moq-lite-05 subscribers. */
    static final String RELAY_LITE_BOTH = "relay-lite-both";

    /** Whether {@code series} runs the relay (as opposed to the ceiling sender or the chain). */
    static boolean relaySeries(final String series)
    {
        return "relay".equals(series) || RELAY_LITE.equals(series) || RELAY_LITE_PUB.equals(series) ||
            RELAY_LITE_BOTH.equals(series);
    }

    /** The moq-lite version of the series' subscribers, or null for MoQT. */
    static LiteVersion liteSubscribers(final String series)
    {
        return RELAY_LITE.equals(series) || RELAY_LITE_BOTH.equals(series) ? LiteVersion.LITE_05 : null;
    }

    /** The moq-lite version of the series' publishers, or null for MoQT. */
    static LiteVersion litePublishers(final String series)
    {
        return RELAY_LITE_PUB.equals(series) || RELAY_LITE_BOTH.equals(series) ? LiteVersion.LITE_05 : null;
    }

    Draft draft()
    {
        return Draft.ofNumber(draft);
    }

    Path loadJar()
    {
        if (loadJar != null)
        {
            return loadJar;
        }
        try
        {
            final Path self = Path.of(LoadMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(self))
            {
                return self;
            }
        }
        catch (final Exception e)
        {
            // Fall through to the built jar's usual place.
        }
        return Path.of("relay-bench/target/moq-load.jar");
    }

    List<String> jvmArgs()
    {
        return new ArrayList<>(Arrays.asList(jvmArgs.trim().split("\\s+")));
    }

    /** Starts the target of {@code series} for {@code workload}; logs and GC logs go to {@code dir} as {@code label}. */
    Target start(final String series, final Workload workload, final Path dir, final String label) throws Exception
    {
        final boolean relay = relaySeries(series);
        if (inProcess && "relay2".equals(series))
        {
            throw new IllegalArgumentException("the relay2 series (two relays in a chain) runs as processes only");
        }
        if (inProcess)
        {
            return relay
                ? InProcessTargets.relay(dir.resolve("certs"), Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME,
                    "256m"))
                : InProcessTargets.ceiling(dir.resolve("certs"), workload);
        }
        final List<String> jvm = jvmArgs();
        jvm.add("-Xlog:gc*:file=" + dir.resolve("gc-" + label + ".log"));
        if (jfr)
        {
            jvm.add("-XX:+FlightRecorder");
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + dir.resolve(label + ".jfr"));
        }
        final List<String> prefix = pinning() == null ? List.of() : pinning.targetPrefix();
        if ("relay2".equals(series))
        {
            return ProcessTargets.relayChain(prefix, relayJar, jvm, dir.resolve(label + "-a.log"),
                dir.resolve(label + "-b.log"));
        }
        return relay
            ? ProcessTargets.relay(prefix, relayJar, jvm, dir.resolve(label + ".log"))
            : ProcessTargets.ceiling(prefix, loadJar(), jvm, workload, dir.resolve(label + ".log"));
    }

    /** The CPU split when {@code --pin} (null otherwise, or on one CPU); pins this process once, on first use. */
    CpuPinning pinning() throws IOException, InterruptedException
    {
        if (!pin || inProcess)
        {
            return null;
        }
        if (pinning == null)
        {
            final CpuPinning split = CpuPinning.split();
            if (split != null)
            {
                split.pinGenerator();
            }
            pinning = split;
        }
        return pinning;
    }

    /** One run of {@code workload} against a freshly started target of {@code series}, GC figures included. */
    RunResult runPoint(final String scenario, final String series, final String point, final Workload workload,
        final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final String label = series + "-" + point.replace('/', 'p') + "-f" + workload.fanout();
        System.err.printf("%s: %s %s, fan-out %d ...%n", scenario, series, point, workload.fanout());
        final RunResult r;
        try (Target target = start(series, workload, dir, label))
        {
            r = new LoadRun(workload, clientThreads, liteSubscribers(series), litePublishers(series))
                .run(scenario, series, point, target, dir.resolve(label + ".hlog"));
        }
        final GcLog gc = GcLog.read(dir.resolve("gc-" + label + ".log"));
        final RunResult withGc = r.withGc(gc.maxPauseMillis(), gc.pauses());
        System.err.printf(java.util.Locale.ROOT,
            "  %,.0f objects/s, %.3f Gbit/s, p50 %.0f us, p99 %.0f us, max %.0f us, %.2f CPU s/GB, lost %d, " +
                "skipped %d%n",
            withGc.objectsPerSecond(), withGc.payloadGbps(), withGc.p50Us(), withGc.p99Us(), withGc.maxUs(),
            withGc.cpuSecondsPerGB(), withGc.lost(), withGc.skipped());
        return withGc;
    }
}
