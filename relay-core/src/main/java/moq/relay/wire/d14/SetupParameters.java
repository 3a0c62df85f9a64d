package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Setup Parameters of CLIENT_SETUP and SERVER_SETUP (§"Setup Parameters"), kept as the raw pair list in
 * wire order, unknown ones included, so a message re-encodes as it came. Typed accessors apply the draft's
 * defaults.
 *
 * <p>Receiving rules enforced when decoding (§"Parameters"): unknown parameters are ignored and may repeat;
 * a known one other than AUTHORIZATION TOKEN may not repeat (PROTOCOL_VIOLATION); a Token that does not
 * parse is KEY_VALUE_FORMATTING_ERROR; PATH and AUTHORITY that break RFC 3986 are MALFORMED_PATH and
 * MALFORMED_AUTHORITY, and from a server they are INVALID_PATH and INVALID_AUTHORITY. Whether PATH and
 * AUTHORITY are allowed at all (not over WebTransport) depends on the transport, so the session checks that.
 */
public record SetupParameters(List<KeyValuePair> pairs)
{
    public static final long PATH = 0x01;
    public static final long MAX_REQUEST_ID = 0x02;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    public static final long MAX_AUTH_TOKEN_CACHE_SIZE = 0x04;
    public static final long AUTHORITY = 0x05;
    /**
     * The -14 text gives MOQT_IMPLEMENTATION type 0x05, the code point it also gives AUTHORITY: the text
     * contradicts itself, as one type cannot mean both. Later drafts assign 0x07 (draft-18 does), and the
     * deployed -14 stacks we know of (moxygen, moq-dev, per the shared wire reference) send 0x07, so we do
     * too; 0x05 stays AUTHORITY, which the text defines first and fully.
     */
    public static final long MOQT_IMPLEMENTATION = 0x07;

    public static final SetupParameters EMPTY = new SetupParameters(List.of());

