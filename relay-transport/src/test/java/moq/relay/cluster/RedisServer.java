package moq.relay.cluster;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis ({@code /usr/bin/redis-server}, Debian's package, installed by .ci/run) on a free loopback port,
 * without persistence. Absent outside CI: the test is skipped with a message; under CI (CI=true) it fails.
 */
final class RedisServer implements AutoCloseable
{
    private static final String BINARY = "/usr/bin/redis-server";

    final int port;
    private final Path dir;
    private Process process;

    private RedisServer(final int port, final Path dir)
    {
        this.port = port;
        this.dir = dir;
    }

    static RedisServer start() throws Exception
    {
        if (!new File(BINARY).canExecute())
        {
            if ("true".equals(System.getenv("CI")))
            {
                throw new AssertionError(BINARY + " is missing under CI: .ci/run must install redis-server");
            }
            Assumptions.abort(BINARY + " not installed (apt-get install redis-server): cluster tests skipped");
        }
        final int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = s.getLocalPort();
        }
        final RedisServer redis = new RedisServer(port, Files.createTempDirectory("moq-redis"));
        redis.startProcess();
        return redis;
    }

    String url()
    {
        return "redis://127.0.0.1:" + port;
    }

    /** (Re)starts the server on the same port; returns once it accepts connections. */
    void startProcess() throws Exception
    {
        process = new ProcessBuilder(BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try (Socket s = new Socket("127.0.0.1", port))
            {
                return;
            }
            catch (final IOException e)
            {
                if (System.nanoTime() > deadline || !process.isAlive())
                {
                    throw new AssertionError("redis-server did not start: " + Files.readString(dir.resolve(
                        "redis.log")));
                }
                Thread.sleep(20);
            }
        }
    }

    /** Kills the server (SIGKILL): as if it crashed. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception
    {
        if (process != null)
        {
            kill();
        }
    }
}
