package moq.relay.auth;

import moq.relay.wire.Bytes;
import moq.relay.wire.d14.AuthorizationToken;
import moq.relay.wire.param.AuthToken;

/**
 * The Token structure of an AUTHORIZATION TOKEN parameter or Setup Option, whichever draft decoded it: Alias Type,
 * Token Alias (DELETE, REGISTER, USE_ALIAS), Token Type and Token Value (REGISTER, USE_VALUE).
 */
public record TokenRef(Kind kind, long alias, long tokenType, Bytes value)
{
    /** Alias Type code points (drafts 14 and 18 share them). */
    public enum Kind
    {
        DELETE, REGISTER, USE_ALIAS, USE_VALUE
    }

    public static TokenRef of(final AuthToken token)
    {
        return new TokenRef(Kind.valueOf(token.aliasType().name()), token.alias(), token.tokenType(), token.value());
    }

    public static TokenRef of(final AuthorizationToken token)
    {
        return new TokenRef(Kind.valueOf(token.aliasType().name()), token.alias(), token.tokenType(), token.value());
    }

    public static TokenRef useValue(final Credential credential)
    {
        return new TokenRef(Kind.USE_VALUE, 0, credential.tokenType(), credential.value());
    }

    /** Cache size of a registration: 16 bytes plus the Token Value (MAX_AUTH_TOKEN_CACHE_SIZE, both drafts). */
    public long cacheSize()
    {
        return 16L + (value == null ? 0 : value.length());
    }

    @Override
    public String toString()
    {
        return "TokenRef{" + kind + (kind == Kind.USE_VALUE ? "" : " alias=" + alias) +
            (value == null ? "" : ", type=0x" + Long.toHexString(tokenType) + ", " + value.length() + " bytes") + "}";
    }
}
