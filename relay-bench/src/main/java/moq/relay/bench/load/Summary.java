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
            + "| UDP datagrams/object | UDP rcvbuf drops | lost | skipped | GC pauses | max GC pause ms |\n");
        s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:"
            + "|---:|---:|\n");
        for (final RunResult r : results)
        {
            s.append(String.format(Locale.ROOT,
                "| %s | %s | %d | %,.0f | %.3f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f "
                    + "| %.2f | %.1f | %d | %d | %d | %d | %.2f |%n",
                r.series(), r.point(), r.fanout(), r.objectsPerSecond(), r.payloadGbps(), r.p50Us() / 1e3,
                r.p90Us() / 1e3, r.p99Us() / 1e3, r.p999Us() / 1e3, r.maxUs() / 1e3, r.cpuSecondsPerGB(),
                r.cyclesPerByte(), r.cpuSeconds() / r.windowSeconds(), r.targetJitCores(),
                r.generatorCpuSeconds() / r.windowSeconds(),
                r.hostBusyCores(), r.udpDatagramsPerObject(), r.udpReceiveBufferDrops(), r.lost(), r.skipped(), r.gcPauses(),
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

    /**
     * The cluster scenario's question: what each relay hop adds. Per fan-out, at 30 objects/s: the direct hop
     * (ceiling), one relay, two relays in a chain; the first hop's added latency is one relay minus the direct hop,
     * the second's two relays minus one; the target is at most 1 ms of added p99 per hop. CPU per delivered byte is
     * per relay (a chain's CPU divided by its two relays).
     */
    static String clusterHops(final List<RunResult> results)
    {
        final StringBuilder s = new StringBuilder();
        s.append("| fan-out | direct p50 / p99 ms | 1 relay p50 / p99 ms | 2 relays p50 / p99 ms "
            + "| hop 1 added p50 / p99 ms | hop 2 added p50 / p99 ms | added p99 per hop <= 1 ms "
            + "| CPU s/GB per relay at full speed, 1 relay / 2 relays |\n");
        s.append("|---:|---:|---:|---:|---:|---:|---|---:|\n");
        for (final RunResult one : results)
        {
            if (!"relay".equals(one.series()) || !"30/s".equals(one.point()))
            {
                continue;
            }
            final int f = one.fanout();
            final Optional<RunResult> direct = find(results, "ceiling", "30/s", f);
            final Optional<RunResult> two = find(results, "relay2", "30/s", f);
            final Optional<RunResult> oneMax = find(results, "relay", "max", f);
            final Optional<RunResult> twoMax = find(results, "relay2", "max", f);
            final double hop1p99 = direct.map(d -> (one.p99Us() - d.p99Us()) / 1e3).orElse(Double.NaN);
            final double hop2p99 = two.map(t -> (t.p99Us() - one.p99Us()) / 1e3).orElse(Double.NaN);
            s.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s / %s |%n", f,
                direct.map(Summary::p50p99).orElse("n/a"), p50p99(one), two.map(Summary::p50p99).orElse("n/a"),
                direct.map(d -> diff(one, d)).orElse("n/a"), two.map(t -> diff(t, one)).orElse("n/a"),
                verdict(hop1p99, hop2p99),
                oneMax.map(r -> String.format(Locale.ROOT, "%.1f", r.cpuSecondsPerGB())).orElse("n/a"),
                twoMax.map(r -> String.format(Locale.ROOT, "%.1f", r.cpuSecondsPerGB() / 2)).orElse("n/a")));
        }
        return s.toString();
    }

    /**
     * Whether both hops added at most 1 ms of p99; "inconclusive" when a hop measured faster than the one before
     * it (a negative difference is the machine's noise, not a relay that removes latency).
     */
    static String verdict(final double hop1p99Ms, final double hop2p99Ms)
    {
        if (Double.isNaN(hop1p99Ms) || Double.isNaN(hop2p99Ms))
        {
            return "n/a";
        }
        if (hop1p99Ms < 0 || hop2p99Ms < 0)
        {
            return "inconclusive (a hop measured faster than the one before)";
        }
        return hop1p99Ms <= 1 && hop2p99Ms <= 1 ? "yes" : "no";
    }

    private static String p50p99(final RunResult r)
    {
        return String.format(Locale.ROOT, "%.2f / %.2f", r.p50Us() / 1e3, r.p99Us() / 1e3);
    }

    private static String diff(final RunResult a, final RunResult b)
    {
        return String.format(Locale.ROOT, "%+.2f / %+.2f", (a.p50Us() - b.p50Us()) / 1e3, (a.p99Us() - b.p99Us()) / 1e3);
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
