package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.auth.Grant;
import moq.relay.auth.KeyGenerator;
import moq.relay.auth.TokenMinter;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.LogCapture;
import moq.relay.transport.TestServers;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization over WebTransport from headless Chromium (issue #15): moq-dev's own npm clients, @moq/lite (draft 14)
 * and @moq/net (draft 18, and moq-lite-04), pass their token as {@code ?jwt=} in the URL, as with moq-dev's relay. Valid tokens
 * publish and subscribe; a forged, expired or wrong-root token closes only its session, with its code; a subscription
 * outside the token's {@code get} is refused while the session and the others carry on.
 */
class BrowserAuthorizationTest
{
    @TempDir
    static Path certDir;
    @TempDir
    static Path keyDir;

    private static final String TRACK = "video";

    private static RelayFixture relay;
    private static ChromiumMoqClients browser;
    private static String base;
    private static String certificateHash;
    private static JWK key;

    @RegisterExtension
    final LogCapture sessionLog = new LogCapture("moq.relay.session");

    @BeforeAll
    static void start() throws Exception
    {
        ChromiumMoqClients.assumeAvailable();
        key = KeyGenerator.generate("ES256", "web");
        Files.writeString(keyDir.resolve("web.jwk"), key.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
        relay = new RelayFixture(certDir, Map.of(
            RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, keyDir.resolve("web.jwk").toString()));
        base = "https://127.0.0.1:" + relay.server.localAddress().getPort();
        certificateHash = HexFormat.of().formatHex(TestServers.certificate(certDir).sha256());
        browser = new ChromiumMoqClients();
    }

    @AfterAll
    static void stop()
    {
        if (browser != null)
        {
            browser.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    private static String token(final String root, final List<String> put, final List<String> get,
        final long expiresAt) throws Exception
    {
        return TokenMinter.jwt(key, root, put, get, -1, expiresAt, System.currentTimeMillis());
    }

    private static String url(final String path, final String jwt)
    {
        return base + path + "?jwt=" + jwt;
    }

    private static int publish(final String page, final String lib, final String url, final String ns)
        throws Exception
    {
        return browser.call(page, "publish", lib, url, certificateHash, ns).get("handle").asInt();
    }

    private static int subscribe(final String page, final String lib, final String url, final String ns)
        throws Exception
    {
        return browser.call(page, "subscribe", lib, url, certificateHash, ns, TRACK).get("handle").asInt();
    }

    private static JsonNode status(final String page, final int handle) throws Exception
    {
        return browser.call(page, "status", handle);
    }

    private static void awaitStatus(final String page, final int handle,
        final java.util.function.Predicate<JsonNode> condition, final String what) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        JsonNode s = status(page, handle);
        while (!condition.test(s))
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError(what + ": " + s + "\nbrowser log:\n" + browser.log());
            }
            Thread.sleep(20);
            s = status(page, handle);
        }
    }

    private long closedWith(final String code)
    {
        return sessionLog.messages().stream().filter(m -> (m.contains("MoQT session closed") ||
            m.contains("moq-lite session closed")) && m.contains(code)).count();
    }

    /** A refused session: connecting throws in the page, or the session is closed right after it opened. */
    private void refused(final String page, final String lib, final String url, final String code) throws Exception
    {
        final long before = closedWith(code);
        try
        {
            subscribe(page, lib, url, "room/alice");
        }
        catch (final Exception | AssertionError e)
        {
            // the library reports the close as an error: fine, the relay's log says which code
        }
        RelayFixture.await(() -> closedWith(code) > before, "a session closed with " + code);
        browser.closePage(page);
    }

    @Test
    void tokensInTheUrlAuthorizeBrowserClientsAndBadOnesCloseOnlyTheirSession() throws Exception
    {
        // netlite: @moq/net negotiating moq-lite-04, whose sessions check the URL's jwt as moq-dev's relay does
        for (final String lib : List.of("lite", "net", "netlite"))
        {
            final String ns = "room/" + lib;
            final int publisher = publish(lib + "-pub", lib,
                url("/moq", token("room", List.of(lib), List.of(), Grant.NEVER)), ns);
            RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of(ns.split("/"))), "namespace " + ns);
            // the subscriber's URL has a sub-path: the connection path room narrows its token (root "", get room)
            final int subscriber = subscribe(lib + "-sub", lib,
                url("/moq/room", token("", List.of(), List.of("room"), Grant.NEVER)), ns);
            awaitStatus(lib + "-pub", publisher, s -> s.get("requests").asInt() >= 1, "no SUBSCRIBE reached " + lib);
            browser.call(lib + "-pub", "writeGroup", publisher, TRACK, List.of("0a0b0c", "0d0e"));
            awaitStatus(lib + "-sub", subscriber, s -> s.get("received").size() == 2, lib + " objects");

            // forged signature, expired, wrong root: each closes its own session with its code
            final String good = token("room", List.of(), List.of(""), Grant.NEVER);
            // signed by another key under the same kid
            final String forged = TokenMinter.jwt(KeyGenerator.generate("ES256", "web"), "room", List.of(),
                List.of(""), -1, Grant.NEVER, System.currentTimeMillis());
            refused(lib + "-forged", lib, url("/moq", forged), "UNAUTHORIZED");
            refused(lib + "-expired", lib, url("/moq", token("room", List.of(), List.of(""),
                System.currentTimeMillis() - 60_000)), "EXPIRED_AUTH_TOKEN");
            refused(lib + "-root", lib, url("/moq/elsewhere", good), "UNAUTHORIZED");

            // the first pair carries on
            browser.call(lib + "-pub", "writeGroup", publisher, TRACK, List.of("01"));
            awaitStatus(lib + "-sub", subscriber, s -> s.get("received").size() == 3, lib + " goes on");
            assertThat(status(lib + "-sub", subscriber).get("errors")).isEmpty();
            browser.call(lib + "-sub", "close", subscriber);
            browser.call(lib + "-pub", "close", publisher);
            browser.closePage(lib + "-sub");
            browser.closePage(lib + "-pub");
        }
        assertThat(sessionLog.messages()).noneMatch(m -> m.contains("eyJ")).as("no token in the logs");
    }

    @Test
    void aSubscriptionOutsideTheTokensGetIsRefused() throws Exception
    {
        final int publisher = publish("bob-pub", "net", url("/moq", token("room", List.of("bob"), List.of(),
            Grant.NEVER)), "room/bob");
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("room", "bob")), "namespace room/bob");
        // @moq/net (draft 18) may get room/alice only: REQUEST_ERROR UNAUTHORIZED, logged by the library as a
        // subscribe error; the SUBSCRIBE never reaches the publisher
        final int viewer = subscribe("net-outside", "net",
            url("/moq", token("room", List.of(), List.of("alice"), Grant.NEVER)), "room/bob");
        awaitStatus("net-outside", viewer, s -> !s.get("subscribeErrors").isEmpty(), "a refusal");
        assertThat(status("bob-pub", publisher).get("requests").asInt()).isZero();
        assertThat(closedWith("")).as("no session closed").isZero();
        browser.call("net-outside", "close", viewer);
        browser.call("bob-pub", "close", publisher);
        browser.closePage("net-outside");
        browser.closePage("bob-pub");
    }
}
