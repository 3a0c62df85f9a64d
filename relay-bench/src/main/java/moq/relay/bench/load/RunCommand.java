package moq.relay.bench.load;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code run}: one run of a hand-made workload against one target; writes results.json/csv into {@code --out}. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "One run: N publishers x tracks, M subscribers per track, against the relay or the ceiling.")
final class RunCommand implements Callable<Integer>
{
    @Mixin
    SuiteOptions suite;

    @Option(names = "--series", defaultValue = "relay", description = "relay, ceiling or floor (default: "
        + "${DEFAULT-VALUE}).")
    String series;

    @Option(names = "--publishers", defaultValue = "1", description = "Publishers (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--track", defaultValue = "data:4096:30:30",
        description = "Track of every publisher as name:size:rate:groupLength, rate 0 = unpaced (repeatable; "
            + "default: ${DEFAULT-VALUE}).")
    List<String> tracks;

    @Option(names = "--subscribers", defaultValue = "10", description = "Subscribers per track (default: "
        + "${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--mesh", description = "One session per publisher subscribed to every other publisher's tracks "
        + "(--subscribers is then ignored).")
    boolean mesh;

    @Mixin
    RunWindowOptions window;

    @Option(names = "--out", defaultValue = "perf/results/tmp", description = "Output directory (default: "
        + "${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        final Workload w = new Workload(suite.draft(), publishers, tracks.stream().map(TrackSpec::parse).toList(),
            "floor".equals(series) ? 1 : subscribers, mesh, window.warmup(), window.duration(), window.drain(),
            window.maxQueued);
        final RunResult r = suite.runPoint("run", series, "run", w, out);
        ResultsFiles.write(out, List.of(r));
        System.out.println(Summary.markdown(List.of(r)));
        return 0;
    }
}
