package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import moq.relay.auth.Authorizer.SessionAuthorization;
import moq.relay.auth.Authorizer.SessionCredentials;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JWT scheme at the Authorizer level: every refusal the issue lists, each with the code it must carry. */
class JwtAuthorizerTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final TrackNamespace ALICE = TrackNamespace.of("room", "123", "alice");
    private static final TrackNamespace BOB = TrackNamespace.of("room", "123", "bob");

    @TempDir
    Path dir;

    private static JWK rs256;

    private final MutableClock clock = new MutableClock(NOW);
    private JWK es256;
    private JWK hs256;
    private TokenAuthorizer authorizer;

    @org.junit.jupiter.api.BeforeAll
    static void rsa() throws Exception
    {
        rs256 = KeyGenerator.generate("RS256", "rs");
    }

    @BeforeEach
    void keys() throws Exception
    {
        es256 = KeyGenerator.generate("ES256", "es");
        hs256 = KeyGenerator.generate("HS256", "hs");
        // Two files, one a JWK set: keys from files, several at once.
        final Path set = dir.resolve("set.jwks");
        Files.writeString(set, new JWKSet(List.of(es256.toPublicJWK(), rs256.toPublicJWK()))
            .toString(false), StandardCharsets.UTF_8);
        final Path single = dir.resolve("hs.jwk");
        Files.writeString(single, hs256.toJSONString(), StandardCharsets.UTF_8);
        authorizer = new TokenAuthorizer(KeySet.load(List.of(set, single)), List.of(), List.of("public"), 4096,
            clock);
    }

    private String token(final JWK key, final String root, final List<String> put, final List<String> get)
        throws Exception
    {
        return TokenMinter.jwt(key, root, put, get, -1, NOW + HOUR, NOW);
    }

    private SessionAuthorization open(final String path, final String jwt) throws AuthException
    {
        return authorizer.openSession(new SessionCredentials(path, List.of(Credential.jwt(jwt))));
    }

    private static void refused(final ThrowingCallable call, final AuthFailure failure)
    {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthException.class,
            e -> assertThat(e.failure()).isEqualTo(failure));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "ES256", "RS256", "EdDSA"})
    void eachAlgorithmVerifiesWithItsKey(final String algorithm) throws Exception
    {
        final JWK key = KeyGenerator.generate(algorithm, "k-" + algorithm);
        final Path file = dir.resolve(algorithm + ".jwk");
        Files.writeString(file, key.toJSONString(), StandardCharsets.UTF_8);
        final TokenAuthorizer one = new TokenAuthorizer(KeySet.load(List.of(file)), List.of(), List.of(), 4096,
            clock);
        final SessionAuthorization session = one.openSession(new SessionCredentials("",
            List.of(Credential.jwt(token(key, "room/123", List.of("alice"), List.of(""))))));
        assertThat(session.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of())
            .expiresAtMillis()).isEqualTo(NOW + HOUR);
        assertThat(session.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("video")), List.of()))
            .isNotNull();
    }

    @Test
    void keyFilesAsMoqTokenWritesThemLoad() throws Exception
    {
        // moq-token's Key::to_file: base64url of its JWK JSON, with key_ops, and (older keys) no kty.
        final byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        final String json = "{\"alg\":\"HS256\",\"key_ops\":[\"sign\",\"verify\"],\"k\":\"" +
            com.nimbusds.jose.util.Base64URL.encode(secret) + "\",\"kid\":\"legacy\"}";
        final Path file = dir.resolve("legacy.jwk");
        Files.writeString(file, java.util.Base64.getUrlEncoder().withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        final TokenAuthorizer legacy = new TokenAuthorizer(KeySet.load(List.of(file)), List.of(), List.of(), 4096,
            clock);
        final JWK signing = new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(secret).keyID("legacy").build();
        legacy.openSession(new SessionCredentials("/room", List.of(Credential.jwt(
            token(signing, "room", List.of(""), List.of(""))))));

        final Path scoped = dir.resolve("scoped.jwk");
        Files.writeString(scoped, json.replace("}", ",\"scope\":{\"get\":\"x\"}}"));
        assertThatThrownBy(() -> KeySet.load(List.of(scoped))).isInstanceOf(java.io.IOException.class)
            .hasMessageContaining("scope");
    }

    @Test
    void validTokenGrantsPutAndGetBelowItsRoot() throws Exception
    {
        final SessionAuthorization s = open("", token(es256, "room/123", List.of("alice"), List.of("")));
        s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of());
        s.authorize(AuthRequest.of(Action.PUBLISH, ALICE, Bytes.utf8("video")), List.of());
        s.authorize(AuthRequest.of(Action.FETCH, BOB, Bytes.utf8("video")), List.of());
        s.authorize(AuthRequest.of(Action.TRACK_STATUS, BOB, Bytes.utf8("video")), List.of());
        refused(() -> s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, BOB, null), List.of()),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void forgedSignatureIsUnauthorized() throws Exception
    {
        final String good = token(es256, "room/123", List.of(""), List.of(""));
        final String[] parts = good.split("\\.");
        // Same header and signature, different claims: the signature no longer covers them.
        final String forgedClaims = com.nimbusds.jose.util.Base64URL.encode(
            "{\"root\":\"\",\"put\":\"\",\"get\":\"\"}").toString();
        refused(() -> open("", parts[0] + "." + forgedClaims + "." + parts[2]), AuthFailure.UNAUTHORIZED);
        // Signed by a key the relay does not have, under a kid it has.
        final JWK impostor = KeyGenerator.generate("ES256", "es");
        refused(() -> open("", token(impostor, "", List.of(""), List.of(""))), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void wrongKidIsUnauthorized() throws Exception
    {
        final JWK unknown = KeyGenerator.generate("HS256", "nobody");
        refused(() -> open("", token(unknown, "", List.of(""), List.of(""))), AuthFailure.UNAUTHORIZED);
        // No kid at all while several keys are configured.
        final JWK noKid = KeyGenerator.generate("HS256", null);
        refused(() -> open("", token(noKid, "", List.of(""), List.of(""))), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void algorithmThatDoesNotFitTheKeyIsUnauthorized() throws Exception
    {
        // An HS256 token under the EC key's kid, MACed with the EC key's public x as secret, must not pass.
        final JWK confused = new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(
            ((com.nimbusds.jose.jwk.ECKey)es256).getX().decode()).keyID("es").build();
        refused(() -> open("", TokenMinter.jwt(confused, "", List.of(""), List.of(""), -1, NOW + HOUR, NOW)),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void expiredTokenIsExpiredAuthToken() throws Exception
    {
        final String expired = TokenMinter.jwt(es256, "", List.of(""), List.of(""), -1, NOW - 1000, NOW - HOUR);
        refused(() -> open("", expired), AuthFailure.EXPIRED_AUTH_TOKEN);
    }

    @Test
    void notYetValidTokenIsUnauthorized() throws Exception
    {
        final String later = TokenMinter.jwt(es256, "", List.of(""), List.of(""), NOW + 60_000, NOW + HOUR, NOW);
        refused(() -> open("", later), AuthFailure.UNAUTHORIZED);
        clock.set(NOW + 60_000);
        assertThat(open("", later)).isNotNull();
    }

    @Test
    void wrongRootIsUnauthorized() throws Exception
    {
        refused(() -> open("/other/room", token(es256, "room/123", List.of(""), List.of(""))),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void publishWithAGetOnlyTokenIsUnauthorized() throws Exception
    {
        final SessionAuthorization s = open("", token(es256, "room/123", List.of(), List.of("")));
        refused(() -> s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of()),
            AuthFailure.UNAUTHORIZED);
        refused(() -> s.authorize(AuthRequest.of(Action.PUBLISH, ALICE, Bytes.utf8("video")), List.of()),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void subscribeOutsideGetIsUnauthorized() throws Exception
    {
        final SessionAuthorization s = open("", token(es256, "room/123", List.of(), List.of("bob")));
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("video")), List.of());
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, ALICE, Bytes.utf8("video")), List.of()),
            AuthFailure.UNAUTHORIZED);
        refused(() -> s.authorize(AuthRequest.of(Action.FETCH, TrackNamespace.of("room", "999"), Bytes.utf8("v")),
            List.of()), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void discoveryOutsideGetIsUnauthorizedAndInsideRevealsOnlyGet() throws Exception
    {
        final SessionAuthorization s = open("", token(es256, "room/123", List.of(), List.of("bob")));
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room", "999"),
            null), List.of()), AuthFailure.UNAUTHORIZED);
        final Grant discovery =
            s.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room"), null), List.of());
        assertThat(discovery.reveals(BOB)).isTrue();
        assertThat(discovery.reveals(ALICE)).isFalse();
        // The anonymous prefix is revealed to everyone.
        assertThat(discovery.reveals(TrackNamespace.of("public", "news"))).isFalse();
        final Grant all = s.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.EMPTY, null),
            List.of());
        assertThat(all.reveals(TrackNamespace.of("public", "news"))).isTrue();
        assertThat(all.reveals(ALICE)).isFalse();
    }

    @Test
    void oversizedTokenIsMalformed() throws Exception
    {
        final String big = TokenMinter.jwt(hs256, "", List.of("x".repeat(5000)), List.of(""), -1, NOW + HOUR, NOW);
        refused(() -> open("", big), AuthFailure.MALFORMED_AUTH_TOKEN);
    }

    @Test
    void garbageIsMalformed()
    {
        refused(() -> open("", "not-a-jwt"), AuthFailure.MALFORMED_AUTH_TOKEN);
        refused(() -> authorizer.openSession(new SessionCredentials("",
            List.of(new Credential(0, Bytes.wrap(new byte[] {0, 1, 2}))))), AuthFailure.MALFORMED_AUTH_TOKEN);
    }

    @Test
    void noTokenOpensOnlyTheAnonymousPrefixes() throws Exception
    {
        final SessionAuthorization anon = authorizer.openSession(new SessionCredentials("", List.of()));
        anon.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("public", "news"), Bytes.utf8("v")),
            List.of());
        refused(() -> anon.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, TrackNamespace.of("public"), null),
            List.of()), AuthFailure.UNAUTHORIZED);
        refused(() -> anon.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("v")), List.of()),
            AuthFailure.UNAUTHORIZED);

        final TokenAuthorizer closed = new TokenAuthorizer(new KeySet(List.of(es256)), List.of(), List.of(), 4096,
            clock);
        refused(() -> closed.openSession(new SessionCredentials("", List.of())), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void aRequestTokenWidensOneRequestAndABadOneRefusesIt() throws Exception
    {
        final SessionAuthorization s = open("", token(es256, "room/123", List.of(), List.of("")));
        final Credential put = Credential.jwt(token(hs256, "room/123", List.of("alice"), List.of()));
        final Grant g = s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of(put));
        assertThat(g.expiresAtMillis()).isEqualTo(NOW + HOUR);
        final Credential expired = Credential.jwt(TokenMinter.jwt(hs256, "room/123", List.of("alice"), List.of(),
            -1, NOW - 1, NOW - HOUR));
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("v")), List.of(expired)),
            AuthFailure.EXPIRED_AUTH_TOKEN);
    }

    @Test
    void aSessionTokenThatExpiresEndsOnlyWhatItGranted() throws Exception
    {
        final String shortLived = TokenMinter.jwt(es256, "room/123", List.of(), List.of(""), -1, NOW + 10_000, NOW);
        final SessionAuthorization s = authorizer.openSession(new SessionCredentials("",
            List.of(Credential.jwt(shortLived))));
        final Grant sub = s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("v")), List.of());
        assertThat(sub.expiresAtMillis()).isEqualTo(NOW + 10_000);
        final Grant anon = s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("public", "a"),
            Bytes.utf8("v")), List.of());
        assertThat(anon.expiresAtMillis()).isEqualTo(Grant.NEVER);

        clock.set(NOW + 10_000);
        assertThat(sub.expiredAt(clock.millis())).isTrue();
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("v")), List.of()),
            AuthFailure.EXPIRED_AUTH_TOKEN);
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("public", "a"), Bytes.utf8("v")), List.of());
    }

    @Test
    void aliasMisuseClosesTheSessionWithTheDraftsCodes() throws Exception
    {
        final TokenCache cache = new TokenCache(1024, 4096);
        final Bytes jwt = Bytes.utf8(token(es256, "room/123", List.of(), List.of("")));
        final Credential registered = cache.resolve(new TokenRef(TokenRef.Kind.REGISTER, 7, 0, jwt));
        final SessionAuthorization s = authorizer.openSession(new SessionCredentials("", List.of()));
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("v")),
            List.of(cache.resolve(new TokenRef(TokenRef.Kind.USE_ALIAS, 7, 0, null))));
        assertThat(registered.value()).isEqualTo(jwt);
        refused(() -> cache.resolve(new TokenRef(TokenRef.Kind.USE_ALIAS, 8, 0, null)),
            AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS);
        refused(() -> cache.resolve(new TokenRef(TokenRef.Kind.REGISTER, 7, 0, jwt)),
            AuthFailure.DUPLICATE_AUTH_TOKEN_ALIAS);
    }
}
