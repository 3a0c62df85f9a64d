package moq.relay.bench.load;

import java.util.List;
import java.util.Locale;

/**
 * The figures of one run (one target, one workload). Latencies in microseconds; CPU is the target process's
 * utime + stime over the measured window; cycles per byte = CPU seconds x {@code cpuMhz} x 10^6 / delivered payload
 * bytes (the clock /proc/cpuinfo reports, so an estimate of cycles, not a counter).
 *
 * @param series    {@code relay}, {@code ceiling} (plain Netty sender) or {@code floor} (the ceiling with one
 *                  subscriber per track: one direct QUIC hop).
 * @param point     what the run measures within its scenario, e.g. {@code max} (rate 0) or {@code 30/s}.
 * @param expected  objects that should have arrived: the sum over tracks of objects sent times subscribers.
 * @param lost      expected minus delivered minus skipped: objects genuinely lost (missing from a group whose stream
 *                  ended without a skip, or still in flight when the drain ended; perf/README.md, "lost and skipped").
 * @param skipped   objects the relay deliberately did not deliver: missing from group streams it reset with
 *                  TOO_FAR_BEHIND and the groups that skip jumped over, plus whole missing groups its own skip
 *                  counters account for ({@link SkipAttribution}).
 * @param targetJitCores the target's JIT compiler threads' CPU seconds in the window over the window: how much of the
 *                  target's CPU went to compiling rather than to the work (a warm-up too short shows here).
 * @param generatorCpuSeconds the load generator's own CPU seconds in the window (publishers and subscribers).
 * @param hostBusyCores       busy cores of the whole host in the window, every process included (how loaded the
 *                            machine was: target + generator + anything else).
 * @param udpDatagramsPerObject UDP datagrams the host sent in the window (every process: packets and ACKs both
 *                            ways) per object delivered in it.
 * @param udpReceiveBufferDrops datagrams the host dropped in the window because a socket's receive buffer was full
 *                            (QUIC then retransmits and its congestion control backs off).
 */
public record RunResult(
    String scenario,
    String series,
    String point,
    int fanout,
    String draft,
    int publishers,
    String tracks,
    int sessions,
    int subscriptions,
    double windowSeconds,
    long published,
    long expected,
    long delivered,
    long lost,
    long skipped,
    int sessionFailures,
    double objectsPerSecond,
    double payloadGbps,
    long latencySamples,
    double p50Us,
    double p90Us,
    double p99Us,
    double p999Us,
    double maxUs,
    double cpuSeconds,
    double cpuSecondsPerGB,
    double cyclesPerByte,
    double cpuMhz,
    double targetJitCores,
    double generatorCpuSeconds,
    double hostBusyCores,
    double udpDatagramsPerObject,
    long udpReceiveBufferDrops,
    long rssBytes,
    double gcMaxPauseMs,
    int gcPauses,
    String histogramLog)
{
    public static final List<String> CSV_COLUMNS = List.of("scenario", "series", "point", "fanout", "draft",
        "publishers", "tracks", "sessions", "subscriptions", "windowSeconds", "published", "expected", "delivered",
        "lost", "skipped", "sessionFailures", "objectsPerSecond", "payloadGbps", "latencySamples", "p50Us", "p90Us", "p99Us",
        "p999Us", "maxUs", "cpuSeconds", "cpuSecondsPerGB", "cyclesPerByte", "cpuMhz", "targetJitCores",
        "generatorCpuSeconds", "hostBusyCores", "udpDatagramsPerObject", "udpReceiveBufferDrops", "rssBytes",
        "gcMaxPauseMs", "gcPauses", "histogramLog");

    public RunResult withGc(final double maxPauseMs, final int pauses)
    {
        return new RunResult(scenario, series, point, fanout, draft, publishers, tracks, sessions, subscriptions,
            windowSeconds, published, expected, delivered, lost, skipped, sessionFailures, objectsPerSecond, payloadGbps,
            latencySamples, p50Us, p90Us, p99Us, p999Us, maxUs, cpuSeconds, cpuSecondsPerGB, cyclesPerByte, cpuMhz,
            targetJitCores, generatorCpuSeconds, hostBusyCores, udpDatagramsPerObject, udpReceiveBufferDrops,
            rssBytes, maxPauseMs, pauses, histogramLog);
    }

    public static String csvHeader()
    {
        return String.join(",", CSV_COLUMNS);
    }

    public String csvRow()
    {
        return String.join(",", List.of(scenario, series, point, Integer.toString(fanout), draft,
            Integer.toString(publishers), '"' + tracks + '"', Integer.toString(sessions), Integer.toString(subscriptions),
            num(windowSeconds), Long.toString(published), Long.toString(expected), Long.toString(delivered),
            Long.toString(lost), Long.toString(skipped), Integer.toString(sessionFailures), num(objectsPerSecond), num(payloadGbps),
            Long.toString(latencySamples), num(p50Us), num(p90Us), num(p99Us), num(p999Us), num(maxUs),
            num(cpuSeconds), num(cpuSecondsPerGB), num(cyclesPerByte), num(cpuMhz), num(targetJitCores),
            num(generatorCpuSeconds),
            num(hostBusyCores), num(udpDatagramsPerObject), Long.toString(udpReceiveBufferDrops),
            Long.toString(rssBytes),
            num(gcMaxPauseMs), Integer.toString(gcPauses), histogramLog));
    }

    private static String num(final double v)
    {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
