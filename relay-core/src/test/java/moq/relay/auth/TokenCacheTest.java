package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import moq.relay.auth.TokenRef.Kind;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.d14.AuthorizationToken;
import moq.relay.wire.param.AuthToken;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The AUTHORIZATION TOKEN alias cache rules of drafts 14 and 18, and the codes each refusal carries. */
class TokenCacheTest
{
    private static final Bytes TOKEN = Bytes.utf8("x".repeat(100));

    private static void refused(final ThrowingCallable call, final AuthFailure failure)
    {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthException.class,
            e -> assertThat(e.failure()).isEqualTo(failure));
    }

    @Test
    void registerUseDeleteAccountsSixteenBytesPlusTheValue() throws Exception
    {
        final TokenCache cache = new TokenCache(1000, 4096);
        assertThat(cache.resolve(new TokenRef(Kind.REGISTER, 5, 1, TOKEN)).value()).isEqualTo(TOKEN);
        assertThat(cache.usedBytes()).isEqualTo(116);
        assertThat(cache.resolve(new TokenRef(Kind.USE_ALIAS, 5, 0, null))).isEqualTo(new Credential(1, TOKEN));
        assertThat(cache.resolve(new TokenRef(Kind.DELETE, 5, 0, null))).isNull();
        assertThat(cache.usedBytes()).isZero();
        // Retired, the alias may be registered again.
        cache.resolve(new TokenRef(Kind.REGISTER, 5, 1, TOKEN));
        assertThat(cache.registeredAliases()).isEqualTo(1);
    }

    @Test
    void aliasMisuseIsSessionFatal()
    {
        final TokenCache cache = new TokenCache(1000, 4096);
        refused(() -> cache.resolve(new TokenRef(Kind.USE_ALIAS, 1, 0, null)), AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS);
        refused(() -> cache.resolve(new TokenRef(Kind.DELETE, 1, 0, null)), AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS);
        assertThat(AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS.sessionFatal()).isTrue();
        assertThat(AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS.sessionError()).isEqualTo(SessionError.UNKNOWN_AUTH_TOKEN_ALIAS);
    }

    @Test
    void duplicateRegistrationIsSessionFatal() throws Exception
    {
        final TokenCache cache = new TokenCache(1000, 4096);
        cache.resolve(new TokenRef(Kind.REGISTER, 1, 1, TOKEN));
        refused(() -> cache.resolve(new TokenRef(Kind.REGISTER, 1, 1, TOKEN)), AuthFailure.DUPLICATE_AUTH_TOKEN_ALIAS);
        assertThat(AuthFailure.DUPLICATE_AUTH_TOKEN_ALIAS.sessionError().code()).isEqualTo(0x14);
    }

    @Test
    void overflowClosesTheSessionExceptInSetup() throws Exception
    {
        final TokenCache cache = new TokenCache(200, 4096);
        cache.resolve(new TokenRef(Kind.REGISTER, 1, 1, TOKEN));
        refused(() -> cache.resolve(new TokenRef(Kind.REGISTER, 2, 1, TOKEN)), AuthFailure.AUTH_TOKEN_CACHE_OVERFLOW);
        assertThat(AuthFailure.AUTH_TOKEN_CACHE_OVERFLOW.sessionError().code()).isEqualTo(0x13);
        // In SETUP, a REGISTER that does not fit is used as USE_VALUE and not kept.
        assertThat(cache.resolveInSetup(new TokenRef(Kind.REGISTER, 2, 1, TOKEN))).isEqualTo(new Credential(1, TOKEN));
        refused(() -> cache.resolve(new TokenRef(Kind.USE_ALIAS, 2, 0, null)), AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS);
    }

    @Test
    void theDefaultSizeZeroProhibitsAliases()
    {
        final TokenCache cache = new TokenCache(0, 4096);
        refused(() -> cache.resolve(new TokenRef(Kind.REGISTER, 1, 1, TOKEN)), AuthFailure.AUTH_TOKEN_CACHE_OVERFLOW);
    }

    @Test
    void anOversizedTokenIsMalformedAndStaysRegisteredAsThatError() throws Exception
    {
        final TokenCache cache = new TokenCache(10_000, 50);
        refused(() -> cache.resolve(new TokenRef(Kind.USE_VALUE, 0, 1, TOKEN)), AuthFailure.MALFORMED_AUTH_TOKEN);
        refused(() -> cache.resolve(new TokenRef(Kind.REGISTER, 3, 1, TOKEN)), AuthFailure.MALFORMED_AUTH_TOKEN);
        // Registered all the same (the drafts: register even when the message fails), counted, and failing again.
        assertThat(cache.usedBytes()).isEqualTo(116);
        refused(() -> cache.resolve(new TokenRef(Kind.USE_ALIAS, 3, 0, null)), AuthFailure.MALFORMED_AUTH_TOKEN);
        cache.resolve(new TokenRef(Kind.DELETE, 3, 0, null));
        assertThat(cache.usedBytes()).isZero();
    }

    @Test
    void bothDraftsTokenStructuresMapOntoOneRef()
    {
        assertThat(TokenRef.of(AuthToken.register(4, 1, TOKEN))).isEqualTo(new TokenRef(Kind.REGISTER, 4, 1, TOKEN));
        assertThat(TokenRef.of(AuthorizationToken.useAlias(4))).isEqualTo(new TokenRef(Kind.USE_ALIAS, 4, 0, null));
        assertThat(TokenRef.of(AuthorizationToken.useValue(1, TOKEN)).cacheSize()).isEqualTo(116);
    }

    @Test
    void requestCodesPerDraft()
    {
        assertThat(AuthFailure.UNAUTHORIZED.requestErrorCode(Draft.DRAFT_18, false)).isEqualTo(0x1);
        assertThat(AuthFailure.MALFORMED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_18, false)).isEqualTo(0x4);
        assertThat(AuthFailure.EXPIRED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_18, false)).isEqualTo(0x5);
        assertThat(AuthFailure.MALFORMED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_14, false)).isEqualTo(0x10);
        assertThat(AuthFailure.EXPIRED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_14, false)).isEqualTo(0x12);
        assertThat(AuthFailure.EXPIRED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_14, true)).isEqualTo(0x1);
        assertThat(AuthFailure.UNAUTHORIZED.sessionError().code()).isEqualTo(0x2);
        assertThat(AuthFailure.EXPIRED_AUTH_TOKEN.sessionError().code()).isEqualTo(0x18);
        assertThat(AuthFailure.expiredStreamResetCode(Draft.DRAFT_18)).isEqualTo(0x7);
    }
}
