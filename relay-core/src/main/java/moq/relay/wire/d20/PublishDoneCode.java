package moq.relay.wire.d20;

/**
 * PUBLISH_DONE status codes (draft-21 §12.4, Table 20); unknown codes are carried, not rejected. Draft-20 removed
 * SUBSCRIPTION_ENDED (0x3, #1833): a subscription no longer ends because Largest Object passes the filter's end.
 */
public final class PublishDoneCode
{
    public static final long INTERNAL_ERROR = 0x0;
    public static final long UNAUTHORIZED = 0x1;
    public static final long TRACK_ENDED = 0x2;
    public static final long GOING_AWAY = 0x4;
    public static final long TOO_FAR_BEHIND = 0x5;
    public static final long EXPIRED = 0x6;
    public static final long UPDATE_FAILED = 0x8;
    public static final long EXCESSIVE_LOAD = 0x9;
    public static final long MALFORMED_TRACK = 0x12;
    /** Stream Count meaning "the publisher could not count its streams": 2^64-1 in draft-20 (#1831), not 2^62-1. */
    public static final long STREAM_COUNT_UNKNOWN = -1L;

    private PublishDoneCode()
    {
    }
}
