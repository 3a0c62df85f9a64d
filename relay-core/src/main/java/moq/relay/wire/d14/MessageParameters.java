package moq.relay.wire.d14;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;

/**
 * The version-specific Parameters of a draft-14 message other than SETUP (§"Version Specific Parameters"),
 * kept as the raw pair list in wire order, unknown ones included, so a message re-encodes as it came.
 *
 * <p>Each parameter is defined for some message types only; elsewhere it "MUST be ignored", so it is then
 * treated like an unknown parameter: kept, allowed to repeat, not parsed. Where it is defined, a repeat is a
 * PROTOCOL_VIOLATION (except AUTHORIZATION TOKEN, which may repeat) and an unparseable Token a
 * KEY_VALUE_FORMATTING_ERROR. Read typed values through {@link ParameterizedMessage}, which knows the type.
 */
public record MessageParameters(List<KeyValuePair> pairs)
{
    /** Milliseconds a relay keeps trying to forward an object; absent means no timeout. */
    public static final long DELIVERY_TIMEOUT = 0x02;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    /** Milliseconds an object may be served from cache; absent means no limit. */
    public static final long MAX_CACHE_DURATION = 0x04;

    public static final MessageParameters EMPTY = new MessageParameters(List.of());

    public MessageParameters
    {
        pairs = List.copyOf(pairs);
    }

    public static MessageParameters of(final KeyValuePair... pairs)
    {
        return new MessageParameters(List.of(pairs));
    }

    /** Whether the draft defines parameter {@code type} for {@code message}; if not, receivers ignore it. */
    public static boolean isDefinedFor(final long type, final MessageType message)
    {
        if (type == DELIVERY_TIMEOUT)
        {
            switch (message)
            {
                case TRACK_STATUS:
                case TRACK_STATUS_OK:
                case PUBLISH:
                case PUBLISH_OK:
                case SUBSCRIBE:
                case SUBSCRIBE_OK:
                case SUBSCRIBE_UPDATE:
                    return true;
                default:
                    return false;
            }
        }
        if (type == AUTHORIZATION_TOKEN)
        {
            switch (message)
            {
                case PUBLISH:
                case SUBSCRIBE:
                case SUBSCRIBE_UPDATE:
                case SUBSCRIBE_NAMESPACE:
                case PUBLISH_NAMESPACE:
                case TRACK_STATUS:
                case FETCH:
                    return true;
                default:
                    return false;
            }
        }
        if (type == MAX_CACHE_DURATION)
        {
            switch (message)
            {
                case PUBLISH:
                case SUBSCRIBE_OK:
                case FETCH_OK:
                case TRACK_STATUS_OK:
                    return true;
                default:
                    return false;
            }
        }
        return false;
    }

    /** Reads Number of Parameters and the parameters of a {@code message}, applying the receiving rules. */
    public static MessageParameters read(final WireReader reader, final MessageType message) throws WireException
    {
        final long count = reader.varint();
        final List<KeyValuePair> pairs = KeyValuePairs.read(reader, count, false);
        final WireException problem = problem(pairs, message);
        if (problem != null)
        {
            throw problem;
        }
        return new MessageParameters(pairs);
    }

    public void write(final WireWriter writer)
    {
        writer.varint(pairs.size());
        KeyValuePairs.write(writer, pairs, false);
    }

    /** For message constructors: a parameter list the peer could not legally send is a local bug. */
    void requireValidFor(final MessageType message)
    {
        final WireException problem = problem(pairs, message);
        if (problem != null)
        {
            throw new IllegalArgumentException(message + ": " + problem);
        }
    }

    /** @return the first receiving-rule violation, or null if there is none. */
    static WireException problem(final List<KeyValuePair> pairs, final MessageType message)
    {
        long seen = 0; // bit per defined type (all below 64): linear, however many pairs a peer sends
        for (final KeyValuePair pair : pairs)
        {
            final long type = pair.type();
            if (!isDefinedFor(type, message))
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
                return WireException.protocolViolation(message + " parameter 0x" + Long.toHexString(type) + " repeated");
            }
            seen |= 1L << type;
        }
        return null;
    }

    /** The varint value of {@code type} if present and defined for {@code message}. */
    public OptionalLong varint(final long type, final MessageType message)
    {
        if (isDefinedFor(type, message))
        {
            for (final KeyValuePair pair : pairs)
            {
                if (pair.type() == type)
                {
                    return OptionalLong.of(pair.intValue());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Every AUTHORIZATION TOKEN in wire order, if the parameter is defined for {@code message}. */
    public List<AuthorizationToken> authorizationTokens(final MessageType message)
    {
        return isDefinedFor(AUTHORIZATION_TOKEN, message) ? tokens(pairs, AUTHORIZATION_TOKEN) : List.of();
    }

    /** Tokens of already validated pairs. */
    static List<AuthorizationToken> tokens(final List<KeyValuePair> pairs, final long type)
    {
        List<AuthorizationToken> tokens = null;
        for (final KeyValuePair pair : pairs)
        {
            if (pair.type() == type)
            {
                if (tokens == null)
                {
                    tokens = new ArrayList<>();
                }
                try
                {
                    tokens.add(AuthorizationToken.decode(pair.bytesValue()));
                }
                catch (final WireException e)
                {
                    throw new IllegalStateException("token validated on construction: " + e, e);
                }
            }
        }
        return tokens == null ? List.of() : Collections.unmodifiableList(tokens);
    }
}
