package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import moq.relay.config.ConfigurationException;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moq.relay.auth.* settings: off by default, keys and anonymous prefixes read, an opening-everything prefix refused. */
class AuthSettingsTest
{
    @Test
    void offByDefaultAllowsEverything() throws Exception
    {
        final RelayConfiguration config = RelayConfiguration.from(Map.of());
        assertThat(config.authEnabled()).isFalse();
        assertThat(config.authTokenCacheBytes()).isEqualTo(16 * 1024);
        final Authorizer none = TokenAuthorizer.fromConfiguration(config);
        assertThat(none.openSession(new Authorizer.SessionCredentials("", List.of()))
            .authorize(AuthRequest.of(Action.PUBLISH, TrackNamespace.of("any"), Bytes.utf8("t")), List.of()))
            .isSameAs(Grant.ALL);
    }

    @Test
    void onReadsKeysAndAnonymousPrefixes(@TempDir final Path dir) throws Exception
    {
        final Path key = dir.resolve("k.jwk");
        Files.writeString(key, KeyGenerator.generate("ES256", "k").toPublicJWK().toJSONString());
        final RelayConfiguration config = RelayConfiguration.from(Map.of(
            RelayConfiguration.AUTH_ENABLED_PROP_NAME, "true",
            RelayConfiguration.AUTH_KEYS_PROP_NAME, key.toString(),
            RelayConfiguration.AUTH_PUBLIC_GET_PROP_NAME, "public/, demo",
            RelayConfiguration.AUTH_TOKEN_CACHE_BYTES_PROP_NAME, "0"));
        final Authorizer.SessionAuthorization anon = TokenAuthorizer.fromConfiguration(config)
            .openSession(new Authorizer.SessionCredentials("", List.of()));
        anon.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("demo", "x"), Bytes.utf8("t")), List.of());
        assertThatThrownBy(() -> anon.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, TrackNamespace.of("demo"),
            null), List.of())).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> TokenAuthorizer.tokenCache(config).resolve(
            new TokenRef(TokenRef.Kind.REGISTER, 1, 1, Bytes.utf8("x")))).isInstanceOfSatisfying(AuthException.class,
            e -> assertThat(e.failure()).isEqualTo(AuthFailure.AUTH_TOKEN_CACHE_OVERFLOW));
    }

    @Test
    void aPublicPrefixThatOpensEverythingIsRefused()
    {
        assertThatThrownBy(() -> RelayConfiguration.from(Map.of(RelayConfiguration.AUTH_PUBLIC_PUT_PROP_NAME, "/"))
            .authPublicPut()).isInstanceOf(ConfigurationException.class)
            .hasMessageContaining(RelayConfiguration.AUTH_PUBLIC_PUT_PROP_NAME);
    }
}
