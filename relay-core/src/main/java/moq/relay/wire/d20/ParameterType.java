package moq.relay.wire.d20;

/**
 * Message Parameter types of draft-20 (draft-21 §9.20, IANA Table 13) with their value encodings. Every other type is
 * unknown, and an unknown parameter closes the session: parameters cannot be skipped.
 *
 * <p>Against draft-18: SUBSCRIPTION_FILTER (0x21) became LOCATION_FILTER with a new layout; FILL_PARAMETERS (0x23),
 * the five Range Filters (0x25-0x29) and INCLUDE_PROPERTIES (0x35) are new.
 */
public enum ParameterType
{
    OBJECT_DELIVERY_TIMEOUT(0x02, Encoding.VARINT),
    AUTHORIZATION_TOKEN(0x03, Encoding.LENGTH_PREFIXED),
    RENDEZVOUS_TIMEOUT(0x04, Encoding.VARINT),
    SUBGROUP_DELIVERY_TIMEOUT(0x06, Encoding.VARINT),
    EXPIRES(0x08, Encoding.VARINT),
    LARGEST_OBJECT(0x09, Encoding.LOCATION),
    FILL_TIMEOUT(0x0A, Encoding.VARINT),
    FORWARD(0x10, Encoding.UINT8),
    SUBSCRIBER_PRIORITY(0x20, Encoding.UINT8),
    /** §9.20.10: length-prefixed, 0 to 4 varints. */
    LOCATION_FILTER(0x21, Encoding.LENGTH_PREFIXED),
    GROUP_ORDER(0x22, Encoding.UINT8),
    /** §9.20.16: length-prefixed Parameters of their own scope, for the fill fetch stream. */
    FILL_PARAMETERS(0x23, Encoding.LENGTH_PREFIXED),
    SUBGROUP_FILTER(0x25, Encoding.LENGTH_PREFIXED),
    OBJECTID_FILTER(0x26, Encoding.LENGTH_PREFIXED),
    PRIORITY_FILTER(0x27, Encoding.LENGTH_PREFIXED),
    OBJECT_PROPERTY_FILTER(0x28, Encoding.LENGTH_PREFIXED),
    TRACK_PROPERTY_FILTER(0x29, Encoding.LENGTH_PREFIXED),
    NEW_GROUP_REQUEST(0x32, Encoding.VARINT),
    TRACK_NAMESPACE_PREFIX(0x34, Encoding.TRACK_NAMESPACE),
    /** §9.20.22: uint8 0 or 1, default 1. */
    INCLUDE_PROPERTIES(0x35, Encoding.UINT8);

    /** How a parameter's value is serialized (§9.20: uint8, varint, Location, length-prefixed). */
    public enum Encoding
    {
        UINT8,
        VARINT,
        LOCATION,
        LENGTH_PREFIXED,
        TRACK_NAMESPACE
    }

    private final long code;
    private final Encoding encoding;

    ParameterType(final long code, final Encoding encoding)
    {
        this.code = code;
        this.encoding = encoding;
    }

    public long code()
    {
        return code;
    }

    public Encoding encoding()
    {
        return encoding;
    }

    /** One of the five Range Filter parameters (§3.3.2, §8.6). */
    public boolean isRangeFilter()
    {
        return code >= 0x25 && code <= 0x29;
    }

    /** The Object and Track Property Filters, which carry a Property Type after the SetID. */
    public boolean isPropertyFilter()
    {
        return this == OBJECT_PROPERTY_FILTER || this == TRACK_PROPERTY_FILTER;
    }

    /**
     * Types the draft lets repeat within one message: AUTHORIZATION_TOKEN (§8.9, "MAY be repeated") and the Range
     * Filters (§3.3.2, "MAY appear multiple times"; a repeated Type/SetID/Property Type is INVALID_FILTER, a request
     * error the session layer gives, see {@link MessageParameters#rangeFilterProblem}).
     */
    public boolean repeatable()
    {
        return this == AUTHORIZATION_TOKEN || isRangeFilter();
    }

    /** The parameter type for {@code code}, or null if draft-20 defines none. */
    public static ParameterType of(final long code)
    {
        for (final ParameterType t : values())
        {
            if (t.code == code)
            {
                return t;
            }
        }
        return null;
    }
}
