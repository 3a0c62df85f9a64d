package moq.relay.bench.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM (the relay or the ceiling sender) whose stdout and stderr go to a log file; the load generator waits
 * for lines in that file and may write commands to its stdin. Closing sends SIGTERM, then kills after 10 s.
 */
final class JavaProcess implements AutoCloseable
{
    private final Process process;
    private final Path log;

    private JavaProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /** {@code <prefix> java <jvmArgs> <mainArgs>} (prefix: e.g. {@code taskset -c 1}), run from the current directory. */
    static JavaProcess start(final List<String> prefix, final List<String> jvmArgs, final List<String> mainArgs,
        final Path log) throws IOException
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(mainArgs);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        final Process p = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
        return new JavaProcess(p, log);
    }

    long pid()
    {
        return process.pid();
    }

    /** Waits until a log line matches {@code pattern}; returns the match (fails if the process dies first). */
    Matcher await(final Pattern pattern, final long timeoutMillis) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true)
        {
            for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
            {
                final Matcher m = pattern.matcher(line);
                if (m.find())
                {
                    return m;
                }
            }
            if (!process.isAlive())
            {
                throw new IllegalStateException("process exited (" + process.exitValue() + ") before printing " +
                    pattern + "; see " + log);
            }
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("no line matching " + pattern + " within " + timeoutMillis +
                    " ms; see " + log);
            }
            Thread.sleep(50);
        }
    }

    List<String> lines() throws IOException
    {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    void command(final String line) throws IOException
    {
        final OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
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
    }
}
