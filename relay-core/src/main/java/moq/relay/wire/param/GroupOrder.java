package moq.relay.wire.param;

import moq.relay.wire.WireException;
import moq.relay.wire.param.GroupOrder;

/** GROUP_ORDER parameter values (§"GROUP ORDER Parameter"): anything but 1 or 2 is a PROTOCOL_VIOLATION. */
public enum GroupOrder
{
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

    public static GroupOrder of(final int code) throws WireException
    {
        switch (code)
        {
            case 0x1:
                return ASCENDING;
            case 0x2:
                return DESCENDING;
            default:
                throw WireException.protocolViolation("GROUP_ORDER " + code + " is neither 1 nor 2");
        }
    }
}
