package moq.relay.wire.d20;

import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.ParameterBlock;
import moq.relay.wire.param.ParameterType;
import moq.relay.wire.param.ParameterTypes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The counted parameter block of a draft-20 control message (draft-21 §9.20), read and written by the shared {@link
 * ParameterBlock}. What is draft-20's own: its parameter types ({@link #TYPES}: the Location Filter where draft 18
 * had the Subscription Filter, FILL_PARAMETERS, the five Range Filters, INCLUDE_PROPERTIES) and their values.
 *
 * <p>Error codes beyond the shared ones: an INCLUDE_PROPERTIES other than 0/1 is a PROTOCOL_VIOLATION, as the draft
 * says; so is a parameter inside FILL_PARAMETERS that Table 6 does not list. The draft names no code for a Location
 * or Range Filter whose bytes do not fill its length exactly; we use KEY_VALUE_FORMATTING_ERROR there, the rule for a
 * value not matching its type's serialization (§8.3), as for draft-18's Subscription Filter. A FILL_PARAMETERS block
 * is encoded like a message's parameters, so its length mismatch is a message's: PROTOCOL_VIOLATION. What the draft
 * answers with REQUEST_ERROR INVALID_FILTER (a Range Filter that overflows, repeats, exceeds MAX_FILTER_RANGES, ...)
 * decodes, and {@link #rangeFilterProblem} reports it to the session layer.
 */
public record MessageParameters(List<Parameter> entries) implements ParameterBlock
{
    /** Draft-20's Message Parameter types (draft-21 §9.20, IANA Table 13). */
    public static final ParameterTypes TYPES = new ParameterTypes("draft-20", ParameterType.OBJECT_DELIVERY_TIMEOUT,
        ParameterType.AUTHORIZATION_TOKEN, ParameterType.RENDEZVOUS_TIMEOUT, ParameterType.SUBGROUP_DELIVERY_TIMEOUT,
        ParameterType.EXPIRES, ParameterType.LARGEST_OBJECT, ParameterType.FILL_TIMEOUT, ParameterType.FORWARD,
        ParameterType.SUBSCRIBER_PRIORITY, ParameterType.LOCATION_FILTER, ParameterType.GROUP_ORDER,
        ParameterType.FILL_PARAMETERS, ParameterType.SUBGROUP_FILTER, ParameterType.OBJECTID_FILTER,
        ParameterType.PRIORITY_FILTER, ParameterType.OBJECT_PROPERTY_FILTER, ParameterType.TRACK_PROPERTY_FILTER,
        ParameterType.NEW_GROUP_REQUEST, ParameterType.TRACK_NAMESPACE_PREFIX, ParameterType.INCLUDE_PROPERTIES);

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
        return read(reader, context, ParameterForm.DRAFT);
    }

    /** As {@link #read(WireReader, ParameterContext)}, with the values serialized in {@code form}. */
    public static MessageParameters read(final WireReader reader, final ParameterContext context,
        final ParameterForm form) throws WireException
    {
        final List<Parameter> entries = ParameterBlock.readEntries(reader, context, TYPES,
            form == ParameterForm.DRAFT ? MessageParameters::readOwn : ODD_TYPES_LENGTH_PREFIXED);
        return entries.isEmpty() ? EMPTY : new MessageParameters(entries);
    }

    /** {@link ParameterForm#ODD_TYPES_LENGTH_PREFIXED}: LARGEST_OBJECT and INCLUDE_PROPERTIES with a length. */
    private static final ParameterBlock.DraftValues ODD_TYPES_LENGTH_PREFIXED = new ParameterBlock.DraftValues()
    {
        @Override
        public Parameter read(final WireReader reader, final ParameterType type) throws WireException
        {
            if (type == ParameterType.LARGEST_OBJECT)
            {
                return new Parameter.LengthPrefixedLargestObject(lengthPrefixedLocation(reader));
            }
            if (type == ParameterType.INCLUDE_PROPERTIES)
            {
                return new moq.relay.wire.d20.Parameter.LengthPrefixedIncludeProperties(
                    lengthPrefixedIncludeProperties(reader));
            }
            return readOwn(reader, type);
        }

        @Override
        public boolean overrides(final ParameterType type)
        {
            return type == ParameterType.LARGEST_OBJECT;
        }
    };

    /**
     * {@link ParameterForm#ODD_TYPES_LENGTH_PREFIXED}'s LARGEST_OBJECT: a length, then exactly a Location. Bytes that do
     * not fill the length exactly are KEY_VALUE_FORMATTING_ERROR, as for a Location Filter.
     */
    private static Location lengthPrefixedLocation(final WireReader reader) throws WireException
    {
        final WireReader value = ParameterBlock.lengthPrefixedValue(reader, ParameterType.LARGEST_OBJECT);
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
        final WireReader value = ParameterBlock.lengthPrefixedValue(reader, ParameterType.INCLUDE_PROPERTIES);
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

    private static Parameter readOwn(final WireReader reader, final ParameterType type) throws WireException
    {
        switch (type)
        {
            case LOCATION_FILTER:
                return new moq.relay.wire.d20.Parameter.LocationFilterParameter(
                    LocationFilter.read(ParameterBlock.lengthPrefixedValue(reader, type)));
            case FILL_PARAMETERS:
                return new moq.relay.wire.d20.Parameter.FillParameters(
                    fillParameters(ParameterBlock.lengthPrefixedValue(reader, type)));
            case SUBGROUP_FILTER:
            case OBJECTID_FILTER:
            case PRIORITY_FILTER:
            case OBJECT_PROPERTY_FILTER:
            case TRACK_PROPERTY_FILTER:
                return new moq.relay.wire.d20.Parameter.Range(
                    RangeFilter.read(type, ParameterBlock.lengthPrefixedValue(reader, type)));
            case INCLUDE_PROPERTIES:
                return new moq.relay.wire.d20.Parameter.IncludeProperties(ParameterBlock.readBoolean(reader, type));
            default:
                throw WireException.protocolViolation("unknown parameter type " + type);
        }
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

    /** LOCATION_FILTER as sent (possibly the zero-length "no filter"); empty when absent. */
    public Optional<LocationFilter> locationFilter()
    {
        final Parameter p = find(ParameterType.LOCATION_FILTER);
        return p == null ? Optional.empty() : Optional.of(((moq.relay.wire.d20.Parameter.LocationFilterParameter)p).filter());
    }

    /** FILL_PARAMETERS' block; empty when absent, which means no fill is asked for. */
    public Optional<MessageParameters> fillParameters()
    {
        final Parameter p = find(ParameterType.FILL_PARAMETERS);
        return p == null ? Optional.empty() : Optional.of(((moq.relay.wire.d20.Parameter.FillParameters)p).parameters());
    }

    /** INCLUDE_PROPERTIES; empty when absent (default 1). */
    public Optional<Boolean> includeProperties()
    {
        final Parameter p = find(ParameterType.INCLUDE_PROPERTIES);
        if (p instanceof moq.relay.wire.d20.Parameter.LengthPrefixedIncludeProperties l)
        {
            return Optional.of(l.include());
        }
        return p == null ? Optional.empty() : Optional.of(((moq.relay.wire.d20.Parameter.IncludeProperties)p).include());
    }

    /** Every Range Filter entry, in wire order (cleared ones included). */
    public List<RangeFilter> rangeFilters()
    {
        final List<RangeFilter> filters = new ArrayList<>(2);
        for (final Parameter p : entries)
        {
            if (p instanceof moq.relay.wire.d20.Parameter.Range)
            {
                filters.add(((moq.relay.wire.d20.Parameter.Range)p).filter());
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
}
