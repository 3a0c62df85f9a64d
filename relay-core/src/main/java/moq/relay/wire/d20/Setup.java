package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.AuthToken;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SETUP (0x2F00, draft-21 §9.1): Setup Options as delta-coded Key-Value-Pairs filling the whole payload, no count.
 * Unknown options are kept (and may repeat); known ones other than AUTHORIZATION_TOKEN must not repeat, and an
 * AUTHORIZATION_TOKEN whose Token cannot be decoded is a KEY_VALUE_FORMATTING_ERROR.
 *
 * <p>Role-dependent rules (PATH/AUTHORITY only from a client on raw QUIC, no DELETE/USE_ALIAS token to a
 * server) need to know who sent it: see {@link #validateReceivedByServer} and {@link #validateReceivedByClient}.
 */
public record Setup(List<KeyValuePair> options) implements Draft20Message
{
    public Setup
    {
        options = List.copyOf(options);
        try
        {
            validate(options);
        }
        catch (final WireException e)
        {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static Setup of(final KeyValuePair... options)
    {
        return new Setup(List.of(options));
    }

    @Override
    public long type()
    {
        return MessageType.SETUP;
    }

    public static Setup read(final WireReader reader) throws WireException
    {
        final List<KeyValuePair> options = KeyValuePairs.readToEnd(reader, true);
        validate(options);
        return new Setup(options);
    }

    private static void validate(final List<KeyValuePair> options) throws WireException
    {
        long previous = -1;
        boolean first = true;
        for (final KeyValuePair option : options)
        {
            if (!first && Long.compareUnsigned(option.type(), previous) < 0)
            {
                throw new IllegalArgumentException("setup options must ascend by type");
            }
            if (!first && option.type() == previous && SetupOption.isKnown(previous) &&
                !SetupOption.isRepeatable(previous))
            {
                throw WireException.protocolViolation("setup option 0x" + Long.toHexString(previous) + " repeated");
            }
            if (option.type() == SetupOption.AUTHORIZATION_TOKEN)
            {
                token(option.bytesValue());
            }
            previous = option.type();
            first = false;
        }
    }

    private static AuthToken token(final Bytes value) throws WireException
    {
        return AuthToken.read(new WireReader(MoqtVarint.INSTANCE).wrap(new UnsafeBuffer(value.array()), 0,
            value.length()));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        KeyValuePairs.write(writer, options, true);
    }

    private Bytes bytesOption(final long type)
    {
        for (final KeyValuePair o : options)
        {
            if (o.type() == type)
            {
                return o.bytesValue();
            }
        }
        return null;
    }

    /** PATH (0x01): path-abempty and optional "?query" of the moqt URI (raw QUIC clients only). */
    public Optional<Bytes> path()
    {
        return Optional.ofNullable(bytesOption(SetupOption.PATH));
    }

    /** AUTHORITY (0x05): the authority of the moqt URI (raw QUIC clients only). */
    public Optional<Bytes> authority()
    {
        return Optional.ofNullable(bytesOption(SetupOption.AUTHORITY));
    }

    /** MOQT_IMPLEMENTATION (0x07): the peer's implementation name and version. */
    public Optional<Bytes> implementation()
    {
        return Optional.ofNullable(bytesOption(SetupOption.MOQT_IMPLEMENTATION));
    }

    /** MAX_AUTH_TOKEN_CACHE_SIZE (0x04) in bytes; default 0, which forbids token aliases. */
    public long maxAuthTokenCacheSize()
    {
        for (final KeyValuePair o : options)
        {
            if (o.type() == SetupOption.MAX_AUTH_TOKEN_CACHE_SIZE)
            {
                return o.intValue();
            }
        }
        return 0;
    }

    /** MAX_FILTER_RANGES (0x06): Ranges the sender accepts in the Range Filters of one subscription or fetch; 0 by default, which forbids Range Filters. */
    public long maxFilterRanges()
    {
        return varintOption(SetupOption.MAX_FILTER_RANGES);
    }

    /** MAX_REQUEST_UPDATES (0x08): unanswered REQUEST_UPDATEs the sender accepts per request stream; 0 (default) = no limit. */
    public long maxRequestUpdates()
    {
        return varintOption(SetupOption.MAX_REQUEST_UPDATES);
    }

    private long varintOption(final long type)
    {
        for (final KeyValuePair o : options)
        {
            if (o.type() == type)
            {
                return o.intValue();
            }
        }
        return 0;
    }

    /** AUTHORIZATION_TOKEN options (0x03), in wire order. */
    public List<AuthToken> authorizationTokens()
    {
        final List<AuthToken> tokens = new ArrayList<>(2);
        for (final KeyValuePair o : options)
        {
            if (o.type() == SetupOption.AUTHORIZATION_TOKEN)
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
     * Checks a SETUP a server received: a token with Alias Type DELETE or USE_ALIAS is a PROTOCOL_VIOLATION
     * (draft-21 §9.1.4). Whether PATH/AUTHORITY are acceptable depends on the transport and
     * the served paths, which the session layer checks.
     */
    public void validateReceivedByServer() throws WireException
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
    public void validateReceivedByClient() throws WireException
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
