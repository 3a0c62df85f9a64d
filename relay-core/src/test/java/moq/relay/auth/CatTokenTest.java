package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import moq.relay.auth.Authorizer.SessionAuthorization;
import moq.relay.auth.Authorizer.SessionCredentials;
import moq.relay.auth.CatGrant.Match;
import moq.relay.auth.CatGrant.MatchType;
import moq.relay.auth.CatGrant.Scope;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Common Access Tokens (draft-ietf-moq-c4m-01) at the Authorizer level: the same refusals as the JWT scheme, on COSE
 * HMAC 256/256 and ES256, and the draft's own scope test vectors (Appendix A.5).
 */
class CatTokenTest
{
    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final TrackNamespace ALICE = TrackNamespace.of("room", "123", "alice");
    private static final TrackNamespace BOB = TrackNamespace.of("room", "123", "bob");

    private static JWK hmac;
    private static JWK es256;
    private static TokenAuthorizer authorizer;
    private static final MutableClock CLOCK = new MutableClock(NOW);

    @BeforeAll
    static void keys() throws Exception
    {
        hmac = KeyGenerator.generate("HS256", "cat-hmac");
        es256 = KeyGenerator.generate("ES256", "cat-es");
        authorizer = new TokenAuthorizer(new KeySet(List.of(hmac, es256.toPublicJWK())), List.of(), List.of(), 4096,
            CLOCK);
    }

    private static Match exact(final String s)
    {
        return new Match(MatchType.EXACT, s.getBytes(StandardCharsets.UTF_8));
    }

