package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The scenario's PNG: latency percentiles and payload throughput against fan-out, one line per series and point. */
final class Plots
{
    private Plots()
    {
    }

    static void write(final String scenario, final List<RunResult> results, final Path png) throws IOException
    {
        final XYChart latency = chart(scenario + ": end-to-end latency", "latency (ms)");
        final XYChart throughput = chart(scenario + ": delivered payload", "Gbit/s");
        final Map<String, List<RunResult>> lines = new LinkedHashMap<>();
        for (final RunResult r : results)
        {
            lines.computeIfAbsent(r.series() + " " + r.point(), k -> new ArrayList<>()).add(r);
        }
        for (final Map.Entry<String, List<RunResult>> e : lines.entrySet())
        {
            final List<RunResult> rs = e.getValue();
            final double[] x = rs.stream().mapToDouble(RunResult::fanout).toArray();
            line(latency, e.getKey() + " p50", x, rs.stream().mapToDouble(r -> r.p50Us() / 1e3).toArray());
            line(latency, e.getKey() + " p99", x, rs.stream().mapToDouble(r -> r.p99Us() / 1e3).toArray());
            line(latency, e.getKey() + " p99.9", x, rs.stream().mapToDouble(r -> r.p999Us() / 1e3).toArray());
            line(throughput, e.getKey(), x, rs.stream().mapToDouble(RunResult::payloadGbps).toArray());
        }
        final List<Chart> charts = new ArrayList<>();
        charts.add(latency);
        charts.add(throughput);
        BitmapEncoder.saveBitmap(charts, 1, 2, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYChart chart(final String title, final String yTitle)
    {
        final XYChart c = new XYChartBuilder().width(800).height(560).title(title).xAxisTitle("fan-out (subscribers "
            + "per track)").yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        return c;
    }

    private static void line(final XYChart chart, final String name, final double[] x, final double[] y)
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
        }
    }
}
