package moq.relay.transport.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.MoqtSessions;
import moq.relay.session.PublishedNamespaces;
import moq.relay.transport.TestServers;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A publisher restarts while its old session lingers, watched by moq-dev's draft-14 {@code @moq/watch} (issue #16):
 * the video-call page on draft 14 ({@code &lite=0}) as alice and bob; bob's browser is frozen (SIGSTOP: its
 * WebTransport sessions stay open and silent until the QUIC idle timeout, as a crashed browser's do) and a new bob page
 * joins. The relay takes bob's broadcast over for the new session ({@code Relay.takeOver}) and tells alice's namespace
 * subscription that bob's namespace was withdrawn and published again (draft 14: PUBLISH_NAMESPACE_DONE, then
 * PUBLISH_NAMESPACE); the page then watches bob again and must render the new broadcast's frames within 3 s of the new
 * page's first encoded frame. Without that, the draft-14 watcher, which does not subscribe again after PUBLISH_DONE
 * while the namespace stays published, never sees the new bob. The same on moq-lite (ANNOUNCE ended, then active),
 * the protocol the libraries prefer. The driver is {@code run-call-restart.mjs}.
 *
 * <p>Skipped like {@link CallPageChromiumTest} without Chromium or the page's bundle (failed under CI), with
 * {@code -Dbrowser.skip=true}, and outside CI while the load average exceeds three per core.
 */
class CallRestartChromiumTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(100);
    private static final long SEEN_WITHIN_MS = 3000;
    private static final double MAX_LOAD_PER_CORE = 3;

    @TempDir
    Path certDir;

    private Relay relay;
    private PublishedNamespaces published;
    private RelayServer server;

    @BeforeEach
    void browserAndBundleAvailable() throws Exception
    {
        Assumptions.assumeFalse(Boolean.getBoolean("browser.skip"), "browser tests skipped (-Dbrowser.skip=true)");
        requireOrSkip(Files.isExecutable(CHROMIUM),
            CHROMIUM + " is missing: apt-get install chromium to run the browser test");
        requireOrSkip(getClass().getClassLoader().getResource(DevWebHandler.ASSETS + "call.js") != null,
            "the call page's bundle call.js was not built (-Ddemo.skip=true)");
        assertThat(BROWSER_DIR.resolve("node_modules/playwright-core")).as("npm ci ran in " + BROWSER_DIR)
            .isDirectory();
        final double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        final int cores = Runtime.getRuntime().availableProcessors();
        Assumptions.assumeTrue("true".equals(System.getenv("CI")) || load <= MAX_LOAD_PER_CORE * cores,
            "load average " + load + " on " + cores + " cores: too busy for the call's real-time figures");
    }

    private static void requireOrSkip(final boolean available, final String missing)
    {
        if (!available)
        {
            if ("true".equals(System.getenv("CI")))
            {
                fail(missing + " under CI");
            }
            Assumptions.abort(missing);
        }
    }

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
        if (published != null)
        {
            published.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @ParameterizedTest(name = "moq-lite {0}")
    @ValueSource(booleans = {false, true})
    void watcherRendersAPublisherThatRestartedBesideItsLingeringSession(final boolean lite) throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "64m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "1m")), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        published = new PublishedNamespaces(relay);
        server = new RelayServer(TestServers.settings(1, Duration.ofMillis(200)).withDev(true),
            QuicSettings.fromSystemProperties(), certificate, sessions.register(SessionFactories.builder()).build())
            .announcedNamespaces(published).start();
        sessions.bindEventLoops(server.eventLoops());

        final String load = Files.readString(Path.of("/proc/loadavg")).trim();
        final JsonNode result = run("http://localhost:" + server.localAddress().getPort() + "/", lite);
        System.out.println("Restart beside a lingering session, " + (lite ? "moq-lite" : "draft-14") +
            " watcher: new broadcast rendered "
            + result.path("seenAfterFirstFrameMs") + " ms after its first encoded frame, "
            + result.path("seenAfterNavigationMs") + " ms after the new page's navigation; load average " + load
            + " before, " + Files.readString(Path.of("/proc/loadavg")).trim() + " after");
        assertThat(result.path("error").asText()).as("driver error").isEmpty();
        assertThat(result.get("steps")).extracting(JsonNode::asText).containsExactly("joined", "frozen", "seen");
        final String watching = result.path("versions").path("alice").path("watch").asText();
        if (lite)
        {
            assertThat(watching).as("alice watches over moq-lite").startsWith("moq-lite");
        }
        else
        {
            assertThat(watching).as("alice watches over draft 14").doesNotStartWith("moq-lite");
        }
        assertThat(result.path("newOriginDiffers").asBoolean()).as("a new page, told apart by its clock origin")
            .isTrue();
        assertThat(result.path("seenAfterFirstFrameMs").asLong(Long.MAX_VALUE))
            .as("alice renders the restarted bob within " + SEEN_WITHIN_MS + " ms of its first frame")
            .isLessThanOrEqualTo(SEEN_WITHIN_MS);
        for (final String page : new String[] {"alice", "bob-new"})
        {
            assertThat(result.path("errors").get(page)).as(page + "'s page errors").isEmpty();
        }
    }

    private static JsonNode run(final String pageUrl, final boolean lite) throws Exception
    {
        final Path log = Files.createTempFile("call-restart", ".log");
        final ProcessBuilder pb = new ProcessBuilder("node", "run-call-restart.mjs", pageUrl, CHROMIUM.toString())
            .directory(BROWSER_DIR.toFile())
            .redirectError(log.toFile());
        pb.environment().put("CALL_LITE", lite ? "1" : "0");
        final Process node = pb.start();
        final byte[] out;
        try
        {
            if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            {
                fail("browser run did not finish in " + RUN_TIMEOUT + "; log:\n" + tail(log));
            }
            out = node.getInputStream().readAllBytes();
        }
        finally
        {
            node.destroyForcibly();
        }
        final String stdout = new String(out, StandardCharsets.UTF_8).trim();
        System.out.println("Call restart result: " + stdout + "\nbrowser log (tail):\n" + tail(log));
        if (node.exitValue() != 0 || stdout.isEmpty())
        {
            fail("browser run exited " + node.exitValue() + "; output:\n" + stdout + "\nlog:\n" + tail(log));
        }
        return new ObjectMapper().readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
    }

    private static String tail(final Path log) throws Exception
    {
        final var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
