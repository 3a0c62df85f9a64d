package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Objects;

/**
 * The Token structure carried in an AUTHORIZATION TOKEN parameter (§"AUTHORIZATION TOKEN"):
 * {@code Alias Type (i), [Token Alias (i)], [Token Type (i)], [Token Value (..)]}, the Token Value running
 * to the end of the parameter value. Which optional fields are present depends on the alias type; a value
 * that does not parse as this structure closes the session with KEY_VALUE_FORMATTING_ERROR.
 *
 * <p>{@code alias} is 0 for USE_VALUE; {@code tokenType} is 0 and {@code value} null for DELETE and USE_ALIAS.
 * Registration, cache size and expiry are session state, not the codec's.
 */
public record AuthorizationToken(AliasType aliasType, long alias, long tokenType, Bytes value)
{
    /** Alias Type code points. */
    public enum AliasType
    {
        /** Alias only: retire the alias. */
        DELETE(0x0, true, false),
        /** Alias, type and value: register the alias for the session. */
        REGISTER(0x1, true, true),
        /** Alias only: use the previously registered type and value. */
        USE_ALIAS(0x2, true, false),
        /** Type and value, no alias: use once. */
        USE_VALUE(0x3, false, true);

        private final long code;
        private final boolean hasAlias;
        private final boolean hasValue;

        AliasType(final long code, final boolean hasAlias, final boolean hasValue)
        {
            this.code = code;
            this.hasAlias = hasAlias;
            this.hasValue = hasValue;
        }

        public long code()
        {
            return code;
        }

        public boolean hasAlias()
        {
            return hasAlias;
        }

        /** Whether Token Type and Token Value follow. */
        public boolean hasValue()
        {
            return hasValue;
        }

        public static AliasType ofCode(final long code)
        {
            for (final AliasType t : values())
            {
                if (t.code == code)
                {
                    return t;
                }
            }
            return null;
        }
    }

    public AuthorizationToken
    {
        Objects.requireNonNull(aliasType, "aliasType");
        if (!aliasType.hasAlias() && alias != 0)
        {
            throw new IllegalArgumentException(aliasType + " carries no alias");
        }
        if (aliasType.hasValue() != (value != null))
        {
            throw new IllegalArgumentException(aliasType + (aliasType.hasValue() ? " needs" : " has no") + " token value");
        }
        if (!aliasType.hasValue() && tokenType != 0)
        {
            throw new IllegalArgumentException(aliasType + " carries no token type");
        }
    }

    public static AuthorizationToken delete(final long alias)
    {
        return new AuthorizationToken(AliasType.DELETE, alias, 0, null);
    }

    public static AuthorizationToken register(final long alias, final long tokenType, final Bytes value)
    {
        return new AuthorizationToken(AliasType.REGISTER, alias, tokenType, value);
    }

    public static AuthorizationToken useAlias(final long alias)
    {
        return new AuthorizationToken(AliasType.USE_ALIAS, alias, 0, null);
    }

    public static AuthorizationToken useValue(final long tokenType, final Bytes value)
    {
        return new AuthorizationToken(AliasType.USE_VALUE, 0, tokenType, value);
    }

    /** Parses a parameter value; anything that is not exactly one Token structure is KEY_VALUE_FORMATTING_ERROR. */
    public static AuthorizationToken decode(final Bytes encoded) throws WireException
    {
        final WireReader reader = new WireReader(Draft.DRAFT_14.varint())
            .wrap(new UnsafeBuffer(encoded.array()), 0, encoded.length());
        try
        {
            final long code = reader.varint();
            final AliasType aliasType = AliasType.ofCode(code);
            if (aliasType == null)
            {
                throw WireException.kvpFormatting("authorization token alias type 0x" + Long.toHexString(code) +
                    " is unknown");
            }
            final long alias = aliasType.hasAlias() ? reader.varint() : 0;
            if (!aliasType.hasValue())
            {
                if (reader.hasRemaining())
                {
                    throw WireException.kvpFormatting("authorization token " + aliasType + " has " +
                        reader.remaining() + " bytes after its alias");
                }
                return new AuthorizationToken(aliasType, alias, 0, null);
            }
            final long tokenType = reader.varint();
            return new AuthorizationToken(aliasType, alias, tokenType, reader.bytes(reader.remaining()));
        }
        catch (final WireException e)
        {
            // Truncation inside the value is a malformed Token, not a malformed message.
            throw e.error() == SessionError.KEY_VALUE_FORMATTING_ERROR ? e :
                WireException.kvpFormatting("authorization token: " + e.getMessage());
        }
    }

    /** The parameter value: the serialized Token structure. */
    public Bytes encode()
    {
        final WireWriter writer = new WireWriter(Draft.DRAFT_14.varint(), new ExpandableArrayBuffer(16 +
            (value == null ? 0 : value.length())));
        writer.varint(aliasType.code());
        if (aliasType.hasAlias())
        {
            writer.varint(alias);
        }
        if (aliasType.hasValue())
        {
            writer.varint(tokenType).bytes(value);
        }
        return Bytes.wrap(writer.toByteArray(0));
    }

    /** Bytes this token occupies in the peer's cache when registered (§"MAX_AUTH_TOKEN_CACHE_SIZE"): 16 + value. */
    public long cacheSize()
    {
        return 16L + (value == null ? 0 : value.length());
    }
}