    private static Match prefix(final String s)
    {
        return new Match(MatchType.PREFIX, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Setup, publish below room/123/alice, subscribe/fetch/discover below room/123/bob. */
    private static List<Scope> aliceScopes()
    {
        return List.of(
            new Scope(Set.of(0), null, null),
            new Scope(Set.of(2, 6), List.of(exact("room"), exact("123"), exact("alice")), null),
            new Scope(Set.of(3, 4, 7, 8), List.of(exact("room"), exact("123"), exact("bob")), null));
    }

    private static SessionAuthorization open(final byte[] cat) throws AuthException
    {
        return authorizer.openSession(new SessionCredentials("", List.of(Credential.cat(cat))));
    }

    private static void refused(final ThrowingCallable call, final AuthFailure failure)
    {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthException.class,
            e -> assertThat(e.failure()).isEqualTo(failure));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hmac", "es256"})
    void validTokenGrantsItsScopes(final String which) throws Exception
    {
        final JWK key = which.equals("hmac") ? hmac : es256;
        final SessionAuthorization s = open(TokenMinter.cat(key, aliceScopes(), -1, NOW + HOUR));
        assertThat(s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of()).expiresAtMillis())
            .isEqualTo(NOW + HOUR);
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, BOB, Bytes.utf8("video")), List.of());
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, ALICE, Bytes.utf8("video")), List.of()),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void forgedMacOrSignatureIsUnauthorized() throws Exception
    {
        final byte[] mac = TokenMinter.cat(hmac, aliceScopes(), -1, NOW + HOUR);
        mac[mac.length - 1] ^= 1;
        refused(() -> open(mac), AuthFailure.UNAUTHORIZED);
        final JWK impostor = KeyGenerator.generate("ES256", "cat-es");
        refused(() -> open(TokenMinter.cat(impostor, aliceScopes(), -1, NOW + HOUR)), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void wrongKidIsUnauthorized() throws Exception
    {
        final JWK unknown = KeyGenerator.generate("HS256", "nobody");
        refused(() -> open(TokenMinter.cat(unknown, aliceScopes(), -1, NOW + HOUR)), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void expiredIsExpiredAuthTokenAndNotYetValidIsUnauthorized() throws Exception
    {
        refused(() -> open(TokenMinter.cat(hmac, aliceScopes(), -1, NOW - 1000)), AuthFailure.EXPIRED_AUTH_TOKEN);
        refused(() -> open(TokenMinter.cat(hmac, aliceScopes(), NOW + 60_000, NOW + HOUR)),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void withoutClientSetupTheSessionIsRefused() throws Exception
    {
        refused(() -> open(TokenMinter.cat(hmac, aliceScopes().subList(1, 3), -1, NOW + HOUR)),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void publishWithASubscribeOnlyScopeIsUnauthorized() throws Exception
    {
        final SessionAuthorization s = open(TokenMinter.cat(hmac, List.of(new Scope(Set.of(0, 3, 4), null, null)),
            -1, NOW + HOUR));
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, ALICE, Bytes.utf8("v")), List.of());
        refused(() -> s.authorize(AuthRequest.of(Action.PUBLISH_NAMESPACE, ALICE, null), List.of()),
            AuthFailure.UNAUTHORIZED);
        refused(() -> s.authorize(AuthRequest.of(Action.PUBLISH, ALICE, Bytes.utf8("v")), List.of()),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void discoveryOutsideTheScopeIsUnauthorizedAndRevealsOnlyTheScope() throws Exception
    {
        final SessionAuthorization s = open(TokenMinter.cat(hmac, List.of(new Scope(Set.of(0), null, null),
            new Scope(Set.of(3, 4), List.of(exact("room"), prefix("b")), null)), -1, NOW + HOUR));
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("other"), null),
            List.of()), AuthFailure.UNAUTHORIZED);
        final Grant g = s.authorize(AuthRequest.of(Action.SUBSCRIBE_NAMESPACE, TrackNamespace.of("room", "bob"),
            null), List.of());
        assertThat(g.reveals(TrackNamespace.of("room", "bob", "cam"))).isTrue();
        assertThat(g.reveals(TrackNamespace.of("room", "alice"))).isFalse();
    }

    @Test
    void trackMatchAppliesToSubscribe() throws Exception
    {
        final SessionAuthorization s = open(TokenMinter.cat(es256, List.of(new Scope(Set.of(0), null, null),
            new Scope(Set.of(4), List.of(exact("room"), Match.NIL), new Match(MatchType.SUFFIX,
                "-audio".getBytes(StandardCharsets.UTF_8)))), -1, NOW + HOUR));
        s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("room"), Bytes.utf8("main-audio")), List.of());
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("room"), Bytes.utf8("video")),
            List.of()), AuthFailure.UNAUTHORIZED);
        // nil ends the namespace: a longer one is outside.
        refused(() -> s.authorize(AuthRequest.of(Action.SUBSCRIBE, TrackNamespace.of("room", "x"),
            Bytes.utf8("main-audio")), List.of()), AuthFailure.UNAUTHORIZED);
    }

    @Test
    void oversizedAndGarbageAreMalformed() throws Exception
    {
        final byte[] big = TokenMinter.cat(hmac, List.of(new Scope(Set.of(0),
            List.of(exact("x".repeat(5000))), null)), -1, NOW + HOUR);
        refused(() -> open(big), AuthFailure.MALFORMED_AUTH_TOKEN);
        refused(() -> open(new byte[] {(byte)0x84, 0x40}), AuthFailure.MALFORMED_AUTH_TOKEN);
        refused(() -> open("eyJhbGciOi".getBytes(StandardCharsets.US_ASCII)), AuthFailure.MALFORMED_AUTH_TOKEN);
    }

    @Test
    void anUnsupportedRestrictingClaimFailsClosed() throws Exception
    {
        // catnip (311), from the draft's vector cbor_network_identifiers: a restriction this relay cannot enforce.
        refused(() -> CatToken.grantOfClaims(Bytes.fromHex("a1190137816c3230332e302e3131332e3530").array(), NOW),
            AuthFailure.UNAUTHORIZED);
    }

    @Test
    void aCatRegisteredUnderAnAliasAuthorizesLaterRequests() throws Exception
    {
        final TokenCache cache = new TokenCache(4096, 4096);
        final byte[] cat = TokenMinter.cat(hmac, aliceScopes(), -1, NOW + HOUR);
        final Credential setup = cache.resolveInSetup(new TokenRef(TokenRef.Kind.REGISTER, 1, Credential.TYPE_CAT,
            Bytes.wrap(cat)));
        final SessionAuthorization s = authorizer.openSession(new SessionCredentials("", List.of(setup)));
        final Credential again = cache.resolve(new TokenRef(TokenRef.Kind.USE_ALIAS, 1, 0, null));
        s.authorize(AuthRequest.of(Action.PUBLISH, ALICE, Bytes.utf8("v")), List.of(again));
        assertThat(cache.resolve(new TokenRef(TokenRef.Kind.DELETE, 1, 0, null))).isNull();
        refused(() -> cache.resolve(new TokenRef(TokenRef.Kind.USE_ALIAS, 1, 0, null)),
            AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS);
    }

    // ---- draft-ietf-moq-c4m-01 Appendix A.5: the payloads' CBOR and their authorization tests ----

    private static final String ISS_EXP = "a301781868747470733a2f2f617574682e6578616d706c652e636f6d041a65554280";
    private static final long VECTOR_NOW = 1_700_000_000_000L;

    @ParameterizedTest(name = "{0} action {1} {2} {3} -> {4}")
    @CsvSource(delimiter = ';', value = {
        "publisher_exact;2;example.com,alice;video-hd;true",
        "publisher_exact;6;example.com,alice;video-sd;true",
        "publisher_exact;6;example.com,alice;audio-main;false",
        "publisher_exact;4;example.com,alice;video-hd;false",
        "publisher_exact;6;example.com,bob;video-hd;false",
        "subscriber_prefix;4;conference.example.room1;audio;true",
        "subscriber_prefix;7;conference.example.room2;video;true",
        "subscriber_prefix;4;other.domain;audio;false",
        "subscriber_prefix;6;conference.example.room1;audio;false",
        "multi_scope;6;live.example,studio-a;cam1;true",
        "multi_scope;4;live.example.studio-b;cam1;true",
        "multi_scope;6;live.example,studio-b;cam1;false",
        "multi_scope;2;other.example,studio-a;'';false",
        "admin_wildcard;0;any.namespace;any-track;true",
        "admin_wildcard;6;any.namespace;any-track;true",
        "admin_wildcard;8;any.namespace;status;true",
        "suffix_match;4;cdn.example.com;stream1-audio;true",
        "suffix_match;4;cdn.example.com;stream1-video;false",
        "suffix_match;4;cdn.other.org;stream1-audio;false",
    })
    void draftScopeVectors(final String vector, final int action, final String namespace, final String track,
        final boolean expected) throws Exception
    {
        final String payload = switch (vector)
        {
            case "publisher_exact" -> ISS_EXP + "19014781838202068 24b6578616d706c652e636f6d45616c696365820146766964656f2d";
            case "subscriber_prefix" -> ISS_EXP + "190147818283030407818201 52636f6e666572656e63652e6578616d706c65";
            case "multi_scope" -> "a401781868747470733a2f2f617574682e6578616d706c652e636f6d041a65554280" +
                "1901478282820206824c6c6976652e6578616d706c654873747564696f2d61828204078182014c6c6976652e6578616d706c65" +
                "190148f95cb0";
            case "admin_wildcard" -> ISS_EXP + "190147818189000102030405060708";
            default -> ISS_EXP + "19014781838104818202 4c2e6578616d706c652e636f6d8202462d617564696f";
        };
        final CatGrant grant = CatToken.grantOfClaims(Bytes.fromHex(payload.replace(" ", "")).array(), VECTOR_NOW);
        assertThat(grant.expiresAtMillis()).isEqualTo(1_700_086_400_000L);
        assertThat(grant.permits(Action.ofCatKey(action), TrackNamespace.of(namespace.split(",")),
            Bytes.utf8(track))).isEqualTo(expected);
    }
}
