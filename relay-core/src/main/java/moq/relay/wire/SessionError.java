package moq.relay.wire;

/**
 * Session termination error codes. Drafts 14, 18 and 20 share one table; draft-14 alone defines
 * {@link #TOO_MANY_REQUESTS} (draft-18 has no MAX_REQUEST_ID, so it has no use for it), draft-20 alone
 * {@link #TOO_MANY_REQUEST_UPDATES}; draft-20 no longer defines {@link #VERSION_NEGOTIATION_FAILED}.
 */
public enum SessionError
{
    NO_ERROR(0x0),
    INTERNAL_ERROR(0x1),
    UNAUTHORIZED(0x2),
    PROTOCOL_VIOLATION(0x3),
    INVALID_REQUEST_ID(0x4),
    DUPLICATE_TRACK_ALIAS(0x5),
    KEY_VALUE_FORMATTING_ERROR(0x6),
    TOO_MANY_REQUESTS(0x7),
    INVALID_PATH(0x8),
    MALFORMED_PATH(0x9),
    GOAWAY_TIMEOUT(0x10),
    CONTROL_MESSAGE_TIMEOUT(0x11),
    DATA_STREAM_TIMEOUT(0x12),
    AUTH_TOKEN_CACHE_OVERFLOW(0x13),
    DUPLICATE_AUTH_TOKEN_ALIAS(0x14),
    VERSION_NEGOTIATION_FAILED(0x15),
    MALFORMED_AUTH_TOKEN(0x16),
    UNKNOWN_AUTH_TOKEN_ALIAS(0x17),
    EXPIRED_AUTH_TOKEN(0x18),
    INVALID_AUTHORITY(0x19),
    MALFORMED_AUTHORITY(0x1A),
    /** Draft-20 (draft-21 §9.1.7): a REQUEST_UPDATE beyond the MAX_REQUEST_UPDATES the receiver announced. */
    TOO_MANY_REQUEST_UPDATES(0x1B);

    private final long code;

    SessionError(final long code)
    {
        this.code = code;
    }

    /** The code sent in CONNECTION_CLOSE (raw QUIC) or CLOSE_WEBTRANSPORT_SESSION. */
    public long code()
    {
        return code;
    }
}
