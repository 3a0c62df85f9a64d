package moq.relay.wire.d18;

/**
 * Message Parameter types of draft-18 (§"Message Parameters", IANA table) with their value encodings. Every
 * other type is unknown, and an unknown parameter closes the session: parameters cannot be skipped.
 */
public enum ParameterType
{
    OBJECT_DELIVERY_TIMEOUT(0x02, Encoding.VARINT),
    /** The only type the draft lets repeat within one message. */
    AUTHORIZATION_TOKEN(0x03, Encoding.LENGTH_PREFIXED),
    RENDEZVOUS_TIMEOUT(0x04, Encoding.VARINT),
    SUBGROUP_DELIVERY_TIMEOUT(0x06, Encoding.VARINT),
    EXPIRES(0x08, Encoding.VARINT),
    LARGEST_OBJECT(0x09, Encoding.LOCATION),
    FILL_TIMEOUT(0x0A, Encoding.VARINT),
    FORWARD(0x10, Encoding.UINT8),
    SUBSCRIBER_PRIORITY(0x20, Encoding.UINT8),
    SUBSCRIPTION_FILTER(0x21, Encoding.LENGTH_PREFIXED),
    GROUP_ORDER(0x22, Encoding.UINT8),
    NEW_GROUP_REQUEST(0x32, Encoding.VARINT),
    TRACK_NAMESPACE_PREFIX(0x34, Encoding.TRACK_NAMESPACE);

    /** How a parameter's value is serialized (§"Message Parameters": uint8, varint, Location, length-prefixed). */
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

    public boolean repeatable()
    {
        return this == AUTHORIZATION_TOKEN;
    }

    /** The parameter type for {@code code}, or null if draft-18 defines none. */
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
