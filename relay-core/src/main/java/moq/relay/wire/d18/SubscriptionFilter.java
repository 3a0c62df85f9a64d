package moq.relay.wire.d18;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

/**
 * Subscription Filter (§"Subscription Filters"), carried length-prefixed in the SUBSCRIPTION_FILTER parameter.
 *
 * <pre>
 * Subscription Filter { Filter Type (vi64), [Start Location (Location)], [End Group Delta (vi64)] }
 * </pre>
 *
 * Start Location is present for AbsoluteStart and AbsoluteRange, End Group Delta for AbsoluteRange only.
 * {@code start} is null and {@code endGroupDelta} 0 where the type carries none.
 */
public record SubscriptionFilter(Type type, Location start, long endGroupDelta)
{
    public enum Type
    {
        /** Start {Largest.Group + 1, 0}, open ended. */
        NEXT_GROUP_START(0x1, false, false),
        /** Start {Largest.Group, Largest.Object + 1}, open ended. */
        LARGEST_OBJECT(0x2, false, false),
        /** Explicit start, open ended. */
        ABSOLUTE_START(0x3, true, false),
        /** Explicit start; last group = start group + End Group Delta. */
        ABSOLUTE_RANGE(0x4, true, true);

        private final int code;
        private final boolean hasStart;
        private final boolean hasEndGroup;

        Type(final int code, final boolean hasStart, final boolean hasEndGroup)
        {
            this.code = code;
            this.hasStart = hasStart;
            this.hasEndGroup = hasEndGroup;
        }

        public int code()
        {
            return code;
        }

        public boolean hasStart()
        {
            return hasStart;
        }

        public boolean hasEndGroup()
        {
            return hasEndGroup;
        }
    }

    public SubscriptionFilter
    {
        if (type == null || (start != null) != type.hasStart || (!type.hasEndGroup && endGroupDelta != 0))
        {
            throw new IllegalArgumentException("fields do not match filter type " + type);
        }
        if (type.hasEndGroup && Long.compareUnsigned(start.group() + endGroupDelta, start.group()) < 0)
        {
            throw new IllegalArgumentException("end group overflows 2^64-1");
        }
    }

    public static SubscriptionFilter nextGroupStart()
    {
        return new SubscriptionFilter(Type.NEXT_GROUP_START, null, 0);
    }

    public static SubscriptionFilter largestObject()
    {
        return new SubscriptionFilter(Type.LARGEST_OBJECT, null, 0);
    }

    public static SubscriptionFilter absoluteStart(final Location start)
    {
        return new SubscriptionFilter(Type.ABSOLUTE_START, start, 0);
    }

    public static SubscriptionFilter absoluteRange(final Location start, final long endGroupDelta)
    {
        return new SubscriptionFilter(Type.ABSOLUTE_RANGE, start, endGroupDelta);
    }

    /** The last group that passes an AbsoluteRange filter (start group + delta); -1 (2^64-1) when open ended. */
    public long endGroup()
    {
        return type.hasEndGroup ? start.group() + endGroupDelta : -1L;
    }

    /**
     * Reads a filter filling the whole of {@code reader}. An unknown type and an End Group past 2^64-1 are
     * PROTOCOL_VIOLATIONs (the draft says so); a value whose bytes do not match the layout is a
     * KEY_VALUE_FORMATTING_ERROR (see {@link MessageParameters} on why).
     */
    public static SubscriptionFilter read(final WireReader reader) throws WireException
    {
        final long code = readFormatted(reader);
        final Type type;
        if (code == 0x1)
        {
            type = Type.NEXT_GROUP_START;
        }
        else if (code == 0x2)
        {
            type = Type.LARGEST_OBJECT;
        }
        else if (code == 0x3)
        {
            type = Type.ABSOLUTE_START;
        }
        else if (code == 0x4)
        {
            type = Type.ABSOLUTE_RANGE;
        }
        else
        {
            throw WireException.protocolViolation("filter type " + Long.toUnsignedString(code) + " unknown");
        }
        Location start = null;
        long delta = 0;
        if (type.hasStart)
        {
            start = new Location(readFormatted(reader), readFormatted(reader));
        }
        if (type.hasEndGroup)
        {
            delta = readFormatted(reader);
            if (Long.compareUnsigned(start.group() + delta, start.group()) < 0)
            {
                throw WireException.protocolViolation("filter end group overflows 2^64-1");
            }
        }
        if (reader.hasRemaining())
        {
            throw WireException.kvpFormatting("filter " + type + " has " + reader.remaining() + " trailing bytes");
        }
        return new SubscriptionFilter(type, start, delta);
    }

    private static long readFormatted(final WireReader reader) throws WireException
    {
        if (!reader.hasRemaining() || reader.varintScheme().sizeAt(reader.buffer(), reader.position()) > reader.remaining())
        {
            throw WireException.kvpFormatting("subscription filter truncated");
        }
        return reader.varint();
    }

    /** Writes the structure without a length prefix. */
    public void write(final WireWriter writer)
    {
        writer.varint(type.code);
        if (type.hasStart)
        {
            writer.location(start);
        }
        if (type.hasEndGroup)
        {
            writer.varint(endGroupDelta);
        }
    }
}
