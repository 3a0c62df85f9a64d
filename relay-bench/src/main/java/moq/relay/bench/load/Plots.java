package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The scenario's PNG: latency percentiles and payload throughput against fan-out, one colour per series and point
 * (p50 solid, p99 dashed, p99.9 dotted).
 */
final class Plots
{
    private static final java.awt.Color[] COLOURS = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
        new java.awt.Color(0x2ca02c), new java.awt.Color(0xd62728), new java.awt.Color(0x9467bd),
        new java.awt.Color(0x8c564b)};

    private Plots()
    {
    }

    static void write(final String scenario, final List<RunResult> results, final Path png) throws IOException
    {
        write(scenario, results, "fan-out (subscribers per track)", RunResult::fanout,
            r -> r.series() + " " + r.point(), png);
    }

    /**
     * The video-call ramp's PNG: against the participants in all, one line per series and call size (a point's name
     * is {@code call<size>x<calls>}).
     */
    static void writeCalls(final List<RunResult> results, final Path png) throws IOException
    {
        write("video-call", results, "participants (all calls)", RunResult::publishers,
            r -> r.series() + " calls of " + r.point().substring("call".length(), r.point().indexOf('x')), png);
    }

    private static void write(final String scenario, final List<RunResult> results, final String xTitle,
        final ToDoubleFunction<RunResult> xOf, final Function<RunResult, String> lineOf, final Path png)
        throws IOException
    {
        final XYChart latency = chart(scenario + ": end-to-end latency", xTitle, "latency (ms)");
        final XYChart throughput = chart(scenario + ": delivered payload", xTitle, "Gbit/s");
        final Map<String, List<RunResult>> lines = new LinkedHashMap<>();
        for (final RunResult r : results)
        {
            lines.computeIfAbsent(lineOf.apply(r), k -> new ArrayList<>()).add(r);
        }
        int colour = 0;
        for (final Map.Entry<String, List<RunResult>> e : lines.entrySet())
        {
            final List<RunResult> rs = e.getValue();
            final double[] x = rs.stream().mapToDouble(xOf).toArray();
            final java.awt.Color c = COLOURS[colour++ % COLOURS.length];
            line(latency, e.getKey() + " p50", x, rs.stream().mapToDouble(r -> r.p50Us() / 1e3).toArray(), c,
                SeriesLines.SOLID);
            line(latency, e.getKey() + " p99", x, rs.stream().mapToDouble(r -> r.p99Us() / 1e3).toArray(), c,
                SeriesLines.DASH_DASH);
            line(latency, e.getKey() + " p99.9", x, rs.stream().mapToDouble(r -> r.p999Us() / 1e3).toArray(), c,
                SeriesLines.DOT_DOT);
            line(throughput, e.getKey(), x, rs.stream().mapToDouble(RunResult::payloadGbps).toArray(), c,
                SeriesLines.SOLID);
        }
        final List<Chart> charts = new ArrayList<>();
        charts.add(latency);
        charts.add(throughput);
        BitmapEncoder.saveBitmap(charts, 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(final String title, final String xTitle, final String yTitle)
    {
        final XYChart c = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle(xTitle)
            .yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return c;
    }

    private static void line(final XYChart chart, final String name, final double[] x, final double[] y,
        final java.awt.Color colour, final java.awt.BasicStroke style)
    {
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        for (int i = 0; i < x.length; i++)
        {
            if (!Double.isNaN(y[i]) && y[i] > 0)
            {
                xs.add(x[i]);
                ys.add(y[i]);
            }
        }
        if (!xs.isEmpty())
        {
            final XYSeries s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(colour);
            s.setMarkerColor(colour);
            s.setLineStyle(style);
        }
    }
}
