package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Stop-the-world pauses from a unified JVM GC log ({@code -Xlog:gc*:file=...}): their count and the longest. */
public record GcLog(int pauses, double maxPauseMillis)
{
    /**
     * One line per pause: G1 and Shenandoah summarise each under the {@code gc} tag ({@code GC(3) Pause Young (Normal)
     * ... 2.345ms}), ZGC under {@code gc,phases} ({@code GC(3) Pause Mark Start 0.012ms}).
     */
    private static final Pattern PAUSE = Pattern.compile(
        "\\[gc(?:,phases)?\\s*\\].*\\bPause\\b.*?(\\d+(?:\\.\\d+)?)ms\\s*$");

    public static GcLog read(final Path file)
    {
        int pauses = 0;
        double max = 0;
        try
        {
            if (!Files.exists(file))
            {
                return new GcLog(0, Double.NaN);
            }
            for (final String line : Files.readAllLines(file))
            {
                final Matcher m = PAUSE.matcher(line);
                if (m.find())
                {
                    pauses++;
                    max = Math.max(max, Double.parseDouble(m.group(1)));
                }
            }
        }
        catch (final IOException e)
        {
            return new GcLog(0, Double.NaN);
        }
        return new GcLog(pauses, max);
    }
}
