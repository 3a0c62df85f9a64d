package moq.relay.wire.lite;

import moq.relay.wire.QuicVarint;

/**
 * The "+ 1" group encoding of SUBSCRIBE, SUBSCRIBE_UPDATE and SUBSCRIBE_OK (moq-lite-03 §"SUBSCRIBE": Start Group 0
 * is the latest group, End Group 0 is unbounded, any other value is the absolute sequence + 1).
 */
public final class LiteGroups
{
    /** The wire value meaning "latest" (start) or "unbounded" (end). */
    public static final long NONE = 0;

    private LiteGroups()
    {
    }

    /** The wire value naming absolute group {@code sequence}; a sequence of 2^62-1 has none (not encodable). */
    public static long toWire(final long sequence)
    {
        if (sequence < 0 || sequence >= QuicVarint.MAX_VALUE)
        {
            throw new IllegalArgumentException("group " + sequence + " has no + 1 encoding");
        }
        return sequence + 1;
    }

    /** The absolute sequence a non-zero wire value names. */
    public static long fromWire(final long wire)
    {
        if (wire == NONE)
        {
            throw new IllegalArgumentException("0 names no group");
        }
        return wire - 1;
    }
}