    public SetupParameters
    {
        pairs = List.copyOf(pairs);
        final WireException problem = problem(pairs, false);
        if (problem != null)
        {
            throw new IllegalArgumentException(problem.toString());
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /** Reads Number of Parameters and the parameters, applying the receiving rules for the sender's role. */
    public static SetupParameters read(final WireReader reader, final boolean fromServer) throws WireException
    {
        final long count = reader.varint();
        final List<KeyValuePair> pairs = KeyValuePairs.read(reader, count, false);
        final WireException problem = problem(pairs, fromServer);
        if (problem != null)
        {
            throw problem;
        }
        return new SetupParameters(pairs);
    }

    public void write(final WireWriter writer)
    {
        writer.varint(pairs.size());
        KeyValuePairs.write(writer, pairs, false);
    }

    /** @return the first receiving-rule violation in {@code pairs}, or null if there is none. */
    static WireException problem(final List<KeyValuePair> pairs, final boolean fromServer)
    {
        long seen = 0; // bit per known type (all below 64): linear, however many pairs a peer sends
        for (final KeyValuePair pair : pairs)
        {
            final long type = pair.type();
            if (!isKnown(type))
            {
                continue;
            }
            if (type == AUTHORIZATION_TOKEN)
            {
                try
                {
                    AuthorizationToken.decode(pair.bytesValue());
                }
                catch (final WireException e)
                {
                    return e;
                }
                continue;
            }
            if ((seen & (1L << type)) != 0)
            {
                return WireException.protocolViolation("setup parameter 0x" + Long.toHexString(type) + " repeated");
            }
            seen |= 1L << type;
            if (type == PATH)
            {
                if (fromServer)
                {
                    return new WireException(SessionError.INVALID_PATH, "PATH sent by a server");
                }
                if (!UriSyntax.isPathAndQuery(pair.bytesValue()))
                {
                    return new WireException(SessionError.MALFORMED_PATH, "PATH is not path-abempty [\"?\" query]");
                }
            }
            else if (type == AUTHORITY)
            {
                if (fromServer)
                {
                    return new WireException(SessionError.INVALID_AUTHORITY, "AUTHORITY sent by a server");
                }
                if (!UriSyntax.isAuthority(pair.bytesValue()))
                {
                    return new WireException(SessionError.MALFORMED_AUTHORITY, "AUTHORITY is not an RFC 3986 authority");
                }
            }
        }
        return null;
    }

    private static boolean isKnown(final long type)
    {
        return type == PATH || type == MAX_REQUEST_ID || type == AUTHORIZATION_TOKEN ||
            type == MAX_AUTH_TOKEN_CACHE_SIZE || type == AUTHORITY || type == MOQT_IMPLEMENTATION;
    }

    private KeyValuePair first(final long type)
    {
        for (final KeyValuePair pair : pairs)
        {
            if (pair.type() == type)
            {
                return pair;
            }
        }
        return null;
    }

    /** PATH: path-abempty and query of a moqt URI (raw QUIC only). */
    public Optional<Bytes> path()
    {
        final KeyValuePair p = first(PATH);
        return p == null ? Optional.empty() : Optional.of(p.bytesValue());
    }

    /** MAX_REQUEST_ID: the initial Maximum Request ID; default 0, so without it the peer may send no requests. */
    public long maxRequestId()
    {
        final KeyValuePair p = first(MAX_REQUEST_ID);
        return p == null ? 0 : p.intValue();
    }

    /** MAX_AUTH_TOKEN_CACHE_SIZE in bytes; default 0, which prohibits token aliases. */
    public long maxAuthTokenCacheSize()
    {
        final KeyValuePair p = first(MAX_AUTH_TOKEN_CACHE_SIZE);
        return p == null ? 0 : p.intValue();
    }

    /** AUTHORITY: authority of a moqt URI (raw QUIC only). */
    public Optional<Bytes> authority()
    {
        final KeyValuePair p = first(AUTHORITY);
        return p == null ? Optional.empty() : Optional.of(p.bytesValue());
    }

    /** MOQT_IMPLEMENTATION: the sender's implementation name and version, UTF-8 by convention. */
    public Optional<Bytes> implementation()
    {
        final KeyValuePair p = first(MOQT_IMPLEMENTATION);
        return p == null ? Optional.empty() : Optional.of(p.bytesValue());
    }

    /** Every AUTHORIZATION TOKEN, in wire order (the parameter may repeat). */
    public List<AuthorizationToken> authorizationTokens()
    {
        return MessageParameters.tokens(pairs, AUTHORIZATION_TOKEN);
    }

    /** Builds a parameter list in the order the calls are made. */
    public static final class Builder
    {
        private final List<KeyValuePair> pairs = new ArrayList<>();

        public Builder path(final String path)
        {
            pairs.add(KeyValuePair.ofBytes(PATH, Bytes.utf8(path)));
            return this;
        }

        public Builder maxRequestId(final long maxRequestId)
        {
            pairs.add(KeyValuePair.ofVarint(MAX_REQUEST_ID, maxRequestId));
            return this;
        }

        public Builder authorizationToken(final AuthorizationToken token)
        {
            pairs.add(KeyValuePair.ofBytes(AUTHORIZATION_TOKEN, token.encode()));
            return this;
        }

        public Builder maxAuthTokenCacheSize(final long bytes)
        {
            pairs.add(KeyValuePair.ofVarint(MAX_AUTH_TOKEN_CACHE_SIZE, bytes));
            return this;
        }

        public Builder authority(final String authority)
        {
            pairs.add(KeyValuePair.ofBytes(AUTHORITY, Bytes.utf8(authority)));
            return this;
        }

        public Builder implementation(final String nameAndVersion)
        {
            pairs.add(KeyValuePair.ofBytes(MOQT_IMPLEMENTATION, Bytes.utf8(nameAndVersion)));
            return this;
        }

        /** Any pair, for extensions and GREASE. */
        public Builder add(final KeyValuePair pair)
        {
            pairs.add(pair);
            return this;
        }

        public SetupParameters build()
        {
            return new SetupParameters(pairs);
        }
    }
}
