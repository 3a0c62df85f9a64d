package moq.relay.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener ({@code moq.relay.admin.port}, {@code moq.relay.admin.address}): {@code /metrics} (the
 * registry in Prometheus text format, or OpenMetrics when the scraper asks for it), {@code /health} (200 while the
 * process runs: a liveness probe) and {@code /ready} (200 while the relay listens, has finished its start-up warm-up
 * and is not draining, else 503: a readiness probe, so a load balancer sends clients only to a warm relay and stops
 * during the GOAWAY drain). Plain HTTP, GET and HEAD;
 * one daemon thread (the JDK's HTTP server), nothing on the relay's event loops.
 */
public final class AdminServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts the listener.
     *
     * @throws StartupException when the address cannot be bound, naming the property to change
     */
    public static AdminServer start(final String address, final int port, final PrometheusRegistry registry,
        final BooleanSupplier ready)
    {
        final InetSocketAddress bind;
        try
        {
            bind = new InetSocketAddress(InetAddress.getByName(address), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new StartupException("invalid -D" + RelayConfiguration.ADMIN_ADDRESS_PROP_NAME + "=" + address +
                ": unknown host; write a local IP address such as 127.0.0.1 or 0.0.0.0", ex);
        }
        final HttpServer server;
        try
        {
            server = HttpServer.create(bind, 16);
        }
        catch (final IOException ex)
        {
            throw new StartupException("cannot bind the admin listener on tcp " + bind + " (" + ex.getMessage() +
                "); set -D" + RelayConfiguration.ADMIN_PORT_PROP_NAME + " to a free port", ex);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "moq-relay-admin");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", getOnly(new MetricsHandler(registry)));
        server.createContext("/health", getOnly(exchange -> respond(exchange, 200, "ok\n")));
        server.createContext("/ready", getOnly(exchange ->
        {
            if (ready.getAsBoolean())
            {
                respond(exchange, 200, "ready\n");
            }
            else
            {
                respond(exchange, 503, "not ready: starting, draining or stopped\n");
            }
        }));
        server.createContext("/", exchange -> respond(exchange, 404, "not found: /metrics, /health, /ready\n"));
        server.start();
        final AdminServer admin = new AdminServer(server, executor);
        LOG.info("admin listener on http://{}:{}/ (/metrics, /health, /ready)", bind.getHostString(),
            admin.port());
        return admin;
    }

    /** The bound port (the ephemeral one chosen with port 0). */
    public int port()
    {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private static HttpHandler getOnly(final HttpHandler handler)
    {
        return exchange ->
        {
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "method not allowed\n");
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            if (!path.equals(exchange.getHttpContext().getPath()))
            {
                respond(exchange, 404, "not found\n"); // createContext matches prefixes: /metricsfoo is not ours
                return;
            }
            handler.handle(exchange);
        };
    }

    private static void respond(final HttpExchange exchange, final int status, final String body) throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
