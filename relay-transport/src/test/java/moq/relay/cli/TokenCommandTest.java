package moq.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Authorizer;
import moq.relay.auth.Authorizer.SessionAuthorization;
import moq.relay.auth.Authorizer.SessionCredentials;
import moq.relay.auth.Credential;
import moq.relay.auth.KeySet;
import moq.relay.auth.TokenAuthorizer;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token command, run in-process as the jar runs it: what it mints verifies with the key it generated. */
class TokenCommandTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream savedOut;

    @BeforeEach
    void captureStdout()
    {
        savedOut = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStdout()
    {
        System.setOut(savedOut);
    }

    private List<String> run(final String... args)
    {
        stdout.reset();
        assertThat(Main.run(args)).as("exit code of %s", String.join(" ", args)).isZero();
        return stdout.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "ES256", "RS256", "EdDSA"})
    void aMintedJwtVerifiesWithTheGeneratedKey(final String algorithm) throws Exception
    {
        final Path key = dir.resolve("key.jwk");
        final Path pub = dir.resolve("key.pub.jwk");
        final boolean secret = algorithm.equals("HS256");
        if (secret)
        {
            run("token", "generate", "--algorithm", algorithm, "--kid", "k1", "--out", key.toString());
        }
        else
        {
            run("token", "generate", "--algorithm", algorithm, "--kid", "k1", "--out", key.toString(),
                "--public-out", pub.toString());
            assertThat(Files.readString(pub)).doesNotContain("\"d\"");
        }
        final List<String> out = run("token", "mint", "--key", key.toString(), "--root", "room/123",
            "--put", "alice", "--get", "", "--expires", "10m", "--url", "https://relay.example:4443/moq");
        final String token = out.get(0);
        final URI url = URI.create(out.get(1));
        assertThat(url.getPath()).isEqualTo("/moq");
        assertThat(URLDecoder.decode(url.getRawQuery().substring("jwt=".length()), StandardCharsets.UTF_8))
            .isEqualTo(token);

        // The relay as configured by the settings the docs give (public half where there is one).
        final RelayConfiguration config = RelayConfiguration.from(java.util.Map.of(
            RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, (secret ? key : pub).toString()));
        final Authorizer authorizer = TokenAuthorizer.fromConfiguration(config);
        final SessionAuthorization s = authorizer.openSession(new SessionCredentials("",
            List.of(Credential.jwt(token))));
        final long expiry = s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE,
            TrackNamespace.of("room", "123", "alice"), null), List.of()).expiresAtMillis();
        assertThat(expiry - System.currentTimeMillis()).isBetween(500_000L, 600_000L);
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("room", "123", "bob"), Bytes.utf8("v")),
            List.of());
    }

    @Test
    void aMintedCatVerifiesToo() throws Exception
    {
        final Path key = dir.resolve("cat.jwk");
        run("token", "generate", "--algorithm", "ES256", "--kid", "c1", "--out", key.toString());
        final List<String> out = run("token", "mint", "--cat", "--key", key.toString(), "--root", "room",
            "--get", "bob");
        final byte[] cat = Base64.getUrlDecoder().decode(out.get(0));
        final TokenAuthorizer authorizer = new TokenAuthorizer(KeySet.load(List.of(key)), List.of(), List.of(),
            4096, Clock.systemUTC());
        final SessionAuthorization s = authorizer.openSession(new SessionCredentials("",
            List.of(Credential.cat(cat))));
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("room", "bob", "cam"), Bytes.utf8("v")),
            List.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.authorize(AuthRequest.of(Action.PUBLISH,
            TrackNamespace.of("room", "bob"), Bytes.utf8("v")), List.of())).isInstanceOf(Exception.class);
    }

    @Test
    void offByDefault() throws Exception
    {
        assertThat(TokenAuthorizer.fromConfiguration(RelayConfiguration.from(java.util.Map.of())))
            .isSameAs(moq.relay.auth.NoAuth.INSTANCE);
    }
}
