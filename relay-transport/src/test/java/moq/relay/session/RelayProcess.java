package moq.relay.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real relay, {@code java -jar target/moq-relay.jar serve}, as its own process on a loopback port, so that its
 * resident memory can be read from {@code /proc/<pid>/status} while peers misbehave. A daemon thread samples VmRSS
 * every 20 ms and keeps the peak since the last {@link #resetPeakRss()}. Closing sends SIGTERM, then kills.
 */
final class RelayProcess implements AutoCloseable
{
    static final Path JAR = Path.of("target", "moq-relay.jar");

    private final Process process;
    private final Path log;
    private final int port;
    private final AtomicLong peakRss = new AtomicLong();
    private final Thread sampler;
    /** Whether the relay runs its start-up warm-up ({@link #awaitWarmup()}). */
    private final boolean warmup;

    private RelayProcess(final Process process, final Path log, final int port, final boolean warmup)
    {
        this.process = process;
        this.warmup = warmup;
        this.log = log;
        this.port = port;
        this.sampler = new Thread(this::sample, "relay-rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts the jar with {@code jvmArgs} and {@code -D} {@code properties}; returns once it listens. */
    static RelayProcess start(final List<String> jvmArgs, final Map<String, String> properties, final Path log)
        throws IOException, InterruptedException
    {
        if (!Files.exists(JAR))
        {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: integration tests run after package");
        }
        final int port = freePort();
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dmoq.relay.port=" + port);
        command.add("-Dmoq.relay.bind.address=127.0.0.1");
        // Measured from "listening" on: no start-up warm-up running into the test's first seconds unless the properties
        // turn it on (they win; then awaitWarmup() waits for it).
        command.add("-D" + moq.relay.config.RelayConfiguration.WARMUP_DURATION_PROP_NAME + "=0s");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toString());
        command.add("serve");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        // A test JVM that dies (or is killed) takes its relay with it.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "relay-process-reaper"));
        final String warmup = properties.get(moq.relay.config.RelayConfiguration.WARMUP_DURATION_PROP_NAME);
        final RelayProcess relay = new RelayProcess(p, log, port, warmup != null && !java.time.Duration.ZERO.equals(
            moq.relay.config.RelayConfiguration.from(Map.of(
                moq.relay.config.RelayConfiguration.WARMUP_DURATION_PROP_NAME, warmup)).warmupDuration()));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!relay.logContains("listening on udp"))
        {
            if (!p.isAlive() || System.nanoTime() > deadline)
            {
                relay.close();
                throw new IllegalStateException("the relay did not start; see " + log.toAbsolutePath());
            }
            Thread.sleep(50);
        }
        return relay;
    }

    private static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    InetSocketAddress address()
    {
        return new InetSocketAddress("127.0.0.1", port);
    }

    int port()
    {
        return port;
    }

    long pid()
    {
        return process.pid();
    }

    boolean alive()
    {
        return process.isAlive();
    }

    Path log()
    {
        return log;
    }

    boolean logContains(final String text)
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8).contains(text);
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /**
     * Waits (up to 60 s) for the relay's start-up warm-up to end, if its settings turned it on (this class turns it
     * off unless they do): its summary line, "warm-up took ...", is logged when it has closed everything it opened.
     */
    void awaitWarmup() throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (warmup && !logContains("warm-up took") && !logContains("warm-up cancelled"))
        {
            if (!process.isAlive() || System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the relay's warm-up did not end; see " + log.toAbsolutePath());
            }
            Thread.sleep(50);
        }
    }

    /** VmRSS now, in bytes (0 once the process is gone). */
    long rssBytes()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")))
            {
                if (line.startsWith("VmRSS:"))
                {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // the process exited
        }
        return 0;
    }

    /** CPU seconds (utime + stime) process {@code pid} used so far; 0 when it cannot be read. */
    static double cpuSeconds(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name's closing parenthesis: state is field 3; utime, stime are 14 and 15.
            final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }
        catch (final IOException | RuntimeException e)
        {
            return 0;
        }
    }

    /**
     * CPU seconds the host charged to processes so far (user, nice and system in the first line of /proc/stat). It
     * leaves out interrupt and softirq time: on loopback that is mostly the kernel moving the relay's and the test's
     * own UDP packets, which /proc/[pid]/stat does not charge to either process, so counting it made an idle host
     * look busy with "other processes" (0.3-0.5 of a core during every attack window).
     */
    static double hostProcessSeconds()
    {
        try
        {
            final String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return (Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])) / 100.0;
        }
        catch (final IOException | RuntimeException e)
        {
            return Double.NaN;
        }
    }

    /**
     * CPU milliseconds the relay's threads used so far, by kind: {@code jit} (the C1 and C2 compiler threads),
     * {@code io} (the event loops, moq-relay-io-*), {@code vm} (the VM thread: SerialGC's collections, safepoints) and
     * {@code other}. CPU time, not wall time: what a burst costs the relay reads the same on a loaded host.
     */
    java.util.Map<String, Long> threadCpuMillis()
    {
        final java.util.Map<String, Long> byKind = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    final String stat = Files.readString(task.resolve("stat"));
                    final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    final String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    final long millis = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                    final String kind = name.contains("CompilerThre") ? "jit" : name.startsWith("moq-relay-io") ? "io" :
                        name.equals("VM Thread") ? "vm" : "other";
                    byKind.merge(kind, millis, Long::sum);
                }
                catch (final IOException | RuntimeException e)
                {
                    // the thread ended meanwhile
                }
            }
        }
        catch (final IOException e)
        {
            // the process exited
        }
        return byKind;
    }

    /** What {@link #threadCpuMillis()} grew by since {@code before}, as "jit 120 io 80 ...". */
    String threadCpuSince(final java.util.Map<String, Long> before)
    {
        final StringBuilder b = new StringBuilder();
        threadCpuMillis().forEach((kind, millis) -> b.append(b.length() == 0 ? "" : " ").append(kind).append(' ')
            .append(millis - before.getOrDefault(kind, 0L)));
        return b.toString();
    }

    /** CPU seconds the relay used so far. */
    double cpuSeconds()
    {
        return cpuSeconds(process.pid());
    }

    /** The highest VmRSS sampled since the last reset (and now). */
    long peakRss()
    {
        return Math.max(peakRss.get(), rssBytes());
    }

    void resetPeakRss()
    {
        peakRss.set(rssBytes());
    }

    private void sample()
    {
        while (process.isAlive())
        {
            final long rss = rssBytes();
            peakRss.accumulateAndGet(rss, Math::max);
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                return;
            }
        }
    }

    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        sampler.interrupt();
    }
}
