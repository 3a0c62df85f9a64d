package moq.relay.wire.d14;

/**
 * Group Order (8): 0x1 ascending, 0x2 descending by group (§"Priorities"). 0x0 means "the original
 * publisher's order" and is only allowed in requests (SUBSCRIBE, TRACK_STATUS, FETCH); in responses and
 * PUBLISH it is a protocol error, as is any value above 0x2.
 */
public enum GroupOrder
{
    PUBLISHER_DEFAULT(0x0),
    ASCENDING(0x1),
    DESCENDING(0x2);

    private final int code;

    GroupOrder(final int code)
    {
        this.code = code;
    }

    public int code()
    {
        return code;
    }

    /** @return the order for {@code code}, or null if it is not 0, 1 or 2. */
    public static GroupOrder ofCode(final int code)
    {
        switch (code)
        {
            case 0x0:
                return PUBLISHER_DEFAULT;
            case 0x1:
                return ASCENDING;
            case 0x2:
                return DESCENDING;
            default:
                return null;
        }
    }
}
