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
 * (inclusive), as shares of all samples. Threads running native code (quiche, epoll, the kernel's UDP path) are
 * not execution samples; {@code jdk.NativeMethodSample} counts them, by the Java method that called into native. The
 * allocation table weighs {@code jdk.ObjectAllocationSample} by bytes, by the first frame in the package.
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
        final Map<String, Integer> natives = new HashMap<>();
        final Map<String, Integer> allocations = new HashMap<>();
        int samples = 0;
        int nativeSamples = 0;
        long allocated = 0;
        for (final RecordedEvent e : RecordingFile.readAllEvents(file))
        {
            final String type = e.getEventType().getName();
            if (e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty())
            {
                continue;
            }
            if ("jdk.NativeMethodSample".equals(type))
            {
                nativeSamples++;
                natives.merge(name(e.getStackTrace().getFrames().get(0)), 1, Integer::sum);
                continue;
            }
            if ("jdk.ObjectAllocationSample".equals(type))
            {
                final long weight = e.getLong("weight");
                allocated += weight;
                final String site = e.getStackTrace().getFrames().stream().map(JfrSummaryCommand::name)
                    .filter(n -> n.startsWith(ownPackage)).findFirst().orElse("(outside " + ownPackage + ")");
                allocations.merge(site, (int)Math.min(Integer.MAX_VALUE, weight >> 10), Integer::sum);
                continue;
            }
            if (!"jdk.ExecutionSample".equals(type))
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
        System.out.println(samples + " execution samples (Java code) and " + nativeSamples +
            " native method samples in " + file + "; " + (allocated >> 20) + " MiB of sampled allocation weight");
        print("self (top of stack)", self, samples);
        print("inclusive, " + ownPackage + ".*", inclusive, samples);
        print("native method (thread in native code)", natives, nativeSamples);
        print("allocation KiB by first " + ownPackage + " frame", allocations,
            allocations.values().stream().mapToInt(Integer::intValue).sum());
        return 0;
    }

    private void print(final String title, final Map<String, Integer> counts, final int samples)
    {
        System.out.println();
        System.out.println("| " + title + " | count | share |");
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
