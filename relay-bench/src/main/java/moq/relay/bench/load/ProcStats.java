package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and resident memory of a Linux process, from {@code /proc/<pid>/stat} (utime + stime, in clock ticks of
 * {@link #TICKS_PER_SECOND}), {@code /proc/<pid>/task/<tid>/stat} (the same per thread) and
 * {@code /proc/<pid>/status} (VmRSS).
 */
public final class ProcStats
{
    /** USER_HZ, the unit of utime and stime: 100 on every mainstream Linux build (what {@code getconf CLK_TCK} says). */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStats()
    {
    }

    /** utime + stime of {@code pid} so far, in seconds (10 ms resolution). */
    public static double cpuSeconds(final long pid)
    {
        try
        {
            return cpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) /
                (double)TICKS_PER_SECOND;
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /**
     * utime + stime ticks of each JIT compiler thread of {@code pid} so far, by thread id: HotSpot's
     * {@code C1 CompilerThreadN} and {@code C2 CompilerThreadN} (the kernel keeps 15 characters of a thread's name).
     * HotSpot starts and stops compiler threads as its queue grows and shrinks, so a thread may exit while the
     * directory is read: it is then left out. Empty when {@code /proc} cannot be read.
     */
    public static Map<Long, Long> compilerThreadTicks(final long pid)
    {
        final Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task")))
        {
            for (final Path task : tasks)
            {
                try
                {
                    final String stat = Files.readString(task.resolve("stat"));
                    final int close = stat.lastIndexOf(')');
                    final String name = stat.substring(stat.indexOf('(') + 1, close);
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre"))
                    {
                        ticks.put(Long.parseLong(task.getFileName().toString()), cpuTicks(stat));
                    }
                }
                catch (final IOException | RuntimeException e)
                {
                    // The thread exited between listing and reading.
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // No such process, or no /proc: nothing counted.
        }
        return ticks;
    }

    /**
     * CPU seconds the compiler threads used between two {@link #compilerThreadTicks} readings. A thread that is in
     * the second reading only started in between and counts whole; one that exited in between is missing from the
     * second and counts nothing, so this is a lower bound (exiting threads are the idle ones).
     */
    public static double compilerCpuSeconds(final Map<Long, Long> start, final Map<Long, Long> end)
    {
        long ticks = 0;
        for (final Map.Entry<Long, Long> e : end.entrySet())
        {
            final long before = start.getOrDefault(e.getKey(), 0L);
            // Less than before: the thread id was reused by a new compiler thread.
            ticks += e.getValue() >= before ? e.getValue() - before : e.getValue();
        }
        return ticks / (double)TICKS_PER_SECOND;
    }

    /** utime + stime of one {@code stat} file's content (a process's or a thread's), in ticks. */
    private static long cpuTicks(final String stat)
    {
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state); utime and stime are fields 14 and 15.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** VmRSS of {@code pid}, in bytes. */
    public static long rssBytes(final long pid)
    {
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
            for (final String line : lines)
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
    }

    /**
     * Busy CPU time of the whole host so far, in seconds summed over cores: the first line of {@code /proc/stat}
     * minus idle and iowait (what every process, ours and others', used).
     */
    public static double hostBusySeconds()
    {
        try
        {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++)
            {
                if (i != 4 && i != 5)
                {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / (double)TICKS_PER_SECOND;
        }
        catch (final IOException | RuntimeException e)
        {
            return Double.NaN;
        }
    }

    /**
     * The host's UDP counters from {@code /proc/net/snmp}: {@code [OutDatagrams, RcvbufErrors]} (datagrams sent, and
     * datagrams dropped because a socket's receive buffer was full), or NaNs when unreadable.
     */
    public static long[] udpCounters()
    {
        try
        {
            final List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++)
            {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:"))
                {
                    final List<String> names = List.of(lines.get(i).trim().split("\\s+"));
                    final String[] values = lines.get(i + 1).trim().split("\\s+");
                    return new long[] {Long.parseLong(values[names.indexOf("OutDatagrams")]),
                        Long.parseLong(values[names.indexOf("RcvbufErrors")])};
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // fall through
        }
        return new long[] {-1, -1};
    }

    /**
     * The cores' clock in MHz: the mean of the {@code cpu MHz} lines of {@code /proc/cpuinfo} (on a VM, the
     * frequency the hypervisor reports, usually the nominal one), or NaN when there are none.
     */
    public static double cpuMegahertz()
    {
        try
        {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("cpu MHz"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(':') + 1).trim()))
                .average().orElse(Double.NaN);
        }
        catch (final IOException e)
        {
            return Double.NaN;
        }
    }
}
