package moq.relay.transport.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The chat demo page in the browser it is made for: the real relay (engine, MoQT sessions, dev web server, wired as
 * {@code serve --dev} wires them) serves the page; two headless Chromium participants load it, find each other
 * and exchange a message each way through the relay, with the page's own @moq/lite 0.2.2, which offers moq-lite-04
 * first and so speaks moq-lite-04 with the relay (announcements for the roster, subscriptions for the messages).
 *
 * <p>Without /usr/bin/chromium, or without the page's bundle (built by Maven unless -Ddemo.skip=true), the test
 * fails under CI (CI=true) and is skipped elsewhere; {@code -Dbrowser.skip=true} skips it too.
 */
class DemoPageChromiumTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path certDir;

    private Relay relay;
    private PublishedNamespaces published;
    private RelayServer server;

    @BeforeEach
    void browserAndBundleAvailable()
    {
        Assumptions.assumeFalse(Boolean.getBoolean("browser.skip"), "browser tests skipped (-Dbrowser.skip=true)");
        requireOrSkip(Files.isExecutable(CHROMIUM),
            CHROMIUM + " is missing: apt-get install chromium to run the browser test");
        requireOrSkip(DemoPageChromiumTest.class.getClassLoader().getResource(DevWebHandler.ASSETS + "chat.js") != null,
            "the demo bundle chat.js was not built (-Ddemo.skip=true)");
        assertThat(BROWSER_DIR.resolve("node_modules/playwright-core")).as("npm ci ran in " + BROWSER_DIR)
            .isDirectory();
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

    @Test
    void twoBrowserParticipantsExchangeChatMessagesThroughTheRelay() throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "16m",
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k")), 1);
        final MoqtSessions sessions = new MoqtSessions(relay);
        published = new PublishedNamespaces(relay);
        server = new RelayServer(TestServers.settings(1, Duration.ofMillis(200)).withDev(true),
            QuicSettings.fromSystemProperties(), certificate, sessions.register(SessionFactories.builder()).build())
            .announcedNamespaces(published).start();
        sessions.bindEventLoops(server.eventLoops());
        final String page = "http://localhost:" + server.localAddress().getPort() + "/";

        final HttpResponse<String> fingerprint = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(page + "fingerprint")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fingerprint.body()).isEqualTo(HexFormat.of().formatHex(certificate.sha256()));

        final JsonNode result = runDemo(page);

        assertThat(result.path("error").asText()).as("driver error").isEmpty();
        assertThat(result.get("steps")).extracting(JsonNode::asText)
            .containsExactly("joined", "alice -> bob", "bob -> alice");
        for (final String who : new String[] {"alice", "bob"})
        {
            final JsonNode state = result.get(who);
            assertThat(state.get("errors")).as(who + "'s page errors").isEmpty();
            assertThat(state.get("version").asText()).as(who + "'s protocol").isEqualTo("moq-lite-04");
        }
        assertThat(result.get("bobList")).extracting(JsonNode::asText)
            .containsExactly("alicehello from alice", "bobhi alice, bob here");
        assertThat(result.get("aliceList")).extracting(JsonNode::asText)
            .containsExactly("alicehello from alice", "bobhi alice, bob here");
    }

    private static JsonNode runDemo(final String pageUrl) throws Exception
    {
        final Path log = Files.createTempFile("chat-demo", ".log");
        final Process node = new ProcessBuilder("node", "run-chat-demo.mjs", pageUrl, CHROMIUM.toString())
            .directory(BROWSER_DIR.toFile())
            .redirectError(log.toFile())
            .start();
        final byte[] out;
        try
        {
            if (!node.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
            {
                fail("browser run did not finish in " + RUN_TIMEOUT + "; log:\n" + Files.readString(log));
            }
            out = node.getInputStream().readAllBytes();
        }
        finally
        {
            node.destroyForcibly();
        }
        final String stdout = new String(out, StandardCharsets.UTF_8).trim();
        System.out.println("Chat demo result: " + stdout + "\nbrowser log:\n" + Files.readString(log));
        if (node.exitValue() != 0 || stdout.isEmpty())
        {
            fail("browser run exited " + node.exitValue() + "; output:\n" + stdout + "\nlog:\n" + Files.readString(log));
        }
        return new ObjectMapper().readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
    }
}
