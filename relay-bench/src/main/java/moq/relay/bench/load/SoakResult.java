package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What a soak found (results.json), its summary.md and its plot.png (RSS and heap after GC over time). Memory figures
 * in MiB; "warm-up end" is the mean over the first tenth of the window after the warm-up, "end" over the last tenth;
 * slopes are least-squares fits over the whole window after the warm-up, per hour.
 */
record SoakResult(
    String started,
    String impairment,
    String netem,
    int participants,
    String tracks,
    double warmupSeconds,
    double durationSeconds,
    int healthySessions,
    int healthySubscriptions,
    long published,
    long expected,
    long received,
    long lost,
    long skippedGroups,
    long skippedObjects,
    long minReceivedPerSubscription,
    long maxReceivedPerSubscription,
    int healthySessionFailures,
    List<String> healthyFailureReasons,
    double rssWarmupEndMiB,
    double rssEndMiB,
    double rssMaxMiB,
    double rssSlopeMiBPerHour,
    double heapAfterGcWarmupEndMiB,
    double heapAfterGcEndMiB,
    double heapAfterGcSlopeMiBPerHour,
    int gcPauses,
    double maxGcPauseMillis,
    double relayCpuSeconds,
    long churnOpened,
    long churnClosedCleanly,
    long churnFailed,
    List<String> churnFailures,
    long linkForwarded,
    long linkDropped,
    long linkReordered,
    List<SoakSubscribers.Counts> subscriptions,
    List<SoakRun.Sample> samples,
    List<HeapLog.Point> heapAfterGc)
{
    static SoakResult of(final SoakRun.Plan plan, final Instant started, final List<SoakRun.Sample> samples,
        final List<SoakSubscribers.Counts> counts, final int sessions, final int sessionFailures,
        final List<String> failureReasons, final SoakChurn churn, final GcLog gc, final HeapLog heap,
        final double relayUptimeAtStart, final LossyLink link)
    {
        final double warm = plan.warmup().toMillis() / 1e3;
        final double end = warm + plan.duration().toMillis() / 1e3;
        final List<double[]> rss = new ArrayList<>();
        for (final SoakRun.Sample s : samples)
        {
            if (s.seconds() >= warm)
            {
                rss.add(new double[] {s.seconds(), s.rssBytes() / 1048576.0});
            }
        }
        // The heap log counts from the relay JVM's start; the samples from the soak's.
        final List<HeapLog.Point> shifted = heap.afterGc().stream()
            .map(p -> new HeapLog.Point(p.seconds() - relayUptimeAtStart, p.mib()))
            .filter(p -> p.seconds() >= 0).collect(Collectors.toList());
        final List<double[]> live = shifted.stream().filter(p -> p.seconds() >= warm && p.seconds() <= end)
            .map(p -> new double[] {p.seconds(), p.mib()}).collect(Collectors.toList());
        long published = 0;
        long expected = 0;
        long received = 0;
        long lost = 0;
        long skippedGroups = 0;
        long skippedObjects = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (final SoakSubscribers.Counts c : counts)
        {
            expected += c.published();
            received += c.received();
            lost += c.lost();
            skippedGroups += c.skippedGroups();
            skippedObjects += c.skippedObjects();
            min = Math.min(min, c.received());
            max = Math.max(max, c.received());
        }
        for (final String label : counts.stream().map(SoakSubscribers.Counts::track).distinct().toList())
        {
            published += counts.stream().filter(c -> c.track().equals(label)).findFirst().orElseThrow().published();
        }
        final double cpu = samples.isEmpty() ? Double.NaN
            : samples.get(samples.size() - 1).cpuSeconds() - samples.get(0).cpuSeconds();
        return new SoakResult(started.toString(), plan.impairment(), plan.netem().toString(), plan.participants(),
            plan.tracks().stream().map(TrackSpec::toString).collect(Collectors.joining(" ")), warm,
            plan.duration().toMillis() / 1e3, sessions, counts.size(), published, expected, received, lost,
            skippedGroups, skippedObjects, counts.isEmpty() ? 0 : min, max, sessionFailures, failureReasons,
            meanOfTenth(rss, true), meanOfTenth(rss, false), rss.stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN),
            slopePerHour(rss), meanOfTenth(live, true), meanOfTenth(live, false), slopePerHour(live), gc.pauses(),
            gc.maxPauseMillis(), cpu, churn.opened.get(), churn.closedCleanly.get(), churn.failed.get(),
            List.copyOf(churn.failures), link == null ? -1 : link.forwarded.get(),
            link == null ? -1 : link.dropped.get(), link == null ? -1 : link.reordered.get(), counts, samples,
            shifted);
    }

    /** Mean of the first (or last) tenth of the points, at least one point. */
    static double meanOfTenth(final List<double[]> points, final boolean first)
    {
        if (points.isEmpty())
        {
            return Double.NaN;
        }
        final int n = Math.max(1, points.size() / 10);
        final List<double[]> part = first ? points.subList(0, n) : points.subList(points.size() - n, points.size());
        return part.stream().mapToDouble(p -> p[1]).average().orElse(Double.NaN);
    }

    /** Least-squares slope of y over x (seconds), per hour. */
    static double slopePerHour(final List<double[]> points)
    {
        if (points.size() < 2)
        {
            return Double.NaN;
        }
        final double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        final double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (final double[] p : points)
        {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx * 3600;
    }

    /** results.json, summary.md and plot.png into {@code dir} (soak.csv is written while the soak runs). */
    void write(final Path dir, final String header) throws IOException
    {
        ResultsFiles.JSON.writeValue(dir.resolve("results.json").toFile(), this);
        Files.writeString(dir.resolve("summary.md"), markdown(header));
        plot(dir.resolve("plot.png"));
    }

    String markdown(final String header)
    {
        final StringBuilder b = new StringBuilder("# soak\n\n").append(header).append('\n');
        b.append(String.format(Locale.ROOT, "Started %s; %.0f s warm-up + %.0f s measured; impairment: %s (%s); "
            + "%d steady participants publishing %s, each subscribed to everyone else; churn participants joining and "
            + "leaving throughout.%n%n", started, warmupSeconds, durationSeconds, netem, impairment, participants,
            tracks));
        b.append("| figure | value |\n|---|---:|\n");
        row(b, "healthy subscriber sessions / subscriptions", healthySessions + " / " + healthySubscriptions);
        row(b, "objects published (all tracks)", String.format(Locale.ROOT, "%,d", published));
        row(b, "objects expected by healthy subscribers", String.format(Locale.ROOT, "%,d", expected));
        row(b, "objects received by healthy subscribers", String.format(Locale.ROOT, "%,d", received));
        row(b, "received per subscription (min / max)", String.format(Locale.ROOT, "%,d / %,d",
            minReceivedPerSubscription, maxReceivedPerSubscription));
        row(b, "**lost** (missing from groups whose End of Group arrived)", "**" + lost + "**");
        row(b, "skips: incomplete groups (reset or never opened) / their missing objects",
            skippedGroups + " / " + skippedObjects);
        row(b, "healthy sessions closed by the relay", Integer.toString(healthySessionFailures));
        row(b, "relay RSS MiB: warm-up end / end / max", String.format(Locale.ROOT, "%.1f / %.1f / %.1f",
            rssWarmupEndMiB, rssEndMiB, rssMaxMiB));
        row(b, "relay RSS slope after warm-up, MiB/h", String.format(Locale.ROOT, "%.2f", rssSlopeMiBPerHour));
        row(b, "relay heap after GC MiB: warm-up end / end", String.format(Locale.ROOT, "%.1f / %.1f",
            heapAfterGcWarmupEndMiB, heapAfterGcEndMiB));
        row(b, "relay heap-after-GC slope, MiB/h", String.format(Locale.ROOT, "%.2f", heapAfterGcSlopeMiBPerHour));
        row(b, "GC pauses / longest ms", String.format(Locale.ROOT, "%d / %.2f", gcPauses, maxGcPauseMillis));
        row(b, "relay CPU seconds (whole soak)", String.format(Locale.ROOT, "%.1f", relayCpuSeconds));
        row(b, "churn sessions opened / closed cleanly / failed", churnOpened + " / " + churnClosedCleanly + " / " +
            churnFailed);
        if (linkForwarded >= 0)
        {
            row(b, "user-space link: datagrams forwarded / dropped / sent ahead (reordered)",
                String.format(Locale.ROOT, "%,d / %,d / %,d", linkForwarded, linkDropped, linkReordered));
        }
        b.append('\n');
        if (!healthyFailureReasons.isEmpty() || !churnFailures.isEmpty())
        {
            b.append("Failures:\n\n");
            healthyFailureReasons.forEach(r -> b.append("* healthy ").append(r).append('\n'));
            churnFailures.forEach(r -> b.append("* ").append(r).append('\n'));
            b.append('\n');
        }
        b.append("![soak](plot.png)\n");
        return b.toString();
    }

    private static void row(final StringBuilder b, final String name, final String value)
    {
        b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }

    void plot(final Path png) throws IOException
    {
        final XYChart c = new XYChartBuilder().width(1000).height(500).title("soak: relay memory over time")
            .xAxisTitle("minutes").yAxisTitle("MiB").build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        if (!samples.isEmpty())
        {
            final XYSeries s = c.addSeries("RSS", samples.stream().map(p -> p.seconds() / 60).toList(),
                samples.stream().map(p -> p.rssBytes() / 1048576.0).toList());
            s.setMarker(SeriesMarkers.NONE);
        }
        if (!heapAfterGc.isEmpty())
        {
            final XYSeries h = c.addSeries("heap after GC", heapAfterGc.stream().map(p -> p.seconds() / 60).toList(),
                heapAfterGc.stream().map(HeapLog.Point::mib).toList());
            h.setMarker(SeriesMarkers.CIRCLE);
            h.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        if (samples.isEmpty() && heapAfterGc.isEmpty())
        {
            c.addSeries("no samples", new double[] {0}, new double[] {0});
        }
        final double warm = warmupSeconds / 60;
        final XYSeries w = c.addSeries("warm-up end", new double[] {warm, warm},
            new double[] {0, Math.max(1, rssMaxMiB)});
        w.setMarker(SeriesMarkers.NONE);
        BitmapEncoder.saveBitmap(c, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
