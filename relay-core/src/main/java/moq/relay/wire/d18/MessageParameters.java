package moq.relay.wire.d18;

import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.ParameterBlock;
import moq.relay.wire.param.ParameterType;
import moq.relay.wire.param.ParameterTypes;

import java.util.List;
import java.util.Optional;

/**
 * The counted parameter block of a draft-18 control message (§"Message Parameters"), read and written by the
 * shared {@link ParameterBlock}. What is draft-18's own: its parameter types ({@link #TYPES}) and the Subscription
 * Filter.
 *
 * <p>The draft names no code for a Subscription Filter whose bytes do not fill its length exactly; we use
 * KEY_VALUE_FORMATTING_ERROR there (the rule for a length/value not matching its type's serialization), and
 * PROTOCOL_VIOLATION for the filter errors the draft does name (unknown filter type, End Group overflow).
 */
public record MessageParameters(List<Parameter> entries) implements ParameterBlock
{
    /** Draft-18's Message Parameter types (§"Message Parameters", IANA table). */
    public static final ParameterTypes TYPES = new ParameterTypes("draft-18", ParameterType.OBJECT_DELIVERY_TIMEOUT,
        ParameterType.AUTHORIZATION_TOKEN, ParameterType.RENDEZVOUS_TIMEOUT, ParameterType.SUBGROUP_DELIVERY_TIMEOUT,
        ParameterType.EXPIRES, ParameterType.LARGEST_OBJECT, ParameterType.FILL_TIMEOUT, ParameterType.FORWARD,
        ParameterType.SUBSCRIBER_PRIORITY, ParameterType.SUBSCRIPTION_FILTER, ParameterType.GROUP_ORDER,
        ParameterType.NEW_GROUP_REQUEST, ParameterType.TRACK_NAMESPACE_PREFIX);

    public static final MessageParameters EMPTY = new MessageParameters(List.of());

    public MessageParameters
    {
        entries = ParameterBlock.checked(entries, TYPES);
    }

    /** Sorts by type (stable), so callers may list parameters in any order. */
    public static MessageParameters of(final Parameter... parameters)
    {
        return new MessageParameters(ParameterBlock.sorted(parameters));
    }

    /** Reads a count and that many parameters, each of which {@code context} must allow. */
    public static MessageParameters read(final WireReader reader, final ParameterContext context) throws WireException
    {
        final List<Parameter> entries = ParameterBlock.readEntries(reader, context, TYPES, MessageParameters::readOwn);
        return entries.isEmpty() ? EMPTY : new MessageParameters(entries);
    }

    private static Parameter readOwn(final WireReader reader, final ParameterType type) throws WireException
    {
        if (type == ParameterType.SUBSCRIPTION_FILTER)
        {
            return new moq.relay.wire.d18.Parameter.Filter(SubscriptionFilter.read(ParameterBlock.lengthPrefixedValue(reader, type)));
        }
        throw WireException.protocolViolation("unknown parameter type " + type);
    }

    public Optional<SubscriptionFilter> subscriptionFilter()
    {
        final Parameter p = find(ParameterType.SUBSCRIPTION_FILTER);
        return p == null ? Optional.empty() : Optional.of(((moq.relay.wire.d18.Parameter.Filter)p).filter());
    }
}
