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
        final List<String> args = new ArrayList<>();
        // The suite warms the relay with its own warm-up phase and measures after it; the relay's start-up warm-up
        // would run into the first seconds of a run (a -D in the base arguments, after this one, still wins).
        args.add("-D" + moq.relay.config.RelayConfiguration.WARMUP_DURATION_PROP_NAME + "=0s");
        args.addAll(base);
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
        final List<String> args = new ArrayList<>(jvmArgs);
        final int admin = adminPort(args);
        return new ProcessTarget("relay", port, started(prefix, args, port,
            List.of("-XX:+ExitOnOutOfMemoryError", "-jar", relayJar.toString(), "serve"), log), admin);
    }

    /**
     * The relay's admin port: the one {@code jvmArgs} set, else a free loopback TCP port added to them, so that the run
     * can read the relay's skip counters ({@link AdminScrape}).
     */
    private static int adminPort(final List<String> jvmArgs) throws IOException
    {
        final String prop = "-D" + moq.relay.config.RelayConfiguration.ADMIN_PORT_PROP_NAME + "=";
        for (final String a : jvmArgs)
        {
            if (a.startsWith(prop) && !a.substring(prop.length()).isEmpty())
            {
                return Integer.parseInt(a.substring(prop.length()));
            }
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            jvmArgs.add(prop + s.getLocalPort());
            jvmArgs.add("-D" + moq.relay.config.RelayConfiguration.ADMIN_ADDRESS_PROP_NAME + "=127.0.0.1");
            return s.getLocalPort();
        }
    }

    /**
     * {@code java <jvmArgs> -cp <this JVM's class path> moq.relay.cli.Main serve}: the relay as its own process without
     * a built jar (tests: the classes under test, not whatever jar was packaged last).
     */
    static Target relayFromClassPath(final List<String> jvmArgs, final Path log)
        throws IOException, InterruptedException
    {
        final int port = freePort();
        final List<String> args = new ArrayList<>(jvmArgs);
        final int admin = adminPort(args);
        return new ProcessTarget("relay", port, started(List.of(), args, port,
            List.of("-cp", System.getProperty("java.class.path"), "moq.relay.cli.Main", "serve"), log), admin);
    }

    /**
     * Two relays in a chain (docs/cluster.md): publishers connect to the origin relay A, subscribers to relay B, whose
     * static upstream is A ({@code moq.relay.cluster.upstreams}); B subscribes at A once per track over raw QUIC,
     * draft 18. Both relay processes get {@code jvmArgs}; the run's CPU is both processes'.
     */
    static Target relayChain(final List<String> prefix, final Path relayJar, final List<String> jvmArgs,
        final Path logA, final Path logB) throws IOException, InterruptedException
    {
        final Target origin = relay(prefix, relayJar, gcLogAs(jvmArgs, "-a"), logA);
        final List<String> edgeArgs = new ArrayList<>(gcLogAs(jvmArgs, "-b"));
        edgeArgs.add("-Dmoq.relay.cluster.upstreams=moqt://127.0.0.1:" + origin.address().getPort());
        edgeArgs.add("-Dmoq.relay.cluster.peer.trust=insecure");
        final Target edge;
        try
        {
            edge = relay(prefix, relayJar, edgeArgs, logB);
        }
        catch (final IOException | InterruptedException | RuntimeException e)
        {
            origin.close();
            throw e;
        }
        return new Target()
        {
            @Override
            public String kind()
            {
                return "relay2";
            }

            @Override
            public InetSocketAddress address()
            {
                return edge.address();
            }

            @Override
            public InetSocketAddress publisherAddress()
            {
                return origin.address();
            }

            @Override
            public long pid()
            {
                return edge.pid();
            }

            @Override
            public long[] pids()
            {
                return new long[] {origin.pid(), edge.pid()};
            }

            /** The edge's: its subscribers are the run's (the origin's one subscriber is the edge). */
            @Override
            public RelaySkipCounters skipCounters()
            {
                return edge.skipCounters();
            }

            @Override
            public boolean generatesObjects()
            {
                return false;
            }

            @Override
            public void close()
            {
                edge.close();
                origin.close();
            }
        };
    }

    /**
     * The GC log option of {@code jvmArgs} for one relay of a chain: {@code gc-LABEL.log} becomes
     * {@code gc-LABEL-a.log} (the origin; read as the run's GC log under the chain's label too) or
     * {@code gc-LABEL-b.log}.
     */
    private static List<String> gcLogAs(final List<String> jvmArgs, final String suffix)
    {
        final List<String> out = new ArrayList<>();
        for (final String a : jvmArgs)
        {
            out.add(a.startsWith("-Xlog:gc*:file=") && suffix.equals("-b") ? a.replace(".log", suffix + ".log") : a);
        }
        return out;
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
        return new ProcessTarget("ceiling", port, p, -1)
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
        /** The relay's admin endpoint port, -1 for none. */
        private final int adminPort;

        ProcessTarget(final String kind, final int port, final JavaProcess process, final int adminPort)
        {
            this.kind = kind;
            this.port = port;
            this.process = process;
            this.adminPort = adminPort;
        }

        @Override
        public RelaySkipCounters skipCounters()
        {
            return adminPort < 0 ? null : AdminScrape.skipCounters(adminPort);
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
