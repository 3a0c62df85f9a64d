package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap after each collection, from a unified GC log with the default decorators ({@code [12.345s][info][gc]
 * GC(5) Pause Young (Normal) (G1 Evacuation Pause) 100M->20M(512M) 2.345ms}, ZGC: {@code ... Garbage Collection
 * (Allocation Rate) 100M(10%)->40M(4%)}): what is live, so a leak shows as a rising floor, not as the saw-tooth.
 */
record HeapLog(List<Point> afterGc)
{
    /** Seconds since the JVM started, heap used after the collection in MiB. */
    record Point(double seconds, double mib)
    {
    }

    private static final Pattern LINE = Pattern.compile(
        "^\\[(\\d+(?:\\.\\d+)?)s\\].*\\[gc\\s*\\] GC\\(\\d+\\) .*?\\d+M(?:\\(\\d+%\\))?->(\\d+)M");

    static HeapLog read(final Path gcLog)
    {
        final List<Point> points = new ArrayList<>();
        try
        {
            if (Files.exists(gcLog))
            {
                for (final String line : Files.readAllLines(gcLog))
                {
                    final Matcher m = LINE.matcher(line);
                    if (m.find())
                    {
                        points.add(new Point(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
                    }
                }
            }
        }
        catch (final IOException e)
        {
            // No heap series: the summary says so (NaN).
        }
        return new HeapLog(points);
    }
}
