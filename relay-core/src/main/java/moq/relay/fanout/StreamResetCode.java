package moq.relay.fanout;

/** Data stream RESET_STREAM / STOP_SENDING codes (draft-18). */
public enum StreamResetCode
{
    INTERNAL_ERROR(0x0),
    CANCELLED(0x1),
    DELIVERY_TIMEOUT(0x2),
    SESSION_CLOSED(0x3),
    GOING_AWAY(0x4),
    TOO_FAR_BEHIND(0x5),
    UNKNOWN_OBJECT_STATUS(0x6),
    EXPIRED_AUTH_TOKEN(0x7),
    EXCESSIVE_LOAD(0x9),
    MALFORMED_TRACK(0x12);

    private static final StreamResetCode[] VALUES = values();

    private final long code;

    StreamResetCode(final long code)
    {
        this.code = code;
    }

    public long code()
    {
        return code;
    }

    /** The code with {@code ordinal}, as stored in the log's status field of a subgroup reset. */
    public static StreamResetCode fromOrdinal(final int ordinal)
    {
        return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : INTERNAL_ERROR;
    }
}
