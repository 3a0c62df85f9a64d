package moq.relay.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A relay as a process of its own ({@code moq.relay.cli.Main serve} on the test classpath), so that it can be
 * SIGKILLed: nothing it could send on the way out (QUIC CONNECTION_CLOSE, a Redis DEL) is sent.
 */
final class RelayProcessNode implements AutoCloseable
{
    final int port;
    final String url;
    private final Process process;
    private final Path log;

    private RelayProcessNode(final Process process, final int port, final Path log)
    {
        this.process = process;
        this.port = port;
        this.url = "moqt://127.0.0.1:" + port;
        this.log = log;
    }

    static RelayProcessNode start(final Path dir, final Map<String, String> properties) throws Exception
    {
        final int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dmoq.relay.port=" + port);
        command.add("-Dmoq.relay.bind.address=127.0.0.1");
        command.add("-Dmoq.relay.tls.cert.dir=" + dir.resolve("certs"));
        command.add("-Dmoq.relay.event.loops=1");
        command.add("-D" + moq.relay.config.RelayConfiguration.CLUSTER_ADVERTISED_URL_PROP_NAME +
            "=moqt://127.0.0.1:" + port);
        command.add("-D" + moq.relay.config.RelayConfiguration.WARMUP_DURATION_PROP_NAME + "=0s"); // used at once
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("moq.relay.cli.Main");
        command.add("serve");
        final Path log = dir.resolve("relay-" + port + ".log");
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "cluster-relay-reaper"));
        final RelayProcessNode node = new RelayProcessNode(p, port, log);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!node.logContains("listening on udp"))
        {
            if (!p.isAlive() || System.nanoTime() > deadline)
            {
                node.close();
                throw new IllegalStateException("the relay did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return node;
    }

    boolean logContains(final String text)
    {
        try
        {
            return Files.exists(log) && Files.readString(log).contains(text);
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    /** SIGKILL. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception
    {
        if (process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                kill();
            }
        }
    }
}
