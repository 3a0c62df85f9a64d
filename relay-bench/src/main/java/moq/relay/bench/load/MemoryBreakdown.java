package moq.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a process's resident memory is, for the {@code idle-sessions} breakdown ({@code --idle-breakdown}): its
 * {@code /proc/<pid>/smaps} resident kilobytes split into the Java heap (the range {@code jcmd GC.heap_info} prints),
 * glibc malloc ({@code [heap]} and the 64 MiB-aligned thread arenas), other anonymous mappings (thread stacks, large
 * malloc and direct buffers mapped on their own, metaspace, code cache) and file-backed mappings; beside it the raw
 * {@code jcmd} outputs of the JVM's own accounting (Native Memory Tracking, when the JVM runs with it) and, last since
 * it forces a full GC, the live heap's class histogram. Files {@code <label>-*.txt} (and the raw smaps) in the run's directory.
 */
final class MemoryBreakdown
{
    /** Resident kilobytes by where they are. */
    record Rss(long javaHeapKb, long mallocKb, long otherAnonKb, long fileKb)
    {
        long totalKb()
        {
            return javaHeapKb + mallocKb + otherAnonKb + fileKb;
        }
    }

    private static final Pattern HEAP_RANGE = Pattern.compile("\\[(0x[0-9a-f]+), (0x[0-9a-f]+)\\)");
    private static final long ARENA = 64L << 20;
    /** An smaps mapping's first line: {@code start-end perms offset dev inode [path]}. */
    private static final Pattern MAPPING = Pattern.compile("^[0-9a-f]+-[0-9a-f]+ ");

    private MemoryBreakdown()
    {
    }

    /**
     * Writes {@code <label>-smaps.txt}, {@code -nmt.txt}, {@code -trimmed-smaps.txt} (after {@code jcmd
     * System.trim_native_heap}), {@code -histo.txt} to {@code dir}; returns the split before the trim.
     */
    static Rss capture(final long pid, final Path dir, final String label) throws IOException, InterruptedException
    {
        final String heapInfo = jcmd(pid, "GC.heap_info");
        final List<String> smaps = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"));
        Files.write(dir.resolve(label + "-smaps-raw.txt"), smaps);
        final Rss rss = split(smaps, heapRange(heapInfo));
        Files.writeString(dir.resolve(label + "-smaps.txt"), String.format(Locale.ROOT,
            "java heap %d kB%nmalloc %d kB%nother anonymous %d kB%nfile-backed %d kB%ntotal %d kB%n%n%s",
            rss.javaHeapKb(), rss.mallocKb(), rss.otherAnonKb(), rss.fileKb(), rss.totalKb(), heapInfo));
        Files.writeString(dir.resolve(label + "-nmt.txt"), jcmd(pid, "VM.native_memory", "summary"));
        // How much of malloc's share is freed memory glibc keeps (fragmentation) rather than live allocations.
        final String trim = jcmd(pid, "System.trim_native_heap");
        final Rss trimmed = split(Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps")), heapRange(heapInfo));
        Files.writeString(dir.resolve(label + "-trimmed-smaps.txt"), String.format(Locale.ROOT,
            "java heap %d kB%nmalloc %d kB%nother anonymous %d kB%nfile-backed %d kB%ntotal %d kB%n%n%s",
            trimmed.javaHeapKb(), trimmed.mallocKb(), trimmed.otherAnonKb(), trimmed.fileKb(), trimmed.totalKb(), trim));
        Files.writeString(dir.resolve(label + "-histo.txt"), jcmd(pid, "GC.class_histogram"));
        return rss;
    }

    /** The Java heap's address range from {@code GC.heap_info} ({@code [start, end)}), or {0, 0}. */
    static long[] heapRange(final String heapInfo)
    {
        final Matcher m = HEAP_RANGE.matcher(heapInfo);
        return m.find() ? new long[] {Long.decode(m.group(1)), Long.decode(m.group(2))} : new long[] {0, 0};
    }

    /** Sums the {@code Rss:} lines of an smaps listing by mapping kind. */
    static Rss split(final List<String> smaps, final long[] heap)
    {
        long javaHeap = 0;
        long malloc = 0;
        long otherAnon = 0;
        long file = 0;
        String kind = "";
        for (final String line : smaps)
        {
            if (MAPPING.matcher(line).find())
            {
                kind = kind(line, heap);
            }
            else if (line.startsWith("Rss:"))
            {
                final long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                switch (kind)
                {
                    case "heap" -> javaHeap += kb;
                    case "malloc" -> malloc += kb;
                    case "anon" -> otherAnon += kb;
                    default -> file += kb;
                }
            }
        }
        return new Rss(javaHeap, malloc, otherAnon, file);
    }

    private static String kind(final String header, final long[] heap)
    {
        final String[] f = header.trim().split("\\s+");
        final int dash = f[0].indexOf('-');
        final long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
        final long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
        final String path = f.length > 5 ? f[5] : "";
        if (start < heap[1] && end > heap[0])
        {
            return "heap";
        }
        if ("[heap]".equals(path))
        {
            return "malloc";
        }
        if (path.isEmpty() || path.startsWith("["))
        {
            // glibc's thread arenas: 64 MiB-aligned reservations, partly committed (their first part is read-write).
            return start % ARENA == 0 && end - start <= ARENA && path.isEmpty() ? "malloc" : "anon";
        }
        return "file";
    }

    private static String jcmd(final long pid, final String... command) throws IOException, InterruptedException
    {
        final List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
            .toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final byte[] out = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
