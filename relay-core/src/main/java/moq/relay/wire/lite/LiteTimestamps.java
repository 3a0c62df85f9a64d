package moq.relay.wire.lite;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * lite-05 frame timestamps on the MoQT side of the bridge, as {@code draft-lcurley-moq-timestamp} (public
 * {@code moq-dev/drafts}) carries media time in MoqTransport: an object's TIMESTAMP property ({@value #TIMESTAMP},
 * even type: a bare varint) and the track's TIMESCALE property ({@value #TIMESCALE}, units per second). The relay keeps
 * a lite-05 publisher's frame timestamp with the object as a TIMESTAMP property in the draft-18 form (delta-coded type,
 * the draft-17+ varint, which carries all 64 bits: a negative timestamp comes back as the same {@code long}), and a
 * lite-05 subscriber's frames take an object's TIMESTAMP back, so the value crosses byte for byte. Allocation-free.
 */
public final class LiteTimestamps
{
    /** Object property: the object's presentation time in the track's timescale. */
    public static final long TIMESTAMP = 0x915C2;
    /** Track property: timestamp units per second (0 or absent: no media timeline). */
    public static final long TIMESCALE = 0x915C0;
    /** The longest TIMESTAMP property block {@link #write} writes. */
    public static final int MAX_PROPERTY_LENGTH = 3 + 9;

    private LiteTimestamps()
    {
    }

    /** Writes a properties block holding only TIMESTAMP {@code timestamp} (draft-18 form); returns its length. */
    public static int write(final MutableDirectBuffer buffer, final int offset, final long timestamp)
    {
        final int n = MoqtVarint.write(buffer, offset, TIMESTAMP);
        return n + MoqtVarint.write(buffer, offset + n, timestamp);
    }

    /** The length {@link #write} gives {@code timestamp}'s block. */
    public static int length(final long timestamp)
    {
        return MoqtVarint.length(TIMESTAMP) + MoqtVarint.length(timestamp);
    }

    /**
     * Where the value of the TIMESTAMP property of a draft-18 properties block {@code [offset, offset + length)}
     * starts (read it with {@link MoqtVarint#value}), or -1 when the block has none or does not parse.
     */
    public static int find(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        int p = offset;
        long type = 0;
        while (p < end)
        {
            int size = MoqtVarint.size(buffer, p);
            if (size > end - p)
            {
                return -1;
            }
            type += MoqtVarint.value(buffer, p);
            p += size;
            if (p >= end)
            {
                return -1;
            }
            size = MoqtVarint.size(buffer, p);
            if (size > end - p)
            {
                return -1;
            }
            if (KeyValuePair.isBytesType(type))
            {
                final long valueLength = MoqtVarint.value(buffer, p);
                p += size;
                if (Long.compareUnsigned(valueLength, end - p) > 0)
                {
                    return -1;
                }
                p += (int)valueLength;
            }
            else if (type == TIMESTAMP)
            {
                return p;
            }
            else
            {
                p += size;
            }
        }
        return -1;
    }

    /** The TIMESCALE among {@code trackProperties}, or 0 when there is none (no media timeline). */
    public static long timescale(final java.util.List<KeyValuePair> trackProperties)
    {
        for (final KeyValuePair p : trackProperties)
        {
            if (!p.isBytes() && p.type() == TIMESCALE && p.intValue() > 0)
            {
                return p.intValue();
            }
        }
        return 0;
    }
}
