package moq.relay.fanout;

/** PUBLISH_DONE status codes (draft-18). */
public enum PublishDoneStatus
{
    INTERNAL_ERROR(0x0),
    UNAUTHORIZED(0x1),
    TRACK_ENDED(0x2),
    SUBSCRIPTION_ENDED(0x3),
    GOING_AWAY(0x4),
    TOO_FAR_BEHIND(0x5),
    EXPIRED(0x6),
    UPDATE_FAILED(0x8),
    EXCESSIVE_LOAD(0x9),
    MALFORMED_TRACK(0x12);

    private final long code;

    PublishDoneStatus(final long code)
    {
        this.code = code;
    }

    public long code()
    {
        return code;
    }
}
