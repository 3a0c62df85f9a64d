package moq.relay.wire.d18;

/** PUBLISH_DONE status codes (§"PUBLISH_DONE"); unknown codes are carried, not rejected. */
public final class PublishDoneCode
{
    public static final long INTERNAL_ERROR = 0x0;
    public static final long UNAUTHORIZED = 0x1;
    public static final long TRACK_ENDED = 0x2;
    public static final long SUBSCRIPTION_ENDED = 0x3;
    public static final long GOING_AWAY = 0x4;
    public static final long TOO_FAR_BEHIND = 0x5;
    public static final long EXPIRED = 0x6;
    public static final long UPDATE_FAILED = 0x8;
    public static final long EXCESSIVE_LOAD = 0x9;
    public static final long MALFORMED_TRACK = 0x12;
    /** Stream Count value meaning "the publisher could not count its streams". */
    public static final long STREAM_COUNT_UNKNOWN = (1L << 62) - 1;

    private PublishDoneCode()
    {
    }
}
