package moq.relay.wire.lite;

/** ANNOUNCE's Announce Status (moq-lite-03 §"ANNOUNCE"), plus lite-05's restart. */
public enum AnnounceStatus
{
    /** 0: the path is no longer available. */
    ENDED(0),
    /** 1: the path is now available. */
    ACTIVE(1),
    /**
     * 2: lite-05 only, decoded as a replacement of an active advertisement (same as a duplicate {@code active}:
     * only the hop path changed). {@code @moq/net} 0.3.4 accepts it and never sends it.
     */
    RESTART(2);

    private final int code;

    AnnounceStatus(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }
}
