package moq.relay.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay and the ceiling sender as separate processes, so their CPU and RSS can be read from /proc. */
final class ProcessTargets
{
    /** RelayServer's start-up line, printed by both the relay and the ceiling sender. */
    private static final Pattern LISTENING = Pattern.compile("listening on udp");
    private static final Pattern PUBLISHED = Pattern.compile("^published (\\S+) (\\d+)$");
    private static final Pattern STOPPED = Pattern.compile("^stopped$");
    private static final long START_TIMEOUT_MS = 60_000;

    private ProcessTargets()
    {
    }

    /** A free UDP port on loopback (released again; the child binds it right after). */
    static int freePort()
    {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> jvmArgs(final List<String> base, final int port)
    {
        final List<String> args = new ArrayList<>(base);
        args.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
        args.add("-Dmoq.relay.port=" + port);
        args.add("-Dmoq.relay.bind.address=127.0.0.1");
        return args;
    }

    /**
     * {@code <prefix> java <jvmArgs> -XX:+ExitOnOutOfMemoryError -jar <relayJar> serve} on a free loopback port: a relay
     * out of memory exits (as {@code ./moq-relay} runs it) rather than hang the run.
     */
    static Target relay(final List<String> prefix, final Path relayJar, final List<String> jvmArgs, final Path log)
        throws IOException, InterruptedException
    {
        final int port = freePort();
        return new ProcessTarget("relay", port, started(prefix, jvmArgs, port,
            List.of("-XX:+ExitOnOutOfMemoryError", "-jar", relayJar.toString(), "serve"), log));
    }

    /** The ceiling sender ({@code moq-load.jar ceiling}) for {@code workload}, controlled through its stdin. */
    static Target ceiling(final List<String> prefix, final Path loadJar, final List<String> jvmArgs,
        final Workload workload, final Path log) throws IOException, InterruptedException
    {
        final int port = freePort();
        final List<String> main = new ArrayList<>(List.of("-cp", loadJar.toString(), LoadMain.class.getName(),
            "ceiling", "--publishers", Integer.toString(workload.publishers())));
        for (final TrackSpec t : workload.tracks())
        {
            main.add("--track");
            main.add(t.toString());
        }
        final JavaProcess p = started(prefix, jvmArgs, port, main, log);
        return new ProcessTarget("ceiling", port, p)
        {
            @Override
            public boolean generatesObjects()
            {
                return true;
            }

            @Override
            public void startObjects()
            {
                try
                {
                    p.command("start");
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Map<String, Long> stopObjects()
            {
                try
                {
                    p.command("stop");
                    p.await(STOPPED, 15_000);
                    final Map<String, Long> counts = new LinkedHashMap<>();
                    for (final String line : p.lines())
                    {
                        final Matcher m = PUBLISHED.matcher(line);
                        if (m.find())
                        {
                            counts.put(m.group(1), Long.parseLong(m.group(2)));
                        }
                    }
                    return counts;
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Starts the process and waits until it listens; a process that does not start is stopped. */
    private static JavaProcess started(final List<String> prefix, final List<String> jvmArgs, final int port,
        final List<String> main, final Path log) throws IOException, InterruptedException
    {
        final JavaProcess p = JavaProcess.start(prefix, jvmArgs(jvmArgs, port), main, log);
        try
        {
            p.await(LISTENING, START_TIMEOUT_MS);
        }
        catch (final RuntimeException e)
        {
            p.close();
            throw e;
        }
        return p;
    }

    /** A target running as its own process on a loopback port. */
    private static class ProcessTarget implements Target
    {
        private final String kind;
        private final int port;
        private final JavaProcess process;

        ProcessTarget(final String kind, final int port, final JavaProcess process)
        {
            this.kind = kind;
            this.port = port;
            this.process = process;
        }

        @Override
        public String kind()
        {
            return kind;
        }

        @Override
        public InetSocketAddress address()
        {
            return new InetSocketAddress("127.0.0.1", port);
        }

        @Override
        public long pid()
        {
            return process.pid();
        }

        @Override
        public boolean generatesObjects()
        {
            return false;
        }

        @Override
        public void close()
        {
            process.close();
        }
    }
}
