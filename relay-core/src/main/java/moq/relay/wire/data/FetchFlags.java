package moq.relay.wire.data;

/** Draft-18 and draft-20 fetch object Serialization Flags (§"Fetch Header", §"Flags", §"End of Range"). */
public final class FetchFlags
{
    /** Subgroup encoding, flags &amp; 0x03. */
    public static final int SUBGROUP_MASK = 0x03;
    public static final int SUBGROUP_ZERO = 0x00;
    public static final int SUBGROUP_PRIOR = 0x01;
    public static final int SUBGROUP_PRIOR_PLUS_ONE = 0x02;
    public static final int SUBGROUP_PRESENT = 0x03;
    public static final int OBJECT_ID_DELTA = 0x04;
    public static final int GROUP_ID_DELTA = 0x08;
    public static final int PRIORITY = 0x10;
    public static final int PROPERTIES = 0x20;
    /** Forwarding preference Datagram: no subgroup id, the low two bits are ignored. */
    public static final int DATAGRAM = 0x40;
    /** Flags proper are below 128. */
    public static final long MAX_FLAGS = 0x7F;
    public static final long END_OF_NON_EXISTENT_RANGE = 0x8C;
    public static final long END_OF_UNKNOWN_RANGE = 0x10C;
    /**
     * Draft-20 only (draft-21 §11.4.1, Table 7): the objects were abandoned when the Fill Timeout ran out. On a
     * draft-18 stream it is "any other value", a PROTOCOL_VIOLATION.
     */
    public static final long END_OF_TIMED_OUT_RANGE = 0x20C;

    private FetchFlags()
    {
    }
}
