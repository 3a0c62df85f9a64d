package moq.relay.wire.d14;

/** SUBSCRIBE / PUBLISH_OK Filter Type (§"SUBSCRIBE", Filter Types); any other value is a PROTOCOL_VIOLATION. */
public enum FilterType
{
    /** Start at the next group after Largest Object; no end. */
    NEXT_GROUP_START(0x1),
    /** Start just after Largest Object; no end. */
    LARGEST_OBJECT(0x2),
    /** Start Location on the wire; no end. */
    ABSOLUTE_START(0x3),
    /** Start Location and End Group on the wire. */
    ABSOLUTE_RANGE(0x4);

    private final long code;

    FilterType(final long code)
    {
        this.code = code;
    }

    public long code()
    {
        return code;
    }

    /** @return the filter type for {@code code}, or null if draft-14 defines none. */
    public static FilterType ofCode(final long code)
    {
        for (final FilterType t : values())
        {
            if (t.code == code)
            {
                return t;
            }
        }
        return null;
    }

    /** Whether a Start Location follows the filter type on the wire. */
    public boolean hasStart()
    {
        return this == ABSOLUTE_START || this == ABSOLUTE_RANGE;
    }

    /** Whether an End Group follows the Start Location on the wire. */
    public boolean hasEndGroup()
    {
        return this == ABSOLUTE_RANGE;
    }
}
