package moq.relay.wire.d20;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;

/**
 * Location Filter (draft-21 §3.3.1, §9.20.10), the value of LOCATION_FILTER: {@code [StartGroup (vi64)],
 * [StartObject (vi64)], [EndGroupDelta (vi64)], [EndObject (vi64)]}, the number of fields present (0 to 4) told by
 * the parameter's length. It replaces draft-18's tagged Subscription Filter, and also carries FETCH's range.
 *
 * <ul>
 *   <li>0 fields: no filter (in REQUEST_UPDATE: remove it).</li>
 *   <li>1 field: StartGroup relative, start {Largest.Group + 1 - StartGroup, 0} clamped to 0; open ended.</li>
 *   <li>2 fields both 0: start at the Next Object; open ended. Otherwise 2 to 4 fields are absolute: start
 *       {StartGroup, StartObject}; end group StartGroup + EndGroupDelta (the whole group unless EndObject is
 *       present, inclusive). Without an end, a subscription is open ended and a FETCH ends at Largest Object.</li>
 * </ul>
 *
 * Unused components are 0. {@code fieldCount} keeps the wire form, so a decoded filter re-encodes byte for byte.
 */
public record LocationFilter(int fieldCount, long startGroup, long startObject, long endGroupDelta, long endObject)
{
    public static final LocationFilter NONE = new LocationFilter(0, 0, 0, 0, 0);
    public static final LocationFilter NEXT_OBJECT = new LocationFilter(2, 0, 0, 0, 0);

    /** What the fields mean. */
    public enum Kind
    {
        NONE,
        /** One field: StartGroup counts back from the Next Group (0 = next group, 1 = current group). */
        RELATIVE_START_GROUP,
        NEXT_OBJECT,
        ABSOLUTE
    }

    public LocationFilter
    {
        if (fieldCount < 0 || fieldCount > 4)
        {
            throw new IllegalArgumentException("a Location Filter has 0 to 4 fields, not " + fieldCount);
        }
        if ((fieldCount < 1 && startGroup != 0) || (fieldCount < 2 && startObject != 0) ||
            (fieldCount < 3 && endGroupDelta != 0) || (fieldCount < 4 && endObject != 0))
        {
            throw new IllegalArgumentException("value in an absent Location Filter field");
        }
        if (fieldCount >= 3 && Long.compareUnsigned(startGroup + endGroupDelta, startGroup) < 0)
        {
            throw new IllegalArgumentException("end group overflows 2^64-1");
        }
    }

    /** Start at the Next Group minus {@code groupsBack} (0: next group, 1: the current group from its start). */
    public static LocationFilter relativeStartGroup(final long groupsBack)
    {
        return new LocationFilter(1, groupsBack, 0, 0, 0);
    }

    /** Absolute start, open ended ({0, 0} here is the Next Object spelling: use {@link #NONE} for everything). */
    public static LocationFilter absoluteStart(final Location start)
    {
        return new LocationFilter(2, start.group(), start.object(), 0, 0);
    }

    /** Absolute start through the whole of group {@code start.group + endGroupDelta}. */
    public static LocationFilter absoluteRange(final Location start, final long endGroupDelta)
    {
        return new LocationFilter(3, start.group(), start.object(), endGroupDelta, 0);
    }

    /** Absolute start through {@code (start.group + endGroupDelta, endObject)} inclusive. */
    public static LocationFilter absoluteRange(final Location start, final long endGroupDelta, final long endObject)
    {
        return new LocationFilter(4, start.group(), start.object(), endGroupDelta, endObject);
    }

    public Kind kind()
    {
        switch (fieldCount)
        {
            case 0:
                return Kind.NONE;
            case 1:
                return Kind.RELATIVE_START_GROUP;
            case 2:
                return startGroup == 0 && startObject == 0 ? Kind.NEXT_OBJECT : Kind.ABSOLUTE;
            default:
                return Kind.ABSOLUTE;
        }
    }

    /**
     * The first Location that passes, given the track's Largest Object ({@code null} when nothing is published:
     * the Next Object and Next Group are then {0, 0}). {0, 0} for no filter.
     */
    public Location start(final Location largest)
    {
        switch (kind())
        {
            case NONE:
                return new Location(0, 0);
            case RELATIVE_START_GROUP:
            {
                final long nextGroup = largest == null ? 0 : largest.group() + 1;
                if (largest != null && nextGroup == 0)
                {
                    // Largest group 2^64-1: "if greater than 2^64 - 1, it is set to 2^64 - 1".
                    return new Location(startGroup == 0 ? -1L : -startGroup, 0);
                }
                return new Location(Long.compareUnsigned(startGroup, nextGroup) >= 0 ? 0 : nextGroup - startGroup, 0);
            }
            case NEXT_OBJECT:
                return largest == null ? new Location(0, 0) : new Location(largest.group(), largest.object() + 1);
            default:
                return new Location(startGroup, startObject);
        }
    }

    /** True if the filter names a last group (3 or 4 fields). */
    public boolean hasEnd()
    {
        return fieldCount >= 3;
    }

    /** The last group that passes; only meaningful when {@link #hasEnd()}. */
    public long endGroup()
    {
        return startGroup + endGroupDelta;
    }

    /** True if the end is a single object ({@code endObject}, inclusive) rather than the whole end group. */
    public boolean hasEndObject()
    {
        return fieldCount == 4;
    }

    /**
     * Reads a filter filling the whole of {@code reader}. More than four fields or a truncated varint is a
     * KEY_VALUE_FORMATTING_ERROR (the value does not match its serialization, §8.3); an end group past 2^64-1 a
     * PROTOCOL_VIOLATION (§9.20.10 says so).
     */
    public static LocationFilter read(final WireReader reader) throws WireException
    {
        final long[] fields = new long[4];
        int count = 0;
        while (reader.hasRemaining())
        {
            if (count == 4)
            {
                throw WireException.kvpFormatting("LOCATION_FILTER has more than four fields");
            }
            fields[count++] = readFormatted(reader);
        }
        if (count >= 3 && Long.compareUnsigned(fields[0] + fields[2], fields[0]) < 0)
        {
            throw WireException.protocolViolation("LOCATION_FILTER end group overflows 2^64-1");
        }
        return new LocationFilter(count, fields[0], fields[1], fields[2], fields[3]);
    }

    static long readFormatted(final WireReader reader) throws WireException
    {
        if (!reader.hasRemaining() || reader.varintScheme().sizeAt(reader.buffer(), reader.position()) > reader.remaining())
        {
            throw WireException.kvpFormatting("parameter value truncated");
        }
        return reader.varint();
    }

    /** Writes the fields without a length prefix. */
    public void write(final WireWriter writer)
    {
        if (fieldCount >= 1)
        {
            writer.varint(startGroup);
        }
        if (fieldCount >= 2)
        {
            writer.varint(startObject);
        }
        if (fieldCount >= 3)
        {
            writer.varint(endGroupDelta);
        }
        if (fieldCount >= 4)
        {
            writer.varint(endObject);
        }
    }
}
