package moq.relay.wire.d14;

/** FETCH Fetch Type (§"FETCH"); any other value is a PROTOCOL_VIOLATION. */
public enum FetchType
{
    STANDALONE(0x1),
    RELATIVE_JOINING(0x2),
    ABSOLUTE_JOINING(0x3);

    private final long code;

    FetchType(final long code)
    {
        this.code = code;
    }

    public long code()
    {
        return code;
    }

    /** @return the fetch type for {@code code}, or null if draft-14 defines none. */
    public static FetchType ofCode(final long code)
    {
        for (final FetchType t : values())
        {
            if (t.code == code)
            {
                return t;
            }
        }
        return null;
    }

    public boolean isJoining()
    {
        return this != STANDALONE;
    }
}
