package moq.relay.transport.webtransport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import moq.relay.transport.TestServers;
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
 * The real browser path: Debian's headless Chromium, driven by playwright-core (src/test/browser, installed by
 * Maven's {@code npm ci}), opens a WebTransport session to the relay with {@code serverCertificateHashes} and
 * exercises streams both ways, datagrams and close against {@link EchoApplication}.
 *
 * <p>Without /usr/bin/chromium the test fails under CI (CI=true; {@code .ci/run} installs it) and is skipped
 * elsewhere; {@code -Dbrowser.skip=true} skips it too.
 */
class ChromiumWebTransportTest
{
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path certDir;

    private RelayServer relay;
    private HttpServer pageServer;
    private final EchoApplication application = new EchoApplication();

    @BeforeEach
    void browserAvailable()
    {
        Assumptions.assumeFalse(Boolean.getBoolean("browser.skip"), "browser tests skipped (-Dbrowser.skip=true)");
        if (!Files.isExecutable(CHROMIUM))
        {
            if ("true".equals(System.getenv("CI")))
            {
                fail(CHROMIUM + " is missing under CI: .ci/run must install Debian's chromium");
            }
            Assumptions.abort(CHROMIUM + " is missing: apt-get install chromium to run the browser test");
        }
        assertThat(BROWSER_DIR.resolve("node_modules/playwright-core")).as("npm ci ran in " + BROWSER_DIR)
            .isDirectory();
    }

    @AfterEach
    void stop()
    {
        if (pageServer != null)
        {
            pageServer.stop(0);
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void chromiumNegotiatesMoqt18AndUsesStreamsDatagramsAndCloseOverWebTransport() throws Exception
    {
        final ServerCertificate certificate = TestServers.certificate(certDir);
        relay = TestServers.start(TestServers.settings(1, Duration.ofSeconds(1)), certificate,
            SessionFactories.builder().register(SessionFactories.H3, new WebTransportSessionFactory(
                new WebTransportSettings("/moq", List.of("*"), List.of("moqt-18"), 4, 16, 16, 65536, 64),
                application)).build());
        final String pageUrl = servePage();
        final String wtUrl = "https://127.0.0.1:" + relay.localAddress().getPort() + "/moq";

        final JsonNode result = runPage(pageUrl, wtUrl, HexFormat.of().formatHex(certificate.sha256()));

        assertThat(result.get("errors")).as("page errors").isEmpty();
        assertThat(result.get("protocol").asText()).as("WebTransport.protocol").isEqualTo("moqt-18");
        assertThat(result.get("serverUni").asText()).isEqualTo("hello moqt-18");
        assertThat(result.get("bidiEcho").asText()).isEqualTo("hello over bidi");
        assertThat(result.get("uniEcho").asText()).isEqualTo("echo:hello over uni");
        assertThat(result.get("serverBidi").asText()).isEqualTo("opened by the server");
        assertThat(result.get("datagramEcho").asText()).isEqualTo("datagram");
        final EchoApplication.Recorded session = application.sessions.poll(1, TimeUnit.SECONDS);
        assertThat(session).isNotNull();
        assertThat(session.session.origin()).isEqualTo(pageUrl.substring(0, pageUrl.length() - 1));
        assertThat(session.closed.get(5, TimeUnit.SECONDS)).as("close seen by the server")
            .isEqualTo("4242:page done");
        assertThat(result.get("closed").get("closeCode").asLong()).isEqualTo(4242);
    }

    private String servePage() throws IOException
    {
        final byte[] page = Files.readAllBytes(BROWSER_DIR.resolve("webtransport-page.html"));
        pageServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pageServer.createContext("/", exchange ->
        {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream body = exchange.getResponseBody())
            {
                body.write(page);
            }
        });
        pageServer.start();
        return "http://127.0.0.1:" + pageServer.getAddress().getPort() + "/";
    }

    private static JsonNode runPage(final String pageUrl, final String wtUrl, final String hash) throws Exception
    {
        final Path log = Files.createTempFile("chromium-run", ".log");
        final Process node = new ProcessBuilder("node", "run-page.mjs", pageUrl, wtUrl, hash, CHROMIUM.toString())
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
        if (node.exitValue() != 0 || stdout.isEmpty())
        {
            fail("browser run exited " + node.exitValue() + "; output:\n" + stdout + "\nlog:\n" + Files.readString(log));
        }
        System.out.println("Chromium WebTransport result: " + stdout);
        return new ObjectMapper().readTree(stdout.substring(stdout.lastIndexOf('\n') + 1));
    }
}
