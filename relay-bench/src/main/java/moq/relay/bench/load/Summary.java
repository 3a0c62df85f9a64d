package moq.relay.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The side-by-side reading of a scenario's runs: every run's figures, then for each relay run its ratios to the
 * ceiling run of the same point and fan-out (throughput, CPU per byte; at a paced point also p99: the direct hop with
 * the same subscribers, what the relay adds to) and to the floor run of the same point (p99: the one-subscriber hop).
 */
final class Summary
{
    private Summary()
    {
    }

    static String markdown(final List<RunResult> results)
    {
        final StringBuilder s = new StringBuilder();
        s.append("| series | point | fan-out | objects/s | payload Gbit/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms "
            + "| CPU s/GB | cycles/B | target cores | target JIT cores | generator cores | host busy cores "
            + "| UDP datagrams/object | UDP rcvbuf drops | lost | GC pauses | max GC pause ms |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
            + "|---:|\n");
        for (final RunResult r : results)
        {
            s.append(String.format(Locale.ROOT,
                "| %s | %s | %d | %,.0f | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f "
                    + "| %.2f | %.1f | %d | %d | %d | %.2f |%n",
                r.series(), r.point(), r.fanout(), r.objectsPerSecond(), r.payloadGbps(), r.p50Us() / 1e3,
                r.p90Us() / 1e3, r.p99Us() / 1e3, r.p999Us() / 1e3, r.maxUs() / 1e3, r.cpuSecondsPerGB(),
                r.cyclesPerByte(), r.cpuSeconds() / r.windowSeconds(), r.targetJitCores(),
                r.generatorCpuSeconds() / r.windowSeconds(),
                r.hostBusyCores(), r.udpDatagramsPerObject(), r.udpReceiveBufferDrops(), r.lost(), r.gcPauses(),
                r.gcMaxPauseMs()));
        }
        final List<String> ratios = ratios(results);
        if (!ratios.isEmpty())
        {
            s.append("\n| point | fan-out | relay/ceiling throughput | relay/ceiling CPU per byte "
                + "| relay p99 / direct hop p99 (same subscribers) | relay p99 / floor p99 (one-subscriber hop) |\n");
            s.append("|---|---:|---:|---:|---:|---:|\n");
            ratios.forEach(s::append);
        }
        return s.toString();
    }

    private static List<String> ratios(final List<RunResult> results)
    {
        final List<String> rows = new ArrayList<>();
        for (final RunResult relay : results)
        {
            if (!"relay".equals(relay.series()))
            {
                continue;
            }
            final Optional<RunResult> ceiling = find(results, "ceiling", relay.point(), relay.fanout());
            final Optional<RunResult> floor = find(results, "floor", relay.point(), -1);
            // Unpaced, each target queues as much as its closed loop lets it: latencies compare only when paced.
            final Optional<RunResult> directHop = ceiling.filter(c -> paced(relay) && paced(c));
            rows.add(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", relay.point(), relay.fanout(),
                ceiling.map(c -> ratio(relay.payloadGbps(), c.payloadGbps())).orElse("n/a"),
                ceiling.map(c -> ratio(relay.cpuSecondsPerGB(), c.cpuSecondsPerGB())).orElse("n/a"),
                directHop.map(c -> ratio(relay.p99Us(), c.p99Us())).orElse("n/a"),
                floor.map(f -> ratio(relay.p99Us(), f.p99Us())).orElse("n/a")));
        }
        return rows;
    }

    static Optional<RunResult> find(final List<RunResult> results, final String series, final String point,
        final int fanout)
    {
        return results.stream().filter(r -> r.series().equals(series) && r.point().equals(point) &&
            (fanout < 0 || r.fanout() == fanout)).findFirst();
    }

    /** Whether every track of the run has a rate (none is sent as fast as flow control allows). */
    static boolean paced(final RunResult r)
    {
        if (r.tracks() == null || r.tracks().isBlank())
        {
            return false;
        }
        for (final String t : r.tracks().trim().split("\\s+"))
        {
            if (TrackSpec.parse(t).rate() <= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static String ratio(final double a, final double b)
    {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
