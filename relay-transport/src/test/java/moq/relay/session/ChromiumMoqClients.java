package moq.relay.session;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * One headless Chromium for a test class, running the independent npm MoQT clients (@moq/lite, @moq/net) in pages:
 * drives {@code src/test/browser/moq-clients-driver.mjs} (which bundles {@code moq-clients-page.js} with esbuild and
 * serves it from {@code http://localhost:PORT}) over its stdin/stdout, one JSON line per call. Every call is bounded.
 *
 * <p>Without /usr/bin/chromium the class fails under CI (CI=true) and is skipped elsewhere, like
 * ChromiumWebTransportTest; {@code -Dbrowser.skip=true} skips it too.
 */
final class ChromiumMoqClients implements AutoCloseable
{
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final Process node;
    private final OutputStream commands;
    private final Path log;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** Skips (or fails under CI) when the browser cannot run here. */
    static void assumeAvailable()
    {
        Assumptions.assumeFalse(Boolean.getBoolean("browser.skip"), "browser tests skipped (-Dbrowser.skip=true)");
        if (!Files.isExecutable(CHROMIUM))
        {
            if ("true".equals(System.getenv("CI")))
            {
                fail(CHROMIUM + " is missing under CI: .ci/run must install Debian's chromium");
            }
            Assumptions.abort(CHROMIUM + " is missing: apt-get install chromium to run the browser tests");
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/@moq/net")) ||
            !Files.isDirectory(BROWSER_DIR.resolve("node_modules/esbuild")))
        {
            fail("npm ci did not run in " + BROWSER_DIR + " (Maven's browser-npm-ci step)");
        }
    }

    ChromiumMoqClients() throws Exception
    {
        log = Files.createTempFile("moq-clients-driver", ".log");
        node = new ProcessBuilder("node", "moq-clients-driver.mjs", CHROMIUM.toString())
            .directory(BROWSER_DIR.toFile())
            .redirectError(log.toFile())
            .start();
        commands = node.getOutputStream();
        final Thread reader = new Thread(this::readAnswers, "moq-clients-driver-stdout");
        reader.setDaemon(true);
        reader.start();
        try
        {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            close();
            fail("the browser driver did not start in " + START_TIMEOUT + ": " + e + "\nlog:\n" + log());
        }
    }

    private void readAnswers()
    {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = in.readLine()) != null)
            {
                final JsonNode answer;
                try
                {
                    answer = json.readTree(line);
                }
                catch (final IOException e)
                {
                    continue; // not ours (a library printing to stdout)
                }
                if (answer.has("ready"))
                {
                    ready.complete(null);
                    continue;
                }
                final CompletableFuture<JsonNode> call = pending.remove(answer.path("id").asInt());
                if (call != null)
                {
                    call.complete(answer);
                }
            }
        }
        catch (final IOException ignored)
        {
            // the process ended
        }
        final IllegalStateException gone = new IllegalStateException("the browser driver exited");
        ready.completeExceptionally(gone);
        pending.values().forEach(c -> c.completeExceptionally(gone));
    }

    /** Calls {@code window.moqClients[fn](...args)} in page {@code page} (opened on first use) and returns its value. */
    JsonNode call(final String page, final String fn, final Object... args) throws Exception
    {
        final int id = nextId.getAndIncrement();
        final ObjectNode command = json.createObjectNode().put("id", id).put("page", page).put("fn", fn);
        command.set("args", json.valueToTree(args));
        final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (commands)
        {
            commands.write((json.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
        }
        final JsonNode result;
        try
        {
            result = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (final TimeoutException e)
        {
            throw new AssertionError(fn + " in page " + page + " did not answer in " + CALL_TIMEOUT + "; log:\n" +
                log());
        }
        if (!result.path("ok").asBoolean())
        {
            throw new AssertionError(fn + " in page " + page + " failed: " + result.path("error").asText() +
                "\nlog:\n" + log());
        }
        return result.get("value");
    }

    /** Closes a page, and with it its MoQT connections (the browser tab goes away). */
    void closePage(final String page) throws Exception
    {
        call(page, "closePage");
    }

    /** The driver's stderr: page console output and errors. */
    String log()
    {
        try
        {
            final String all = Files.readString(log);
            return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
        }
        catch (final IOException e)
        {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close()
    {
        try
        {
            commands.close(); // the driver closes Chromium and exits when stdin ends
            if (!node.waitFor(15, TimeUnit.SECONDS))
            {
                node.destroyForcibly();
            }
        }
        catch (final IOException | InterruptedException e)
        {
            node.destroyForcibly();
        }
    }
}
