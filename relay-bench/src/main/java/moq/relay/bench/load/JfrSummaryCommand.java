package moq.relay.bench.load;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code jfr-summary}: what {@code jfr print --events jdk.ExecutionSample} shows, summarised: the methods most
 * often on top of the sampled stacks (self time), and the relay's own methods most often anywhere on them
 * (inclusive), as shares of all samples.
 */
@Command(
    name = "jfr-summary",
    mixinStandardHelpOptions = true,
    description = "Summarise the jdk.ExecutionSample events of a JFR recording: top methods by self and inclusive "
        + "samples.")
final class JfrSummaryCommand implements Callable<Integer>
{
    @Parameters(paramLabel = "FILE", description = "A .jfr recording.")
    Path file;

    @Option(names = "--top", defaultValue = "25", description = "Rows per table (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--package", defaultValue = "moq.relay",
        description = "Package prefix for the inclusive table (default: ${DEFAULT-VALUE}).")
    String ownPackage;

    @Override
    public Integer call() throws Exception
    {
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (final RecordedEvent e : RecordingFile.readAllEvents(file))
        {
            if (!"jdk.ExecutionSample".equals(e.getEventType().getName()) || e.getStackTrace() == null)
            {
                continue;
            }
            samples++;
            final List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (!frames.isEmpty())
            {
                self.merge(name(frames.get(0)), 1, Integer::sum);
            }
            frames.stream().map(JfrSummaryCommand::name).filter(n -> n.startsWith(ownPackage)).distinct()
                .forEach(n -> inclusive.merge(n, 1, Integer::sum));
        }
        System.out.println(samples + " execution samples in " + file);
        print("self (top of stack)", self, samples);
        print("inclusive, " + ownPackage + ".*", inclusive, samples);
        return 0;
    }

    private void print(final String title, final Map<String, Integer> counts, final int samples)
    {
        System.out.println();
        System.out.println("| " + title + " | samples | share |");
        System.out.println("|---|---:|---:|");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
            .forEach(e -> System.out.printf(java.util.Locale.ROOT, "| `%s` | %d | %.1f %% |%n", e.getKey(),
                e.getValue(), 100.0 * e.getValue() / Math.max(1, samples)));
    }

    private static String name(final RecordedFrame f)
    {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
