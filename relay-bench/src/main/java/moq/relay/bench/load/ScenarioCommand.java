package moq.relay.bench.load;

import static moq.relay.bench.load.RunWindowOptions.seconds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scenario NAME}: runs a named scenario (relay, ceiling and floor side by side) and writes
 * {@code results.json}, {@code results.csv}, {@code summary.md}, HdrHistogram logs, process and GC logs and
 * {@code plot.png} into {@code <out>/<NAME>/}.
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description = "Run a named scenario: video-call, fanout, live, chat, idle-sessions, or all; or cluster, soak.")
final class ScenarioCommand implements Callable<Integer>
{
    @Parameters(paramLabel = "NAME", description = "video-call, fanout, live, chat, idle-sessions or all; soak (not "
        + "in all).")
    String name;

    @Mixin
    SuiteOptions suite;

    @Option(names = "--out", defaultValue = "perf/results",
        description = "Results go to OUT/NAME/ (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    RunWindowOptions window;

    @Option(names = "--generator-warmup", defaultValue = "5", description = "Before the first measured run, an "
        + "unmeasured run of the first point's workload against the same kind of target for this many seconds, so "
        + "that the load generator's own code (one JVM for every run) is compiled too; 0 for none (default: "
        + "${DEFAULT-VALUE}).")
    double generatorWarmupSeconds;

    @Option(names = "--latency-duration", defaultValue = "10", description = "Measured seconds of paced runs "
        + "(default: ${DEFAULT-VALUE}).")
    double latencyDurationSeconds;

    @Option(names = "--fanouts", defaultValue = "1,10,100,1000", split = ",",
        description = "fanout: subscriber counts (default: ${DEFAULT-VALUE}).")
    List<Integer> fanouts;

    @Option(names = "--cluster-fanouts", defaultValue = "1,10,100", split = ",",
        description = "cluster: subscriber counts (default: ${DEFAULT-VALUE}).")
    List<Integer> clusterFanouts;

    @Option(names = "--cluster-max", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "cluster: also the unpaced runs (max: throughput, CPU per byte); --no-cluster-max runs only the "
            + "30/s latency points (default: ${DEFAULT-VALUE}).")
    boolean clusterMax;

    @Option(names = "--series", defaultValue = "relay,ceiling,floor", split = ",",
        description = "Which targets to run: relay, ceiling, floor, and for fanout relay-lite (the relay with "
            + "moq-lite-05 subscribers, its publisher on the --draft), relay-lite-pub (moq-lite-05 publisher, "
            + "subscribers on the --draft) and relay-lite-both (moq-lite-05 both) (default: ${DEFAULT-VALUE}).")
    List<String> series;

    @Option(names = "--call-sizes", defaultValue = "2,4,8,25", split = ",",
        description = "video-call: participants per call, one ramp each (default: ${DEFAULT-VALUE}).")
    List<Integer> callSizes;

    @Option(names = "--call-max-participants", defaultValue = "200",
        description = "video-call: a ramp stops before more participants than this in all (default: ${DEFAULT-VALUE}).")
    int callMaxParticipants;

    @Option(names = "--call-counts", split = ",",
        description = "video-call: run only these numbers of concurrent calls per call size (e.g. 2: only 2 calls of "
            + "each size), each once, instead of the ramp 1, 2, 4, ... that stops at the first run past the limits "
            + "(default: the ramp).")
    List<Integer> callCounts;

    @Option(names = "--call-p99-ms", defaultValue = "50",
        description = "video-call: a ramp stops once the relay's p99 exceeds this (default: ${DEFAULT-VALUE}).")
    double callP99Ms;

    @Option(names = "--live-subscribers", defaultValue = "500", description = "live: subscribers (default: "
        + "${DEFAULT-VALUE}).")
    int liveSubscribers;

    @Option(names = "--chat-rooms", defaultValue = "10", description = "chat: publishers, one track each (default: "
        + "${DEFAULT-VALUE}).")
    int chatRooms;

    @Option(names = "--chat-subscribers", defaultValue = "10", description = "chat: subscribers per room (default: "
        + "${DEFAULT-VALUE}).")
    int chatSubscribers;

    @Option(names = "--chat-rate", defaultValue = "10", description = "chat: messages per second per room "
        + "(default: ${DEFAULT-VALUE}).")
    double chatRate;

    @Option(names = "--idle-sessions", defaultValue = "1000", description = "idle-sessions: sessions (default: "
        + "${DEFAULT-VALUE}).")
    int idleSessions;

    @Option(names = "--idle-jvm-args", defaultValue = "-Xms512m -Xmx512m -XX:+UseG1GC",
        description = "idle-sessions: the relay's JVM options instead of --jvm-args (RSS counts ZGC's multi-mapped heap "
            + "up to three times, so G1) (default: ${DEFAULT-VALUE}).")
    String idleJvmArgs;

    @Option(names = "--idle-settle", defaultValue = "3", description = "idle-sessions: seconds to settle before "
        + "each RSS reading (default: ${DEFAULT-VALUE}).")
    double idleSettleSeconds;

    @Option(names = "--idle-breakdown", description = "idle-sessions: run the relay with Native Memory Tracking and "
        + "write where its memory is (smaps split, NMT summary, class histogram) at the baseline and with the sessions "
        + "held: baseline-*.txt, held-*.txt (the histograms force full GCs: not for the headline figure).")
    boolean idleBreakdown;

    @Mixin
    SoakOptions soak;

    private boolean generatorWarm;

    @Override
    public Integer call() throws Exception
    {
        final List<String> names = "all".equals(name)
            ? new ArrayList<>(Scenarios.NAMES) : new ArrayList<>(List.of(name));
        if ("all".equals(name))
        {
            names.add("idle-sessions");
        }
        for (final String n : names)
        {
            if ("idle-sessions".equals(n))
            {
                idle(out.resolve(n));
            }
            else if ("soak".equals(n))
            {
                soak(out.resolve(n));
            }
            else
            {
                scenario(n, out.resolve(n));
            }
        }
        return 0;
    }

    private void scenario(final String scenario, final Path dir) throws Exception
    {
        final Scenarios.Knobs knobs = new Scenarios.Knobs(suite.draft(), window.warmup(), window.duration(),
            seconds(latencyDurationSeconds), window.drain(), window.maxQueued,
            "cluster".equals(scenario) ? clusterFanouts : fanouts,
            series, liveSubscribers, chatRooms, chatSubscribers, chatRate);
        if ("video-call".equals(scenario))
        {
            videoCalls(knobs, dir);
            return;
        }
        final List<Scenarios.Point> points = Scenarios.points(scenario, knobs);
        if ("cluster".equals(scenario) && !clusterMax)
        {
            points.removeIf(p -> "max".equals(p.point()));
        }
        if (!generatorWarm && !points.isEmpty() && generatorWarmupSeconds > 0)
        {
            warmGenerator(scenario, points.get(0), dir);
        }
        final List<RunResult> results = new ArrayList<>();
        for (final Scenarios.Point p : points)
        {
            results.add(suite.runPoint(scenario, p.series(), p.point(), p.workload(), dir));
            ResultsFiles.write(dir, results);
        }
        final String summary = "# " + scenario + "\n\n" + header() + "\n" + Summary.markdown(results) +
            ("cluster".equals(scenario) ? "\n" + Summary.clusterHops(results) : "");
        Files.writeString(dir.resolve("summary.md"), summary);
        Plots.write(scenario, results, dir.resolve("plot.png"));
        System.out.println(summary);
    }

    /**
     * The video-call ramp: how many calls one relay holds, each relay run beside the direct hop with the same
     * participants (when the {@code ceiling} series is selected).
     */
    private void videoCalls(final Scenarios.Knobs knobs, final Path dir) throws Exception
    {
        if (!generatorWarm && generatorWarmupSeconds > 0)
        {
            warmGenerator("video-call", new Scenarios.Point("relay", "call", Scenarios.calls(knobs,
                callSizes.get(0), 1)), dir);
        }
        final List<VideoCallRamp.Step> steps = VideoCallRamp.run(suite, knobs, callSizes, callMaxParticipants,
            callP99Ms, callCounts, dir);
        final List<RunResult> results = new ArrayList<>();
        for (final VideoCallRamp.Step st : steps)
        {
            results.add(st.result());
            if (st.direct() != null)
            {
                results.add(st.direct());
            }
        }
        ResultsFiles.write(dir, results);
        Plots.writeCalls(results, dir.resolve("plot.png"));
        final String summary = "# video-call\n\n" + header() + "\nEach participant: " + Scenarios.CALL_TRACKS +
            " (name:size:rate:groupLength[:first object size]); every participant subscribes to the others of its "
            + "call.\n\n" + VideoCallRamp.markdown(steps, callP99Ms, callMaxParticipants);
        Files.writeString(dir.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    /**
     * The load generator's JVM lives for the whole invocation, so in the first measured run it would still be
     * compiling its own code (cold client, decoder and latency paths) while the target is measured: one unmeasured
     * run of {@code first}'s workload against its kind of target beforehand, figures discarded.
     */
    private void warmGenerator(final String scenario, final Scenarios.Point first, final Path dir)
    {
        generatorWarm = true;
        final Workload w = first.workload().withWarmup(Duration.ZERO).withDuration(seconds(generatorWarmupSeconds));
        System.err.printf("%s: warming the load generator up (%s %s, fan-out %d, %.0f s, not measured) ...%n",
            scenario, first.series(), first.point(), w.fanout(), generatorWarmupSeconds);
        try
        {
            Files.createDirectories(dir);
            try (Target target = suite.start(first.series(), w, dir, "generator-warmup"))
            {
                new LoadRun(w, suite.clientThreads, SuiteOptions.liteSubscribers(first.series()),
                    SuiteOptions.litePublishers(first.series())).run(scenario, first.series(), "generator-warmup",
                    target, null);
            }
        }
        catch (final Exception e)
        {
            // Only a warm-up: the measured runs go ahead (and report their own failures).
            System.err.println("  generator warm-up failed: " + e);
        }
    }

    private void idle(final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final IdleSessions.Result r;
        final String jvmArgs = suite.jvmArgs;
        // The relay's per-address connection cap (256 by default) would refuse the idle sessions: every one of them,
        // and the probes, come from 127.0.0.1.
        final int connections = idleSessions + IdleSessions.PROBES + 64;
        suite.jvmArgs = idleJvmArgs + " -Dmoq.relay.max.connections.per.address=" + connections +
            " -Dmoq.relay.max.connections=" + Math.max(10_000, connections) +
            (idleBreakdown ? " -XX:NativeMemoryTracking=summary" : "");
        try (Target relay = suite.start("relay", null, dir, "relay-idle"))
        {
            r = IdleSessions.measure(relay, suite.draft(), idleSessions, seconds(idleSettleSeconds),
                suite.clientThreads, idleBreakdown ? dir : null);
        }
        finally
        {
            suite.jvmArgs = jvmArgs;
        }
        ResultsFiles.JSON.writeValue(dir.resolve("results.json").toFile(), r);
        final String summary = String.format(Locale.ROOT, "# idle-sessions%n%n%sRelay JVM for this measurement: `%s`%n%n"
            + "| sessions | baseline RSS MiB | RSS MiB | RSS per idle session KiB | new session set-up p50 / p99 / max ms, "
            + "none held | the same while the sessions are held |%n|---:|---:|---:|---:|---|---|%n"
            + "| %d | %.1f | %.1f | %.1f | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f |%n%n"
            + "Set-up: %d sessions one after another, each from its QUIC connect to SUBSCRIBE_OK, then closed.%n",
            header(), idleJvmArgs, r.sessions(), r.baselineRssBytes() / 1048576.0, r.rssBytes() / 1048576.0,
            r.bytesPerSession() / 1024, r.setUpBefore().p50Ms(), r.setUpBefore().p99Ms(), r.setUpBefore().maxMs(),
            r.setUpHeld().p50Ms(), r.setUpHeld().p99Ms(), r.setUpHeld().maxMs(), IdleSessions.PROBES);
        Files.writeString(dir.resolve("summary.md"), summary);
        System.out.println(summary);
    }

    /** The soak (not part of "all"): one relay process for the whole time, with its own JVM options. */
    private void soak(final Path dir) throws Exception
    {
        Files.createDirectories(dir);
        final SoakRun.Plan plan = soak.plan(suite.draft(), window, suite.clientThreads);
        final String jvmArgs = suite.jvmArgs;
        suite.jvmArgs = soak.jvmArgs;
        final SoakResult r;
        try (Target relay = suite.start("relay", null, dir, "relay-soak"))
        {
            System.err.printf("soak: %d participants, %s (%s), %.0f s warm-up + %.0f s ...%n", plan.participants(),
                plan.netem(), plan.impairment(), window.warmupSeconds, window.durationSeconds);
            r = new SoakRun(plan).run(relay, dir.resolve("gc-relay-soak.log"), dir);
        }
        finally
        {
            suite.jvmArgs = jvmArgs;
        }
        final String header = header().replace(suite.jvmArgs, soak.jvmArgs);
        r.write(dir, header);
        System.out.println(r.markdown(header));
    }

    private String header() throws IOException, InterruptedException
    {
        final CpuPinning pinning = suite.pinning();
        return String.format(Locale.ROOT, "Draft %d; relay/ceiling JVM `%s`; %d client threads; %s; %s; load "
            + "average before: %s%n", suite.draft, suite.jvmArgs, suite.clientThreads, pinning == null
                ? "CPUs not pinned (target and generator share every CPU)"
                : "relay/ceiling on CPU " + pinning.targetCpus() + ", generator on CPU " + pinning.generatorCpus(),
            java.time.Instant.now(), loadAverage());
    }

    static String loadAverage()
    {
        try
        {
            return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" ")).limit(3)
                .collect(Collectors.joining(" "));
        }
        catch (final Exception e)
        {
            return "unknown";
        }
    }
}
