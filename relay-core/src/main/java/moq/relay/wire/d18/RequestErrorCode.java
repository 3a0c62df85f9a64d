package moq.relay.wire.d18;

/**
 * REQUEST_ERROR codes (§"REQUEST_ERROR", IANA table). Kept as plain longs on the wire: an unknown code must be
 * treated as INTERNAL_ERROR, not close the session, so the codec never rejects one.
 */
public final class RequestErrorCode
{
    public static final long INTERNAL_ERROR = 0x0;
    public static final long UNAUTHORIZED = 0x1;
    public static final long TIMEOUT = 0x2;
    public static final long NOT_SUPPORTED = 0x3;
    public static final long MALFORMED_AUTH_TOKEN = 0x4;
    public static final long EXPIRED_AUTH_TOKEN = 0x5;
    public static final long GOING_AWAY = 0x6;
    public static final long EXCESSIVE_LOAD = 0x9;
    public static final long DOES_NOT_EXIST = 0x10;
    public static final long INVALID_RANGE = 0x11;
    public static final long MALFORMED_TRACK = 0x12;
    public static final long DUPLICATE_SUBSCRIPTION = 0x19;
    public static final long UNINTERESTED = 0x20;
    public static final long PREFIX_OVERLAP = 0x30;
    public static final long NAMESPACE_TOO_LARGE = 0x31;
    public static final long INVALID_JOINING_REQUEST_ID = 0x32;
    public static final long UNSUPPORTED_EXTENSION = 0x33;
    /** The only code followed by a Redirect structure. */
    public static final long REDIRECT = 0x34;

    private RequestErrorCode()
    {
    }
}
