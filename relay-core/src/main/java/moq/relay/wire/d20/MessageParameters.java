package moq.relay.wire.d20;

import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.AuthToken;
import moq.relay.wire.d18.GroupOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The counted parameter block of a draft-20 control message (draft-21 §9.20):
 * {@code Number of Parameters (vi64), {Type Delta (vi64), Value (..)} ...}, types ascending.
 *
 * <p>Entries keep wire order, so a decoded block re-encodes to the same bytes (when the peer used minimal
 * varints). Lookups return empty when the parameter is absent; the messages apply the draft's defaults.
 *
 * <p>Error codes: an unknown type, a type the message may not carry, a repeated type other than AUTHORIZATION_TOKEN
 * and the Range Filters, a type delta past 2^64-1, a FORWARD or INCLUDE_PROPERTIES other than 0/1 and a GROUP_ORDER
 * other than 1/2 are PROTOCOL_VIOLATIONs, as the draft says; so is a parameter inside FILL_PARAMETERS that Table 6
 * does not list. A Token that cannot be decoded is a KEY_VALUE_FORMATTING_ERROR, as the draft says. The draft names no
 * code for a Location or Range Filter whose bytes do not fill its length exactly; we use KEY_VALUE_FORMATTING_ERROR
 * there, the rule for a value not matching its type's serialization (§8.3), as for draft-18's Subscription Filter. A
 * FILL_PARAMETERS block is encoded like a message's parameters, so its length mismatch is a message's:
 * PROTOCOL_VIOLATION. What the draft answers with REQUEST_ERROR INVALID_FILTER (a Range Filter that overflows,
 * repeats, exceeds MAX_FILTER_RANGES, ...) decodes, and {@link #rangeFilterProblem} reports it to the session layer.
 */
public record MessageParameters(List<Parameter> entries)
{
    public static final MessageParameters EMPTY = new MessageParameters(List.of());

    public MessageParameters
    {
        entries = List.copyOf(entries);
        ParameterType previous = null;
        for (final Parameter p : entries)
        {
            if (previous != null && (Long.compareUnsigned(p.type().code(), previous.code()) < 0 ||
                (p.type() == previous && !p.type().repeatable())))
            {
                throw new IllegalArgumentException("parameters must ascend by type, only tokens and range filters repeat: " +
                    entries);
            }
            previous = p.type();
        }
    }

    /** Sorts by type (stable), so callers may list parameters in any order. */
    public static MessageParameters of(final Parameter... parameters)
    {
        final List<Parameter> list = new ArrayList<>(Arrays.asList(parameters));
        list.sort((a, b) -> Long.compareUnsigned(a.type().code(), b.type().code()));
        return new MessageParameters(list);
    }

    public boolean isEmpty()
    {
        return entries.isEmpty();
    }

    public int size()
    {
        return entries.size();
    }

    /** Reads a count and that many parameters, each of which {@code context} must allow. */
    public static MessageParameters read(final WireReader reader, final ParameterContext context) throws WireException
    {
        return read(reader, context, ParameterForm.DRAFT);
    }

    /** As {@link #read(WireReader, ParameterContext)}, with the values serialized in {@code form}. */
    public static MessageParameters read(final WireReader reader, final ParameterContext context,
        final ParameterForm form) throws WireException
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
            return EMPTY;
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
            final ParameterType type = ParameterType.of(code);
            if (type == null)
            {
                throw WireException.protocolViolation("unknown parameter type 0x" + Long.toHexString(code));
            }
            if (!context.allows(type))
            {
                throw WireException.protocolViolation("parameter " + type + " not allowed in " + context);
            }
            if (type == previousType && !type.repeatable())
            {
                throw WireException.protocolViolation("duplicate parameter " + type);
            }
            entries.add(readValue(reader, type, form));
            previous = code;
            previousType = type;
        }
        return new MessageParameters(entries);
    }

    private static Parameter readValue(final WireReader reader, final ParameterType type, final ParameterForm form)
        throws WireException
    {
        if (form == ParameterForm.ODD_TYPES_LENGTH_PREFIXED)
        {
            if (type == ParameterType.LARGEST_OBJECT)
            {
                return new Parameter.LengthPrefixedLargestObject(lengthPrefixedLocation(reader));
            }
            if (type == ParameterType.INCLUDE_PROPERTIES)
            {
                return new Parameter.LengthPrefixedIncludeProperties(lengthPrefixedIncludeProperties(reader));
            }
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
            {
                final int value = reader.uint8();
                if (value > 1)
                {
                    throw WireException.protocolViolation("FORWARD " + value + " is neither 0 nor 1");
                }
                return new Parameter.Forward(value == 1);
            }
            case SUBSCRIBER_PRIORITY:
                return new Parameter.SubscriberPriority(reader.uint8());
            case LOCATION_FILTER:
                return new Parameter.LocationFilterParameter(LocationFilter.read(lengthPrefixedValue(reader, type)));
            case GROUP_ORDER:
                return new Parameter.Order(GroupOrder.of(reader.uint8()));
            case FILL_PARAMETERS:
                return new Parameter.FillParameters(fillParameters(lengthPrefixedValue(reader, type)));
            case SUBGROUP_FILTER:
            case OBJECTID_FILTER:
            case PRIORITY_FILTER:
            case OBJECT_PROPERTY_FILTER:
            case TRACK_PROPERTY_FILTER:
                return new Parameter.Range(RangeFilter.read(type, lengthPrefixedValue(reader, type)));
            case NEW_GROUP_REQUEST:
                return new Parameter.NewGroupRequest(reader.varint());
            case INCLUDE_PROPERTIES:
            {
                final int value = reader.uint8();
                if (value > 1)
                {
                    throw WireException.protocolViolation("INCLUDE_PROPERTIES " + value + " is neither 0 nor 1");
                }
                return new Parameter.IncludeProperties(value == 1);
            }
            case TRACK_NAMESPACE_PREFIX:
                return new Parameter.TrackNamespacePrefix(reader.namespace(0, true));
            default:
                throw WireException.protocolViolation("unknown parameter type " + type);
        }
    }

    /**
     * {@link ParameterForm#ODD_TYPES_LENGTH_PREFIXED}'s LARGEST_OBJECT: a length, then exactly a Location. Bytes that do
     * not fill the length exactly are KEY_VALUE_FORMATTING_ERROR, as for a Location Filter.
     */
    private static Location lengthPrefixedLocation(final WireReader reader) throws WireException
    {
        final WireReader value = lengthPrefixedValue(reader, ParameterType.LARGEST_OBJECT);
        final Location location;
        try
        {
            location = value.location();
        }
        catch (final WireException e)
        {
            throw new WireException(SessionError.KEY_VALUE_FORMATTING_ERROR,
                "LARGEST_OBJECT's length cuts its Location short");
        }
        if (value.hasRemaining())
        {
            throw new WireException(SessionError.KEY_VALUE_FORMATTING_ERROR,
                "LARGEST_OBJECT has " + value.remaining() + " bytes after its Location");
        }
        return location;
    }

    /**
     * {@link ParameterForm#ODD_TYPES_LENGTH_PREFIXED}'s INCLUDE_PROPERTIES: a length of 1, then 0 or 1. Another length
     * is KEY_VALUE_FORMATTING_ERROR; another value a PROTOCOL_VIOLATION, as in the draft's form.
     */
    private static boolean lengthPrefixedIncludeProperties(final WireReader reader) throws WireException
    {
        final WireReader value = lengthPrefixedValue(reader, ParameterType.INCLUDE_PROPERTIES);
        if (value.remaining() != 1)
        {
            throw new WireException(SessionError.KEY_VALUE_FORMATTING_ERROR,
                "INCLUDE_PROPERTIES has length " + value.remaining() + ", not 1");
        }
        final int include = value.uint8();
        if (include > 1)
        {
            throw WireException.protocolViolation("INCLUDE_PROPERTIES " + include + " is neither 0 nor 1");
        }
        return include == 1;
    }

    /**
     * The FILL_PARAMETERS block, "encoded as if they were Parameters for a separate message" (§9.20.16): so a block
     * that does not fill its length exactly (cut short, or with bytes left over) is what a message whose length does
     * not match its body is, a PROTOCOL_VIOLATION (§9), like a parameter Table 6 does not list.
     */
    private static MessageParameters fillParameters(final WireReader value) throws WireException
    {
        final MessageParameters parameters = read(value, ParameterContext.FILL);
        if (value.hasRemaining())
        {
            throw WireException.protocolViolation("FILL_PARAMETERS has " + value.remaining() + " trailing bytes");
        }
        return parameters;
    }

    /** A reader over exactly the value's bytes; the outer reader moves past them. */
    private static WireReader lengthPrefixedValue(final WireReader reader, final ParameterType type)
        throws WireException
    {
        final int length = reader.varintAsInt(reader.remaining(), type + " length");
        final WireReader value = new WireReader(reader.varintScheme()).wrap(reader.buffer(), reader.position(), length);
        reader.skip(length);
        return value;
    }

    public void write(final WireWriter writer)
    {
        writer.varint(entries.size());
        long previous = 0;
        for (final Parameter p : entries)
        {
            writer.varint(p.type().code() - previous);
            previous = p.type().code();
            p.writeValue(writer);
        }
    }

    /** Checks that every entry may appear in {@code context}; the session layer's check for shared messages. */
    public void validateIn(final ParameterContext context) throws WireException
    {
        for (final Parameter p : entries)
        {
            if (!context.allows(p.type()))
            {
                throw WireException.protocolViolation("parameter " + p.type() + " not allowed in " + context);
            }
        }
    }

    /** For local construction: a disallowed parameter is a bug in the caller. */
    void requireAllowedIn(final ParameterContext context)
    {
        for (final Parameter p : entries)
        {
            if (!context.allows(p.type()))
            {
                throw new IllegalArgumentException("parameter " + p.type() + " not allowed in " + context);
            }
        }
    }

    /** The first entry of {@code type}, or null. */
    public Parameter find(final ParameterType type)
    {
        for (final Parameter p : entries)
        {
            if (p.type() == type)
            {
                return p;
            }
        }
        return null;
    }

    public OptionalLong objectDeliveryTimeout()
    {
        final Parameter p = find(ParameterType.OBJECT_DELIVERY_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.ObjectDeliveryTimeout)p).millis());
    }

    /** All AUTHORIZATION_TOKEN entries in wire order. */
    public List<AuthToken> authorizationTokens()
    {
        final List<AuthToken> tokens = new ArrayList<>(2);
        for (final Parameter p : entries)
        {
            if (p instanceof Parameter.AuthorizationToken)
            {
                tokens.add(((Parameter.AuthorizationToken)p).token());
            }
        }
        return tokens;
    }

    public OptionalLong rendezvousTimeout()
    {
        final Parameter p = find(ParameterType.RENDEZVOUS_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.RendezvousTimeout)p).millis());
    }

    public OptionalLong subgroupDeliveryTimeout()
    {
        final Parameter p = find(ParameterType.SUBGROUP_DELIVERY_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.SubgroupDeliveryTimeout)p).millis());
    }

    public OptionalLong expires()
    {
        final Parameter p = find(ParameterType.EXPIRES);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.Expires)p).millis());
    }

    public Optional<Location> largestObject()
    {
        final Parameter p = find(ParameterType.LARGEST_OBJECT);
        if (p instanceof Parameter.LengthPrefixedLargestObject)
        {
            return Optional.of(((Parameter.LengthPrefixedLargestObject)p).location());
        }
        return p == null ? Optional.empty() : Optional.of(((Parameter.LargestObject)p).location());
    }

    public OptionalLong fillTimeout()
    {
        final Parameter p = find(ParameterType.FILL_TIMEOUT);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.FillTimeout)p).millis());
    }

    public Optional<Boolean> forward()
    {
        final Parameter p = find(ParameterType.FORWARD);
        return p == null ? Optional.empty() : Optional.of(((Parameter.Forward)p).forward());
    }

    public OptionalInt subscriberPriority()
    {
        final Parameter p = find(ParameterType.SUBSCRIBER_PRIORITY);
        return p == null ? OptionalInt.empty() : OptionalInt.of(((Parameter.SubscriberPriority)p).priority());
    }

    /** LOCATION_FILTER as sent (possibly the zero-length "no filter"); empty when absent. */
    public Optional<LocationFilter> locationFilter()
    {
        final Parameter p = find(ParameterType.LOCATION_FILTER);
        return p == null ? Optional.empty() : Optional.of(((Parameter.LocationFilterParameter)p).filter());
    }

    /** FILL_PARAMETERS' block; empty when absent, which means no fill is asked for. */
    public Optional<MessageParameters> fillParameters()
    {
        final Parameter p = find(ParameterType.FILL_PARAMETERS);
        return p == null ? Optional.empty() : Optional.of(((Parameter.FillParameters)p).parameters());
    }

    /** INCLUDE_PROPERTIES; empty when absent (default 1). */
    public Optional<Boolean> includeProperties()
    {
        final Parameter p = find(ParameterType.INCLUDE_PROPERTIES);
        if (p instanceof Parameter.LengthPrefixedIncludeProperties)
        {
            return Optional.of(((Parameter.LengthPrefixedIncludeProperties)p).include());
        }
        return p == null ? Optional.empty() : Optional.of(((Parameter.IncludeProperties)p).include());
    }

    /** Every Range Filter entry, in wire order (cleared ones included). */
    public List<RangeFilter> rangeFilters()
    {
        final List<RangeFilter> filters = new ArrayList<>(2);
        for (final Parameter p : entries)
        {
            if (p instanceof Parameter.Range)
            {
                filters.add(((Parameter.Range)p).filter());
            }
        }
        return filters;
    }

    /** Ranges in this message's Range Filters: what MAX_FILTER_RANGES bounds (§9.1.6), for one message. */
    public long rangeCount()
    {
        long count = 0;
        for (final RangeFilter f : rangeFilters())
        {
            count += f.rangeCount();
        }
        return count;
    }

    /**
     * Why the request carrying these parameters MUST be rejected with REQUEST_ERROR INVALID_FILTER, or null
     * (draft-21 §3.3.2, §8.6, §9.1.6, §9.20.13-15): a Range Filter at all when the receiver's MAX_FILTER_RANGES is 0,
     * more Ranges than {@code maxFilterRanges}, the same Parameter Type, SetID and Property Type twice, or a filter
     * whose own {@link RangeFilter#problem()} is set. Checks this message alone (and its FILL_PARAMETERS); the
     * limit is per subscription or fetch, so a REQUEST_UPDATE's total is the session layer's to add up.
     *
     * @param maxFilterRanges the MAX_FILTER_RANGES this endpoint sent in SETUP (0 when it sent none).
     */
    public String rangeFilterProblem(final long maxFilterRanges)
    {
        final List<RangeFilter> filters = rangeFilters();
        if (filters.isEmpty())
        {
            return fillParameters().map(f -> f.rangeFilterProblem(maxFilterRanges)).orElse(null);
        }
        if (maxFilterRanges == 0)
        {
            return "Range Filter sent but MAX_FILTER_RANGES is 0";
        }
        final HashSet<List<Long>> seen = new HashSet<>();
        for (final RangeFilter f : filters)
        {
            final String problem = f.problem();
            if (problem != null)
            {
                return problem;
            }
            if (!seen.add(List.of(f.filterType().code(), f.cleared() ? -1L : f.setId(), f.propertyType())))
            {
                return "repeated " + f.filterType() + " with SetID " + f.setId();
            }
        }
        if (Long.compareUnsigned(rangeCount(), maxFilterRanges) > 0)
        {
            return rangeCount() + " filter ranges exceed MAX_FILTER_RANGES " + maxFilterRanges;
        }
        return fillParameters().map(f -> f.rangeFilterProblem(maxFilterRanges)).orElse(null);
    }

    public Optional<GroupOrder> groupOrder()
    {
        final Parameter p = find(ParameterType.GROUP_ORDER);
        return p == null ? Optional.empty() : Optional.of(((Parameter.Order)p).order());
    }

    public OptionalLong newGroupRequest()
    {
        final Parameter p = find(ParameterType.NEW_GROUP_REQUEST);
        return p == null ? OptionalLong.empty() : OptionalLong.of(((Parameter.NewGroupRequest)p).value());
    }

    public Optional<TrackNamespace> trackNamespacePrefix()
    {
        final Parameter p = find(ParameterType.TRACK_NAMESPACE_PREFIX);
        return p == null ? Optional.empty() : Optional.of(((Parameter.TrackNamespacePrefix)p).prefix());
    }
}
