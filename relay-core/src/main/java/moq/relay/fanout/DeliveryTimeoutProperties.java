package moq.relay.fanout;

import org.agrona.DirectBuffer;

import moq.relay.store.TrackLog;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;

/**
 * The per-subgroup delivery timeouts a publisher sets as Object Properties on the first object of a subgroup
 * (draft-21 §5.2: "Either timeout value can also be set as an Object Property on the first object in a subgroup,
 * overriding the Track-level value for that subgroup"; §10.1 SUBGROUP_DELIVERY_TIMEOUT 0x06, §10.2
 * OBJECT_DELIVERY_TIMEOUT 0x02, both varints in milliseconds), read from an object record of the track log without
 * allocating. Mutable properties are searched first, then Immutable Properties (§10.7: "processors MUST search
 * both"). Only the draft-18+ encoding is read: a draft-14 publisher's Extension Headers define no such property.
 */
final class DeliveryTimeoutProperties
{
    static final long OBJECT_DELIVERY_TIMEOUT = 0x02;
    static final long SUBGROUP_DELIVERY_TIMEOUT = 0x06;
    /** No such property on the record: the track's value applies. */
    static final long ABSENT = -1;

    private static final long IMMUTABLE_PROPERTIES = 0xB;

    private DeliveryTimeoutProperties()
    {
    }

    /**
     * The property {@code type} of the object record at {@code off} in {@code b}, in nanoseconds (0 for a value of 0:
     * no timeout; a value too large for nanoseconds is none either), or {@link #ABSENT}.
     */
    static long nanos(final DirectBuffer b, final int off, final long type)
    {
        final int length = TrackLog.propertiesLength(b, off);
        if (length == 0 || TrackLog.isDraft14Properties(b, off))
        {
            return ABSENT;
        }
        final long millis = find(b, off + TrackLog.HEADER_LENGTH, length, type, true);
        if (millis < 0)
        {
            return ABSENT;
        }
        return millis > Long.MAX_VALUE / 1_000_000 ? 0 : millis * 1_000_000;
    }

    /**
     * The value of the first property {@code type} in the Key-Value-Pairs {@code [offset, offset + length)}
     * (delta-coded types, odd types length-prefixed), inside Immutable Properties once ({@code outer}); -1 when absent,
     * above 2^63-1 or where the block does not parse.
     */
    private static long find(final DirectBuffer b, final int offset, final int length, final long type,
        final boolean outer)
    {
        final int end = offset + length;
        int p = offset;
        long t = 0;
        long immutableAt = -1;
        int immutableLength = 0;
        while (p < end)
        {
            int size = MoqtVarint.size(b, p);
            if (size > end - p)
            {
                break;
            }
            t += MoqtVarint.value(b, p);
            p += size;
            if (p >= end)
            {
                break;
            }
            size = MoqtVarint.size(b, p);
            if (size > end - p)
            {
                break;
            }
            final long value = MoqtVarint.value(b, p);
            p += size;
            if (KeyValuePair.isBytesType(t))
            {
                if (Long.compareUnsigned(value, end - p) > 0)
                {
                    break;
                }
                if (outer && t == IMMUTABLE_PROPERTIES && immutableAt < 0)
                {
                    immutableAt = p;
                    immutableLength = (int)value;
                }
                p += (int)value;
            }
            else if (t == type)
            {
                return value;
            }
        }
        return immutableAt < 0 ? -1 : find(b, (int)immutableAt, immutableLength, type, false);
    }
}
