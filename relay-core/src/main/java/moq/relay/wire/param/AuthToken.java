package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;

/**
 * The Token structure of AUTHORIZATION_TOKEN (§"AUTHORIZATION TOKEN Parameter"), as a message parameter and as a
 * Setup Option. Which fields are present depends on the Alias Type; absent ones are 0 / null here.
 *
 * <pre>
 * Token { Alias Type (vi64), [Token Alias (vi64)], [Token Type (vi64)], [Token Value (..)] }
 * </pre>
 *
 * The Token Value runs to the end of the enclosing length-prefixed value.
 */
public record AuthToken(AliasType aliasType, long alias, long tokenType, Bytes value)
{
    /** Alias Type code points (IANA "Authorization Token Alias Type"). */
    public enum AliasType
    {
        /** Alias only: retire it. */
        DELETE(0x0, true, false),
        /** Alias, Type and Value: register the alias for this token. */
        REGISTER(0x1, true, true),
        /** Alias only: use the token registered under it. */
        USE_ALIAS(0x2, true, false),
        /** Type and Value, no alias. */
        USE_VALUE(0x3, false, true);

        private final int code;
        private final boolean hasAlias;
        private final boolean hasValue;

        AliasType(final int code, final boolean hasAlias, final boolean hasValue)
        {
            this.code = code;
            this.hasAlias = hasAlias;
            this.hasValue = hasValue;
        }

        public int code()
        {
            return code;
        }

        public boolean hasAlias()
        {
            return hasAlias;
        }

        /** True when Token Type and Token Value follow. */
        public boolean hasValue()
        {
            return hasValue;
        }
    }

    public AuthToken
    {
        if (aliasType == null)
        {
            throw new IllegalArgumentException("alias type required");
        }
        if (!aliasType.hasAlias && alias != 0)
        {
            throw new IllegalArgumentException(aliasType + " carries no alias");
        }
        if (aliasType.hasValue ? value == null : value != null || tokenType != 0)
        {
            throw new IllegalArgumentException(aliasType + (aliasType.hasValue ? " needs" : " carries no") +
                " token type and value");
        }
    }

    public static AuthToken delete(final long alias)
    {
        return new AuthToken(AliasType.DELETE, alias, 0, null);
    }

    public static AuthToken register(final long alias, final long tokenType, final Bytes value)
    {
        return new AuthToken(AliasType.REGISTER, alias, tokenType, value);
    }

    public static AuthToken useAlias(final long alias)
    {
        return new AuthToken(AliasType.USE_ALIAS, alias, 0, null);
    }

    public static AuthToken useValue(final long tokenType, final Bytes value)
    {
        return new AuthToken(AliasType.USE_VALUE, 0, tokenType, value);
    }

    /**
     * Reads a token filling the whole of {@code reader}. A structure that cannot be decoded is a
     * KEY_VALUE_FORMATTING_ERROR, as the draft prescribes.
     */
    public static AuthToken read(final WireReader reader) throws WireException
    {
        try
        {
            final long code = reader.varint();
            final AliasType aliasType;
            if (code == 0x0)
            {
                aliasType = AliasType.DELETE;
            }
            else if (code == 0x1)
            {
                aliasType = AliasType.REGISTER;
            }
            else if (code == 0x2)
            {
                aliasType = AliasType.USE_ALIAS;
            }
            else if (code == 0x3)
            {
                aliasType = AliasType.USE_VALUE;
            }
            else
            {
                throw WireException.kvpFormatting("token alias type " + Long.toUnsignedString(code) + " unknown");
            }
            final long alias = aliasType.hasAlias ? reader.varint() : 0;
            long tokenType = 0;
            Bytes value = null;
            if (aliasType.hasValue)
            {
                tokenType = reader.varint();
                value = reader.bytes(reader.remaining());
            }
            if (reader.hasRemaining())
            {
                throw WireException.kvpFormatting(aliasType + " token has " + reader.remaining() + " trailing bytes");
            }
            return new AuthToken(aliasType, alias, tokenType, value);
        }
        catch (final WireException e)
        {
            throw e.error() == SessionError.KEY_VALUE_FORMATTING_ERROR ? e :
                WireException.kvpFormatting("malformed token: " + e.getMessage());
        }
    }

    /** Writes the structure without a length prefix. */
    public void write(final WireWriter writer)
    {
        writer.varint(aliasType.code);
        if (aliasType.hasAlias)
        {
            writer.varint(alias);
        }
        if (aliasType.hasValue)
        {
            writer.varint(tokenType);
            writer.bytes(value);
        }
    }

    /** Size in the token cache when registered: 16 bytes plus the Token Value (§MAX_AUTH_TOKEN_CACHE_SIZE). */
    public long cacheSize()
    {
        return 16L + (value == null ? 0 : value.length());
    }
}
