package moq.relay.wire.param;

import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The counted parameter block of a draft-18 or draft-20 control message: {@code Number of Parameters (vi64),
 * {Type Delta (vi64), Value (..)} ...}, types ascending. Written once here; each draft's {@code MessageParameters}
 * record implements it with the draft's {@link ParameterTypes}, its scopes and the values of the types it alone has.
 *
 * <p>Entries keep wire order, so a decoded block re-encodes to the same bytes (when the peer used minimal varints).
 * Lookups return empty when the parameter is absent; the messages apply the draft's defaults.
 *
 * <p>Error codes: an unknown type, a type the message may not carry, a repeated type that is not {@link
 * ParameterType#repeatable}, a type delta past 2^64-1, a FORWARD other than 0/1 and a GROUP_ORDER other than 1/2 are
 * PROTOCOL_VIOLATIONs, as both drafts say. A Token that cannot be decoded is a KEY_VALUE_FORMATTING_ERROR.
 */
public interface ParameterBlock
{
    List<Parameter> entries();

    /** Reads the value of a type the draft alone has; {@link #readValue} has read the shared ones. */
    @FunctionalInterface
    interface DraftValues
    {
        Parameter read(WireReader reader, ParameterType type) throws WireException;

        /**
         * Whether this reader reads {@code type} itself although the drafts share it: a peer's own serialization of
         * a shared type (d20's {@code ParameterForm}).
         */
        default boolean overrides(final ParameterType type)
        {
            return false;
        }
    }

    default boolean isEmpty()
    {
        return entries().isEmpty();
    }

    default int size()
    {
        return entries().size();
    }

    /** The construction check: types ascend, only repeatable ones repeat, and every type is one {@code types} defines. */
    static List<Parameter> checked(final List<Parameter> entries, final ParameterTypes types)
    {
        final List<Parameter> copy = List.copyOf(entries);
        ParameterType previous = null;
        for (final Parameter p : copy)
        {
            if (!types.defines(p.type()))
            {
                throw new IllegalArgumentException(types.draft() + " has no parameter " + p.type());
            }
            if (previous != null && (Long.compareUnsigned(p.type().code(), previous.code()) < 0 ||
                (p.type() == previous && !p.type().repeatable())))
            {
                throw new IllegalArgumentException("parameters must ascend by type, only tokens and range filters " +
                    "repeat: " + copy);
            }
            previous = p.type();
        }
        return copy;
    }

    /** The parameters sorted by type (stable), so callers may list them in any order. */
    static List<Parameter> sorted(final Parameter... parameters)
    {
        final List<Parameter> list = new ArrayList<>(Arrays.asList(parameters));
        list.sort((a, b) -> Long.compareUnsigned(a.type().code(), b.type().code()));
        return list;
    }

    /**
     * Reads a count and that many parameters, each of a type {@code types} defines and {@code scope} allows; an empty
     * block is {@code List.of()}.
     */
    static List<Parameter> readEntries(final WireReader reader, final ParameterScope scope, final ParameterTypes types,
        final DraftValues draftValues) throws WireException
    {
        final long count = reader.varint();
        // A parameter takes at least two bytes (type delta, then a value of one byte or more): a larger count
        // cannot be honest, and must not size anything.
        if (Long.compareUnsigned(count, reader.remaining() / 2) > 0)
        {
            throw WireException.protocolViolation("parameter count " + Long.toUnsignedString(count) +
                " exceeds what the message can hold");
        }
        if (count == 0)
        {
            return List.of();
        }
        final List<Parameter> entries = new ArrayList<>((int)count);
        long previous = 0;
        ParameterType previousType = null;
        for (int i = 0; i < count; i++)
        {
            final long delta = reader.varint();
            final long code = previous + delta;
            if (Long.compareUnsigned(code, previous) < 0)
            {
                throw WireException.protocolViolation("parameter type delta overflows 2^64-1");
            }
            final ParameterType type = types.of(code);
            if (type == null)
            {
                throw WireException.protocolViolation("unknown parameter type 0x" + Long.toHexString(code));
            }
            if (!scope.allows(type))
            {
                throw WireException.protocolViolation("parameter " + type + " not allowed in " + scope.name());
            }
            if (type == previousType && !type.repeatable())
            {
                throw WireException.protocolViolation("duplicate parameter " + type);
            }
            entries.add(readValue(reader, type, draftValues));
            previous = code;
            previousType = type;
        }
        return entries;
    }

    private static Parameter readValue(final WireReader reader, final ParameterType type, final DraftValues draftValues)
        throws WireException
    {
        if (draftValues.overrides(type))
        {
            return draftValues.read(reader, type);
        }
        switch (type)
        {
            case OBJECT_DELIVERY_TIMEOUT:
                return new Parameter.ObjectDeliveryTimeout(reader.varint());
            case AUTHORIZATION_TOKEN:
                return new Parameter.AuthorizationToken(AuthToken.read(lengthPrefixedValue(reader, type)));
            case RENDEZVOUS_TIMEOUT:
                return new Parameter.RendezvousTimeout(reader.varint());
            case SUBGROUP_DELIVERY_TIMEOUT:
                return new Parameter.SubgroupDeliveryTimeout(reader.varint());
            case EXPIRES:
                return new Parameter.Expires(reader.varint());
            case LARGEST_OBJECT:
                return new Parameter.LargestObject(reader.location());
            case FILL_TIMEOUT:
                return new Parameter.FillTimeout(reader.varint());
            case FORWARD:
                return new Parameter.Forward(readBoolean(reader, type));
            case SUBSCRIBER_PRIORITY:
                return new Parameter.SubscriberPriority(reader.uint8());
            case GROUP_ORDER:
                return new Parameter.Order(GroupOrder.of(reader.uint8()));
            case NEW_GROUP_REQUEST:
                return new Parameter.NewGroupRequest(reader.varint());
            case TRACK_NAMESPACE_PREFIX:
                return new Parameter.TrackNamespacePrefix(reader.namespace(0, true));
            default:
                return draftValues.read(reader, type);
        }
    }

    /** A uint8 0 or 1 (FORWARD, INCLUDE_PROPERTIES); any other value is a PROTOCOL_VIOLATION. */
    static boolean readBoolean(final WireReader reader, final ParameterType type) throws WireException
    {
        final int value = reader.uint8();
        if (value > 1)
        {
            throw WireException.protocolViolation(type + " " + value + " is neither 0 nor 1");
        }
        return value == 1;
    }

    /** A reader over exactly the value's bytes; the outer reader moves past them. */
    static WireReader lengthPrefixedValue(final WireReader reader, final ParameterType type) throws WireException
    {
        final int length = reader.varintAsInt(reader.remaining(), type + " length");
        final WireReader value = new WireReader(reader.varintScheme()).wrap(reader.buffer(), reader.position(), length);
        reader.skip(length);
        return value;
    }

    default void write(final WireWriter writer)
    {
        writer.varint(entries().size());
        long previous = 0;
        for (final Parameter p : entries())
        {
            writer.varint(p.type().code() - previous);
            previous = p.type().code();
            p.writeValue(writer);
        }
    }

    /** Checks that every entry may appear in {@code scope}; the session layer's check for shared messages. */
    default void validateIn(final ParameterScope scope) throws WireException
    {
        for (final Parameter p : entries())
        {
            if (!scope.allows(p.type()))
            {
                throw WireException.protocolViolation("parameter " + p.type() + " not allowed in " + scope.name());
            }
        }
    }

    /** For local construction: a disallowed parameter is a bug in the caller. */
    default void requireAllowedIn(final ParameterScope scope)
    {
        for (final Parameter p : entries())
        {
            if (!scope.allows(p.type()))
            {
                throw new IllegalArgumentException("parameter " + p.type() + " not allowed in " + scope.name());
            }
        }
    }

    /** The first entry of {@code type}, or null. */
    default Parameter find(final ParameterType type)
    {
        for (final Parameter p : entries())
        {
            if (p.type() == type)
            {
                return p;
            }
        }
        return null;
    }

    default OptionalLong objectDeliveryTimeout()
    {
        final Parameter p = find(ParameterType.OBJECT_DELIVERY_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.ObjectDeliveryTimeout)p).millis());
    }

    /** All AUTHORIZATION_TOKEN entries in wire order. */
    default List<AuthToken> authorizationTokens()
    {
        final List<AuthToken> tokens = new ArrayList<>(2);
        for (final Parameter p : entries())
        {
            if (p instanceof Parameter.AuthorizationToken)
            {
                tokens.add(((Parameter.AuthorizationToken)p).token());
            }
        }
        return tokens;
    }

    default OptionalLong rendezvousTimeout()
    {
        final Parameter p = find(ParameterType.RENDEZVOUS_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.RendezvousTimeout)p).millis());
    }

    default OptionalLong subgroupDeliveryTimeout()
    {
        final Parameter p = find(ParameterType.SUBGROUP_DELIVERY_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.SubgroupDeliveryTimeout)p).millis());
    }

    default OptionalLong expires()
    {
        final Parameter p = find(ParameterType.EXPIRES);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.Expires)p).millis());
    }

    default Optional<Location> largestObject()
    {
        final Parameter p = find(ParameterType.LARGEST_OBJECT);
        if (p instanceof Parameter.LengthPrefixedLargestObject)
        {
            return Optional.of(((Parameter.LengthPrefixedLargestObject)p).location());
        }
        return p == null ? Optional.empty() : Optional.of(((Parameter.LargestObject)p).location());
    }

    default OptionalLong fillTimeout()
    {
        final Parameter p = find(ParameterType.FILL_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.FillTimeout)p).millis());
    }

    default Optional<Boolean> forward()
    {
        final Parameter p = find(ParameterType.FORWARD);
        return p == null ? Optional.empty() : Optional.of(((Parameter.Forward)p).forward());
    }

    default OptionalInt subscriberPriority()
    {
        final Parameter p = find(ParameterType.SUBSCRIBER_PRIORITY);
        return p == null ? OptionalInt.empty() : OptionalInt.of(((Parameter.SubscriberPriority)p).priority());
    }

    default Optional<GroupOrder> groupOrder()
    {
        final Parameter p = find(ParameterType.GROUP_ORDER);
        return p == null ? Optional.empty() : Optional.of(((Parameter.Order)p).order());
    }

    default OptionalLong newGroupRequest()
    {
        final Parameter p = find(ParameterType.NEW_GROUP_REQUEST);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.NewGroupRequest)p).value());
    }

    default Optional<TrackNamespace> trackNamespacePrefix()
    {
        final Parameter p = find(ParameterType.TRACK_NAMESPACE_PREFIX);
        return p == null ? Optional.empty() : Optional.of(((Parameter.TrackNamespacePrefix)p).prefix());
    }
}
