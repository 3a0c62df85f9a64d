package moq.relay.wire.data;

/**
 * A decoded SUBGROUP_HEADER. Mutable and owned by the {@link DataStreamDecoder} that fills it: the
 * instance is reused for the decoder's next stream, so a handler copies what it keeps.
 */
public final class SubgroupHeader
{
    /** {@link #publisherPriority()} when the header has none (draft-18 DEFAULT_PRIORITY). */
    public static final int DEFAULT_PRIORITY = -1;

    int type;
    long trackAlias;
    long groupId;
    long subgroupId;
    boolean subgroupIdKnown;
    int publisherPriority;

    void reset()
    {
        type = 0;
        trackAlias = 0;
        groupId = 0;
        subgroupId = 0;
        subgroupIdKnown = false;
        publisherPriority = DEFAULT_PRIORITY;
    }

    public int type()
    {
        return type;
    }

    public long trackAlias()
    {
        return trackAlias;
    }

    public long groupId()
    {
        return groupId;
    }

    /** Subgroup id; only meaningful once {@link #subgroupIdKnown()}. */
    public long subgroupId()
    {
        return subgroupId;
    }

    /**
     * False in SUBGROUP_ID_MODE 0b01 until the first object has arrived (the id is that object's id);
     * {@link ObjectHeader#subgroupId()} always carries the resolved id.
     */
    public boolean subgroupIdKnown()
    {
        return subgroupIdKnown;
    }

    public int subgroupIdMode()
    {
        return SubgroupHeaderType.subgroupIdMode(type);
    }

    /** 0..255, or {@link #DEFAULT_PRIORITY}: inherit the subscription's publisher priority. */
    public int publisherPriority()
    {
        return publisherPriority;
    }

    public boolean hasProperties()
    {
        return SubgroupHeaderType.hasProperties(type);
    }

    /** The last object before a FIN is the last object of the group. */
    public boolean endOfGroup()
    {
        return SubgroupHeaderType.isEndOfGroup(type);
    }

    /** Draft-18 FIRST_OBJECT: the stream starts at the subgroup's first object. */
    public boolean firstObject()
    {
        return SubgroupHeaderType.isFirstObject(type);
    }

    @Override
    public String toString()
    {
        return "SubgroupHeader{type=0x" + Integer.toHexString(type) + ", alias=" + Long.toUnsignedString(trackAlias) +
            ", group=" + Long.toUnsignedString(groupId) +
            ", subgroup=" + (subgroupIdKnown ? Long.toUnsignedString(subgroupId) : "first-object") +
            ", priority=" + publisherPriority + '}';
    }
}
