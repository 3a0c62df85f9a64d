package moq.relay.wire.data;

import moq.relay.wire.Draft;
import moq.relay.wire.WireException;

/**
 * Object Status values. Draft-18 §"Object Status" allows 0x0, 0x3, 0x4; draft-14 §"Object Status" also
 * 0x1 (Does Not Exist). Any other value is a PROTOCOL_VIOLATION in both.
 */
public final class ObjectStatus
{
    public static final long NORMAL = 0x0;
    /** Draft-14 only. */
    public static final long DOES_NOT_EXIST = 0x1;
    public static final long END_OF_GROUP = 0x3;
    public static final long END_OF_TRACK = 0x4;

    private ObjectStatus()
    {
    }

    public static boolean isValid(final Draft draft, final long status)
    {
        return status == NORMAL || status == END_OF_GROUP || status == END_OF_TRACK ||
            (status == DOES_NOT_EXIST && draft == Draft.DRAFT_14);
    }

    /** True if no later object may follow on the same subgroup stream. */
    public static boolean endsStream(final long status)
    {
        return status == END_OF_GROUP || status == END_OF_TRACK;
    }

    /**
     * Checks a status and the properties that came with it: draft-18 allows properties only on Normal
     * objects (§"Object Properties"), draft-14 forbids extensions only on Does Not Exist (§"Object Extension Header").
     */
    public static void check(final Draft draft, final long status, final int propertiesLength) throws WireException
    {
        if (!isValid(draft, status))
        {
            throw WireException.protocolViolation("object status 0x" + Long.toHexString(status) + " not allowed");
        }
        if (propertiesLength > 0 &&
            (draft.atLeast(18) ? status != NORMAL : status == DOES_NOT_EXIST))
        {
            throw WireException.protocolViolation("properties on an object with status 0x" + Long.toHexString(status));
        }
    }
}
