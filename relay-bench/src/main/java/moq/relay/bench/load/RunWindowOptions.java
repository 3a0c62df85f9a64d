package moq.relay.bench.load;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The timeline and closed-loop bound of a run, shared by {@code run} and {@code scenario}. */
final class RunWindowOptions
{
    @Option(names = "--warmup", defaultValue = "10", description = "Seconds of sending before each measured window. "
        + "Every run starts a fresh relay or ceiling JVM: with a few seconds the window measures its JIT compiler "
        + "(with 2 s, half of a relay's CPU samples were the JIT) rather than its steady state (default: "
        + "${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--duration", defaultValue = "5", description = "Measured seconds (in scenarios: of throughput "
        + "(rate 0) runs; paced runs take --latency-duration) (default: ${DEFAULT-VALUE}).")
    double durationSeconds;

    @Option(names = "--drain", defaultValue = "2", description = "Seconds delivery may stay quiet after sending "
        + "stops before a run ends (default: ${DEFAULT-VALUE}).")
    double drainSeconds;

    @Option(names = "--max-queued", defaultValue = "262144", description = "Rate-0 publishers keep at most this many "
        + "bytes queued in their client or in flight to the slowest subscriber (default: ${DEFAULT-VALUE}).")
    long maxQueued;

    Duration warmup()
    {
        return seconds(warmupSeconds);
    }

    Duration duration()
    {
        return seconds(durationSeconds);
    }

    Duration drain()
    {
        return seconds(drainSeconds);
    }

    static Duration seconds(final double s)
    {
        return Duration.ofMillis((long)(s * 1000));
    }
}
