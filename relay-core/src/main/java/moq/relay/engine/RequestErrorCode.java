package moq.relay.engine;

/** REQUEST_ERROR codes (draft-18 §13 IANA table); sessions map them onto their draft's wire values. */
public enum RequestErrorCode
{
    INTERNAL_ERROR(0x0),
    UNAUTHORIZED(0x1),
    TIMEOUT(0x2),
    NOT_SUPPORTED(0x3),
    /** The request's authorization token is invalid (moq.relay.auth). */
    MALFORMED_AUTH_TOKEN(0x4),
    /** The authorization token the request relies on has expired (moq.relay.auth). */
    EXPIRED_AUTH_TOKEN(0x5),
    GOING_AWAY(0x6),
    EXCESSIVE_LOAD(0x9),
    DOES_NOT_EXIST(0x10),
    INVALID_RANGE(0x11),
    MALFORMED_TRACK(0x12),
    DUPLICATE_SUBSCRIPTION(0x19),
    UNINTERESTED(0x20),
    PREFIX_OVERLAP(0x30),
    NAMESPACE_TOO_LARGE(0x31),
    INVALID_JOINING_REQUEST_ID(0x32),
    /** Draft 20: a filter the publisher cannot evaluate or beyond MAX_FILTER_RANGES. */
    INVALID_FILTER(0x36);

    private final long code;

    RequestErrorCode(final long code)
    {
        this.code = code;
    }

    /** The draft-18 wire value. */
    public long code()
    {
        return code;
    }
}
