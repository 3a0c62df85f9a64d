package moq.relay.wire.data;

import moq.relay.wire.Draft;

/**
 * OBJECT_DATAGRAM type bits. Draft-18 (§"Object Datagram") uses the form 0b00X0XXXX; draft-14 defines
 * 0x00-0x07 and 0x20-0x21 with the same meaning of bits 0x01, 0x02, 0x04 and 0x20 (priority always present).
 */
public final class DatagramType
{
    public static final int PROPERTIES = 0x01;
    public static final int END_OF_GROUP = 0x02;
    /** Object ID field absent, id 0. */
    public static final int ZERO_OBJECT_ID = 0x04;
    /** Draft-18 only: priority field absent. */
    public static final int DEFAULT_PRIORITY = 0x08;
    /** Object Status instead of payload. */
    public static final int STATUS = 0x20;

    private DatagramType()
    {
    }

    public static boolean isValid(final Draft draft, final long type)
    {
        if (draft.atLeast(18))
        {
            // 0b00X0XXXX, and STATUS with END_OF_GROUP is invalid.
            return (type & ~0x2FL) == 0 && (type & (STATUS | END_OF_GROUP)) != (STATUS | END_OF_GROUP);
        }
        return (type >= 0x00 && type <= 0x07) || type == 0x20 || type == 0x21;
    }

    /**
     * Composes a type.
     *
     * @throws IllegalArgumentException for a combination the draft cannot express.
     */
    public static int of(
        final Draft draft,
        final boolean properties,
        final boolean endOfGroup,
        final boolean zeroObjectId,
        final boolean defaultPriority,
        final boolean status)
    {
        final int type = (properties ? PROPERTIES : 0) | (endOfGroup ? END_OF_GROUP : 0) |
            (zeroObjectId ? ZERO_OBJECT_ID : 0) | (defaultPriority ? DEFAULT_PRIORITY : 0) | (status ? STATUS : 0);
        if (!isValid(draft, type))
        {
            throw new IllegalArgumentException(draft + " has no datagram type 0x" + Integer.toHexString(type));
        }
        return type;
    }
}
