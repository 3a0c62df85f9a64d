package moq.relay.bench.load;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Splits the host's CPUs between the measured target (relay or ceiling: the last CPU) and the load generator (the
 * others) with {@code taskset} (util-linux), so that on a small host the two do not take CPU time from each other and
 * the target's figures are its own: without it, relay and generator share every core and how the scheduler splits
 * them decides the throughput (measured on a 2-core VM). The target is started under {@code taskset -c}; the generator
 * pins all of its threads once ({@code taskset -a -p}), and the threads it starts later inherit its CPUs.
 */
final class CpuPinning
{
    private final String targetCpus;
    private final String generatorCpus;

    private CpuPinning(final String targetCpus, final String generatorCpus)
    {
        this.targetCpus = targetCpus;
        this.generatorCpus = generatorCpus;
    }

    /** The last CPU for the target, the rest for the generator; null on a single-CPU host (nothing to split). */
    static CpuPinning split()
    {
        final int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2)
        {
            return null;
        }
        return new CpuPinning(Integer.toString(cpus - 1), cpus == 2 ? "0" : "0-" + (cpus - 2));
    }

    /** What the target's command line starts with. */
    List<String> targetPrefix()
    {
        return List.of("taskset", "-c", targetCpus);
    }

    /** Pins every thread of this process (the generator) to its CPUs. */
    void pinGenerator() throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", generatorCpus,
            Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
        {
            throw new IllegalStateException("taskset could not pin the load generator to CPUs " + generatorCpus +
                " (install util-linux, or run with --no-pin): " + out.trim());
        }
    }

    String targetCpus()
    {
        return targetCpus;
    }

    String generatorCpus()
    {
        return generatorCpus;
    }
}
