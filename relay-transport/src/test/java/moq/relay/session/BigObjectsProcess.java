package moq.relay.session;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.wire.TrackNamespace;

/**
 * {@link BigObjects} in a JVM of its own, so that its clients' CPU, allocation and GC are not the healthy pairs'
 * JVM's. {@link #start} launches it with this JVM's class path; {@link #burst} runs one burst there and returns once
 * its three large objects arrived. The child reads commands on stdin and answers on stdout, one line each.
 */
final class BigObjectsProcess implements AutoCloseable
{
    private final Process process;
    private final BufferedReader answers;
    private final PrintStream commands;

    private BigObjectsProcess(final Process process)
    {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static BigObjectsProcess start(final InetSocketAddress relay, final List<String> jvmArgs) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        // This JVM's module exports (Agrona needs jdk.internal.misc), as the build passed them to it.
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-")).forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(BigObjectsProcess.class.getName());
        command.add(Integer.toString(relay.getPort()));
        final Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "big-objects-reaper"));
        final BigObjectsProcess child = new BigObjectsProcess(p);
        child.expect("ready");
        return child;
    }

    private String expect(final String prefix) throws IOException
    {
        String line;
        while ((line = answers.readLine()) != null)
        {
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
        throw new IOException("the big-objects process ended (expected '" + prefix + "')");
    }

    /** One burst; returns the child's answer ({@code done <arrived> <matched> <millis>}). */
    String burst() throws IOException
    {
        commands.println("burst");
        return expect("done");
    }

    @Override
    public void close()
    {
        commands.println("quit");
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        try (BigObjects big = new BigObjects(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])),
            TrackNamespace.of("big")))
        {
            System.out.println("ready");
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && line.equals("burst"))
            {
                final long g = big.nextGroup();
                final long start = System.nanoTime();
                big.burst();
                final long deadline = start + TimeUnit.SECONDS.toNanos(10);
                while (big.arrived(g) < 3 && System.nanoTime() < deadline)
                {
                    Thread.sleep(2);
                }
                final boolean matched = Boolean.TRUE.equals(big.got.get(g + "/0")) &&
                    Boolean.TRUE.equals(big.got.get(g + "/1")) && Boolean.TRUE.equals(big.got.get((g + 2) + "/0"));
                System.out.println("done " + big.arrived(g) + " " + matched + " " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }
        System.exit(0);
    }
}
