package moq.relay.wire.data;

import moq.relay.wire.Draft;

/**
 * The SUBGROUP_HEADER type bits. Draft-18 (§"Subgroup Header") defines the form 0b0XX1XXXX; draft-14
 * (§"Subgroup Header") defines the twelve types 0x10-0x15 and 0x18-0x1D, which are exactly the draft-18
 * types with DEFAULT_PRIORITY and FIRST_OBJECT clear, so one set of bit helpers serves both.
 */
public final class SubgroupHeaderType
{
    public static final int PROPERTIES = 0x01;
    public static final int SUBGROUP_ID_MODE_MASK = 0x06;
    public static final int END_OF_GROUP = 0x08;
    public static final int ALWAYS_SET = 0x10;
    /** Draft-18 only: no priority byte, the subscription's priority applies. */
    public static final int DEFAULT_PRIORITY = 0x20;
    /** Draft-18 only: the stream starts at the subgroup's first object. */
    public static final int FIRST_OBJECT = 0x40;

    /** SUBGROUP_ID_MODE 0b00: no field, subgroup id 0. */
    public static final int MODE_ZERO = 0;
    /** SUBGROUP_ID_MODE 0b01: no field, subgroup id is the first object's id. */
    public static final int MODE_FIRST_OBJECT_ID = 1;
    /** SUBGROUP_ID_MODE 0b10: the header carries the subgroup id. */
    public static final int MODE_EXPLICIT = 2;

    private SubgroupHeaderType()
    {
    }

    public static boolean isValid(final Draft draft, final long type)
    {
        if (draft.atLeast(18))
        {
            // 0b0XX1XXXX with mode 0b11 reserved.
            return (type & ~0x7FL) == 0 && (type & ALWAYS_SET) != 0 && subgroupIdMode(type) != 3;
        }
        return (type & ~0x1FL) == 0 && (type & ALWAYS_SET) != 0 && subgroupIdMode(type) != 3;
    }

    public static int subgroupIdMode(final long type)
    {
        return (int)(type & SUBGROUP_ID_MODE_MASK) >>> 1;
    }

    public static boolean hasProperties(final long type)
    {
        return (type & PROPERTIES) != 0;
    }

    public static boolean isEndOfGroup(final long type)
    {
        return (type & END_OF_GROUP) != 0;
    }

    public static boolean hasPriority(final long type)
    {
        return (type & DEFAULT_PRIORITY) == 0;
    }

    public static boolean isFirstObject(final long type)
    {
        return (type & FIRST_OBJECT) != 0;
    }

    /**
     * Composes a type.
     *
     * @throws IllegalArgumentException for a mode outside 0..2, or draft-18-only bits asked of draft-14.
     */
    public static int of(
        final Draft draft,
        final boolean properties,
        final int subgroupIdMode,
        final boolean endOfGroup,
        final boolean defaultPriority,
        final boolean firstObject)
    {
        if (subgroupIdMode < MODE_ZERO || subgroupIdMode > MODE_EXPLICIT)
        {
            throw new IllegalArgumentException("subgroup id mode " + subgroupIdMode);
        }
        if (draft == Draft.DRAFT_14 && (defaultPriority || firstObject))
        {
            throw new IllegalArgumentException("draft-14 subgroup headers always carry a priority and no FIRST_OBJECT bit");
        }
        return ALWAYS_SET |
            (properties ? PROPERTIES : 0) |
            (subgroupIdMode << 1) |
            (endOfGroup ? END_OF_GROUP : 0) |
            (defaultPriority ? DEFAULT_PRIORITY : 0) |
            (firstObject ? FIRST_OBJECT : 0);
    }
}
