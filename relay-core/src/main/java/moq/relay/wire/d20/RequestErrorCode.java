package moq.relay.wire.d20;

/**
 * Draft-20 REQUEST_ERROR codes (draft-21 §12.3, Table 19). Kept as plain longs on the wire: an unknown code must be
 * treated as INTERNAL_ERROR, not close the session, so the codec never rejects one. Against draft-18:
 * DUPLICATE_SUBSCRIPTION (0x19, several subscriptions per track are allowed now) and INVALID_JOINING_REQUEST_ID (0x32,
 * Joining FETCH is gone) are no longer defined; CONFLICTING_FILTERS and INVALID_FILTER are new.
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
    public static final long UNINTERESTED = 0x20;
    public static final long PREFIX_OVERLAP = 0x30;
    public static final long NAMESPACE_TOO_LARGE = 0x31;
    public static final long UNSUPPORTED_EXTENSION = 0x33;
    /** The only code followed by a Redirect structure. */
    public static final long REDIRECT = 0x34;
    /** SUBSCRIBE_TRACKS filters conflict among too many subscribers to aggregate (§12.3). */
    public static final long CONFLICTING_FILTERS = 0x35;
    /** A Range Filter is invalid or exceeds MAX_FILTER_RANGES ({@link MessageParameters#rangeFilterProblem}). */
    public static final long INVALID_FILTER = 0x36;

    private RequestErrorCode()
    {
    }
}
