package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * SETUP's Setup Options as drafts 18 and 20 both define them: delta-coded Key-Value-Pairs filling the whole payload,
 * no count; unknown options are kept (and may repeat); known ones other than AUTHORIZATION_TOKEN must not repeat, and
 * an AUTHORIZATION_TOKEN whose Token cannot be decoded is a KEY_VALUE_FORMATTING_ERROR. Each draft's {@code Setup}
 * record implements it and says which options it knows (draft 20 adds MAX_FILTER_RANGES and MAX_REQUEST_UPDATES).
 *
 * <p>Role-dependent rules (PATH/AUTHORITY only from a client on raw QUIC, no DELETE/USE_ALIAS token to a server) need
 * to know who sent it: see {@link #validateReceivedByServer} and {@link #validateReceivedByClient}.
 */
public interface SetupOptions
{
    /** The option types both drafts define with the same meaning (draft 18 §"Setup Options", draft-21 §9.1). */
    long PATH = 0x01;
    long AUTHORIZATION_TOKEN = 0x03;
    long MAX_AUTH_TOKEN_CACHE_SIZE = 0x04;
    long AUTHORITY = 0x05;
    long MOQT_IMPLEMENTATION = 0x07;

    List<KeyValuePair> options();

    /** The construction and decoding check; {@code known} tells the draft's known option types. */
    static void validate(final List<KeyValuePair> options, final LongPredicate known) throws WireException
    {
        long previous = -1;
        boolean first = true;
        for (final KeyValuePair option : options)
        {
            if (!first && Long.compareUnsigned(option.type(), previous) < 0)
            {
                throw new IllegalArgumentException("setup options must ascend by type");
            }
            if (!first && option.type() == previous && known.test(previous) && previous != AUTHORIZATION_TOKEN)
            {
                throw WireException.protocolViolation("setup option 0x" + Long.toHexString(previous) + " repeated");
            }
            if (option.type() == AUTHORIZATION_TOKEN)
            {
                token(option.bytesValue());
            }
            previous = option.type();
            first = false;
        }
    }

    /** Reads the options filling the payload and checks them ({@link #validate}). */
    static List<KeyValuePair> read(final WireReader reader, final LongPredicate known) throws WireException
    {
        final List<KeyValuePair> options = KeyValuePairs.readToEnd(reader, true);
        validate(options, known);
        return options;
    }

    /** {@link #validate} for a record's compact constructor: a local construction error is a bug in the caller. */
    static List<KeyValuePair> checked(final List<KeyValuePair> options, final LongPredicate known)
    {
        final List<KeyValuePair> copy = List.copyOf(options);
        try
        {
            validate(copy, known);
        }
        catch (final WireException e)
        {
            throw new IllegalArgumentException(e.getMessage());
        }
        return copy;
    }

    private static AuthToken token(final Bytes value) throws WireException
    {
        return AuthToken.read(new WireReader(MoqtVarint.INSTANCE).wrap(new UnsafeBuffer(value.array()), 0,
            value.length()));
    }

    private Bytes bytesOption(final long type)
    {
        for (final KeyValuePair o : options())
        {
            if (o.type() == type)
            {
                return o.bytesValue();
            }
        }
        return null;
    }

    /** A varint option's value; 0 when absent (every such option of both drafts defaults to 0). */
    default long varintOption(final long type)
    {
        for (final KeyValuePair o : options())
        {
            if (o.type() == type)
            {
                return o.intValue();
            }
        }
        return 0;
    }

    /** PATH (0x01): path-abempty and optional "?query" of the moqt URI (raw QUIC clients only). */
    default Optional<Bytes> path()
    {
        return Optional.ofNullable(bytesOption(PATH));
    }

    /** AUTHORITY (0x05): the authority of the moqt URI (raw QUIC clients only). */
    default Optional<Bytes> authority()
    {
        return Optional.ofNullable(bytesOption(AUTHORITY));
    }

    /** MOQT_IMPLEMENTATION (0x07): the peer's implementation name and version. */
    default Optional<Bytes> implementation()
    {
        return Optional.ofNullable(bytesOption(MOQT_IMPLEMENTATION));
    }

    /** MAX_AUTH_TOKEN_CACHE_SIZE (0x04) in bytes; default 0, which forbids token aliases. */
    default long maxAuthTokenCacheSize()
    {
        return varintOption(MAX_AUTH_TOKEN_CACHE_SIZE);
    }

    /** AUTHORIZATION_TOKEN options (0x03), in wire order. */
    default List<AuthToken> authorizationTokens()
    {
        final List<AuthToken> tokens = new ArrayList<>(2);
        for (final KeyValuePair o : options())
        {
            if (o.type() == AUTHORIZATION_TOKEN)
            {
                try
                {
                    tokens.add(token(o.bytesValue()));
                }
                catch (final WireException e)
                {
                    throw new IllegalStateException("validated at construction", e);
                }
            }
        }
        return tokens;
    }

    /**
     * Checks a SETUP a server received: a token with Alias Type DELETE or USE_ALIAS is a PROTOCOL_VIOLATION (draft 18
     * §"AUTHORIZATION TOKEN Parameter", draft-21 §9.1.4). Whether PATH/AUTHORITY are acceptable depends on the
     * transport and the served paths, which the session layer checks.
     */
    default void validateReceivedByServer() throws WireException
    {
        for (final AuthToken t : authorizationTokens())
        {
            if (t.aliasType() == AuthToken.AliasType.DELETE || t.aliasType() == AuthToken.AliasType.USE_ALIAS)
            {
                throw WireException.protocolViolation("SETUP token with alias type " + t.aliasType());
            }
        }
    }

    /** Checks a SETUP a client received: a server must not send PATH (INVALID_PATH) or AUTHORITY (INVALID_AUTHORITY). */
    default void validateReceivedByClient() throws WireException
    {
        if (path().isPresent())
        {
            throw new WireException(SessionError.INVALID_PATH, "server sent PATH");
        }
        if (authority().isPresent())
        {
            throw new WireException(SessionError.INVALID_AUTHORITY, "server sent AUTHORITY");
        }
    }
}
