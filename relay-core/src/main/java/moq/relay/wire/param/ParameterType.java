package moq.relay.wire.param;

/**
 * Every Message Parameter type of the request-stream drafts (18 and 20) with its value encoding. Code 0x21 is two
 * constants because its layout changed: draft 18's SUBSCRIPTION_FILTER, draft 20's LOCATION_FILTER. A draft knows
 * only the types its {@link ParameterTypes} lists; every other type is unknown to it, and an unknown parameter closes
 * the session (parameters cannot be skipped).
 */
public enum ParameterType
{
    OBJECT_DELIVERY_TIMEOUT(0x02, Encoding.VARINT),
    /** Repeatable (draft 18 §"AUTHORIZATION TOKEN Parameter", draft-21 §8.9). */
    AUTHORIZATION_TOKEN(0x03, Encoding.LENGTH_PREFIXED),
    RENDEZVOUS_TIMEOUT(0x04, Encoding.VARINT),
    SUBGROUP_DELIVERY_TIMEOUT(0x06, Encoding.VARINT),
    EXPIRES(0x08, Encoding.VARINT),
    LARGEST_OBJECT(0x09, Encoding.LOCATION),
    FILL_TIMEOUT(0x0A, Encoding.VARINT),
    FORWARD(0x10, Encoding.UINT8),
    SUBSCRIBER_PRIORITY(0x20, Encoding.UINT8),
    /** Draft 18: a length-prefixed tagged Subscription Filter. */
    SUBSCRIPTION_FILTER(0x21, Encoding.LENGTH_PREFIXED),
    /** Draft 20 (draft-21 §9.20.10): length-prefixed, 0 to 4 varints. */
    LOCATION_FILTER(0x21, Encoding.LENGTH_PREFIXED),
    GROUP_ORDER(0x22, Encoding.UINT8),
    /** Draft 20 (§9.20.16): length-prefixed Parameters of their own scope, for the fill fetch stream. */
    FILL_PARAMETERS(0x23, Encoding.LENGTH_PREFIXED),
    /** Draft 20's Range Filters (§3.3.2), 0x25 to 0x29; each may repeat. */
    SUBGROUP_FILTER(0x25, Encoding.LENGTH_PREFIXED),
    OBJECTID_FILTER(0x26, Encoding.LENGTH_PREFIXED),
    PRIORITY_FILTER(0x27, Encoding.LENGTH_PREFIXED),
    OBJECT_PROPERTY_FILTER(0x28, Encoding.LENGTH_PREFIXED),
    TRACK_PROPERTY_FILTER(0x29, Encoding.LENGTH_PREFIXED),
    NEW_GROUP_REQUEST(0x32, Encoding.VARINT),
    TRACK_NAMESPACE_PREFIX(0x34, Encoding.TRACK_NAMESPACE),
    /** Draft 20 (§9.20.22): uint8 0 or 1, default 1. */
    INCLUDE_PROPERTIES(0x35, Encoding.UINT8);

    /** How a parameter's value is serialized: uint8, varint, Location, length-prefixed, or a bare Track Namespace. */
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

    /** One of draft 20's five Range Filter parameters (§3.3.2, §8.6). */
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
     * Types a message may carry more than once: AUTHORIZATION_TOKEN ("MAY be repeated") and the Range Filters
     * (§3.3.2, "MAY appear multiple times"; a repeated Type/SetID/Property Type is INVALID_FILTER, a request error the
     * session layer gives).
     */
    public boolean repeatable()
    {
        return this == AUTHORIZATION_TOKEN || isRangeFilter();
    }
}
