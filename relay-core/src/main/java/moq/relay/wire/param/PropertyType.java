package moq.relay.wire.param;

import moq.relay.wire.param.PropertyType;

/** Property types draft-18 defines (§"MOQT Properties", IANA "MOQ Properties"); all others are forwarded as they are. */
public final class PropertyType
{
    /** Track: varint ms. */
    public static final long OBJECT_DELIVERY_TIMEOUT = 0x02;
    /** Track: varint ms an object may be served from cache. */
    public static final long MAX_CACHE_DURATION = 0x04;
    /** Track: varint ms. */
    public static final long SUBGROUP_DELIVERY_TIMEOUT = 0x06;
    /** Track or Object: nested Key-Value-Pairs that nobody may modify. */
    public static final long IMMUTABLE_PROPERTIES = 0x0B;
    /** Track: 0..255, default 128. */
    public static final long DEFAULT_PUBLISHER_PRIORITY = 0x0E;
    /** Track: 1 ascending or 2 descending, default ascending. */
    public static final long DEFAULT_PUBLISHER_GROUP_ORDER = 0x22;
    /** Track: 0 or 1, default 0; 1 lets subscribers send NEW_GROUP_REQUEST. */
    public static final long DYNAMIC_GROUPS = 0x30;
    /** Object: groups before this one that will never exist. */
    public static final long PRIOR_GROUP_ID_GAP = 0x3C;
    /** Object: objects before this one in the group that will never exist. */
    public static final long PRIOR_OBJECT_ID_GAP = 0x3E;

    public static final long MANDATORY_FIRST = 0x4000;
    public static final long MANDATORY_LAST = 0x7FFF;

    private PropertyType()
    {
    }

    /** Mandatory Track Properties: a track carrying one the endpoint does not understand must not be forwarded. */
    public static boolean isMandatory(final long type)
    {
        return type >= MANDATORY_FIRST && type <= MANDATORY_LAST;
    }
}
