package moq.relay.bench.load;

import static moq.relay.bench.load.RunWindowOptions.seconds;

import java.util.List;
import moq.relay.wire.Draft;
import picocli.CommandLine.Option;

/** The {@code soak} scenario's own options (its measured time is {@code --duration}, its warm-up {@code --warmup}). */
final class SoakOptions
{
    @Option(names = "--soak-participants", defaultValue = "4", description = "soak: steady call participants, each "
        + "publishing the call's audio and video and subscribed to everyone else (default: ${DEFAULT-VALUE}).")
    int participants;

    @Option(names = "--soak-tracks", defaultValue = "audio:200:50:50,video:4167:30:60", split = ",",
        description = "soak: what each participant publishes, name:objectBytes:perSecond:groupLength (default: "
            + "${DEFAULT-VALUE}: 50/s audio in 1 s groups and 1 Mbit/s of 30 fps video in 2 s groups; 2.5 Mbit/s "
            + "video does not fit a 2 %%-loss link: loss-bound congestion control carries about "
            + "5 Mbit/s per connection at a 20 ms RTT, and each subscriber receives every other participant's video).")
    List<String> tracks;

    @Option(names = "--soak-netem", defaultValue = "delay 10ms 3ms loss 2% reorder 5% 50%", description = "soak: the "
        + "impairment in tc-netem syntax (delay D [JITTER], loss P%%, reorder P%% [CORR]) (default: ${DEFAULT-VALUE}).")
    String netem;

    @Option(names = "--soak-impairment", defaultValue = "proxy", description = "soak: 'kernel' when perf/run.sh has "
        + "put tc netem on the network namespace's loopback (nothing to do here, recorded only), 'proxy' for the "
        + "user-space LossyLink between clients and relay, 'none' (default: ${DEFAULT-VALUE}).")
    String impairment;

    @Option(names = "--soak-sample", defaultValue = "5", description = "soak: seconds between RSS samples "
        + "(default: ${DEFAULT-VALUE}).")
    double sampleSeconds;

    @Option(names = "--soak-churn-interval", defaultValue = "3", description = "soak: seconds between churn "
        + "participants joining (default: ${DEFAULT-VALUE}).")
    double churnIntervalSeconds;

    @Option(names = "--soak-churn-lifetime", defaultValue = "10", description = "soak: seconds each churn "
        + "participant stays (default: ${DEFAULT-VALUE}).")
    double churnLifetimeSeconds;

    @Option(names = "--soak-jvm-args", defaultValue = "-Xms512m -Xmx512m -XX:+UseG1GC -XX:+AlwaysPreTouch "
        + "-Dmoq.relay.store.max.bytes=256m", description = "soak: the relay's JVM options instead of --jvm-args. G1 "
        + "logs the heap after each collection; the heap is touched up front so that RSS growth is off-heap growth "
        + "(default: ${DEFAULT-VALUE}).")
    String jvmArgs;

    SoakRun.Plan plan(final Draft draft, final RunWindowOptions window, final int clientThreads)
    {
        if (!List.of("kernel", "proxy", "none").contains(impairment))
        {
            throw new IllegalArgumentException("--soak-impairment: kernel, proxy or none, not " + impairment);
        }
        return new SoakRun.Plan(draft, participants, tracks.stream().map(TrackSpec::parse).toList(), window.warmup(), window.duration(),
            window.drain(), seconds(sampleSeconds), seconds(churnIntervalSeconds), seconds(churnLifetimeSeconds),
            LossyLink.Netem.parse(netem), impairment, clientThreads);
    }
}
