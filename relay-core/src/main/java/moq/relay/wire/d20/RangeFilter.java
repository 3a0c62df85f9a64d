package moq.relay.wire.d20;

import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.ParameterType;

import java.util.ArrayList;
import java.util.List;

/**
 * A Range Filter parameter value (draft-21 §3.3.2, §8.6, §9.20.11-§9.20.15): {@code [SetID (8)], [Property Type
 * (vi64)], [Range ...]} with {@code Range = Start (vi64), [End (vi64)]}. A zero length ({@code cleared}) means no
 * filter, which in REQUEST_UPDATE removes one. Property Type is present in the Object and Track Property Filters only.
 *
 * <p>{@code deltas} keeps the wire values in order (Start, End, Start, End, ..., and an odd count when the last Range
 * is open ended): each Start counts from the prior Range's End (0 for the first), each End from its own Start. Kept
 * as sent so a decoded filter re-encodes byte for byte, and so that a filter the draft rejects with a request error
 * still decodes: an overflowing delta, a PRIORITY_FILTER value above 255 and an odd Property Type are INVALID_FILTER
 * (a REQUEST_ERROR, not a session error), reported by {@link #problem()} for the session layer to answer.
 */
public record RangeFilter(ParameterType filterType, boolean cleared, int setId, long propertyType, List<Long> deltas)
{
    /** A Range in absolute values, both ends inclusive; {@code end} is -1 (2^64-1) when open ended. */
    public record Range(long start, long end)
    {
    }

    public RangeFilter
    {
        if (filterType == null || !filterType.isRangeFilter())
        {
            throw new IllegalArgumentException(filterType + " is not a Range Filter");
        }
        deltas = List.copyOf(deltas);
        if (cleared && (setId != 0 || propertyType != 0 || !deltas.isEmpty()))
        {
            throw new IllegalArgumentException("a cleared filter carries nothing");
        }
        if (setId < 0 || setId > 255)
        {
            throw new IllegalArgumentException("SetID " + setId + " is not a uint8");
        }
        if (!filterType.isPropertyFilter() && propertyType != 0)
        {
            throw new IllegalArgumentException(filterType + " has no Property Type");
        }
    }

    /** The zero-length value: no filter of this type (removes it in REQUEST_UPDATE). */
    public static RangeFilter cleared(final ParameterType filterType)
    {
        return new RangeFilter(filterType, true, 0, 0, List.of());
    }

    /**
     * A filter over absolute {@code ranges}, ascending and not overlapping; the last may be open ended (end -1).
     *
     * @param propertyType the Property Type for the Property Filters, else 0.
     */
    public static RangeFilter of(
        final ParameterType filterType, final int setId, final long propertyType, final Range... ranges)
    {
        final List<Long> deltas = new ArrayList<>(ranges.length * 2);
        long previousEnd = 0;
        for (int i = 0; i < ranges.length; i++)
        {
            final Range r = ranges[i];
            if (Long.compareUnsigned(r.start(), previousEnd) < 0 ||
                (r.end() != -1L && Long.compareUnsigned(r.end(), r.start()) < 0))
            {
                throw new IllegalArgumentException("ranges must ascend: " + List.of(ranges));
            }
            deltas.add(r.start() - previousEnd);
            if (r.end() == -1L && i == ranges.length - 1)
            {
                break;
            }
            deltas.add(r.end() - r.start());
            previousEnd = r.end();
        }
        return new RangeFilter(filterType, false, setId, propertyType, deltas);
    }

    /** Number of Ranges (Start/End pairs, the last maybe open), what MAX_FILTER_RANGES counts (§9.1.6). */
    public int rangeCount()
    {
        return (deltas.size() + 1) / 2;
    }

    /** The Ranges in absolute values; only for a filter whose {@link #problem()} is null. */
    public List<Range> ranges()
    {
        final List<Range> ranges = new ArrayList<>(rangeCount());
        long previousEnd = 0;
        for (int i = 0; i < deltas.size(); i += 2)
        {
            final long start = previousEnd + deltas.get(i);
            final long end = i + 1 < deltas.size() ? start + deltas.get(i + 1) : -1L;
            ranges.add(new Range(start, end));
            previousEnd = end;
        }
        return ranges;
    }

    /**
     * Why the receiver MUST reject the request with REQUEST_ERROR INVALID_FILTER, or null: a delta that takes a
     * value past 2^64-1 (§8.6), a PRIORITY_FILTER value above 255 (§9.20.13), an odd Property Type (§9.20.14-15).
     */
    public String problem()
    {
        if (cleared)
        {
            return null;
        }
        if (filterType.isPropertyFilter() && (propertyType & 1) != 0)
        {
            return filterType + " on odd Property Type 0x" + Long.toHexString(propertyType);
        }
        long value = 0;
        for (final long delta : deltas)
        {
            final long next = value + delta;
            if (Long.compareUnsigned(next, value) < 0)
            {
                return filterType + " range runs past 2^64-1";
            }
            value = next;
            if (filterType == ParameterType.PRIORITY_FILTER && Long.compareUnsigned(value, 255) > 0)
            {
                return "PRIORITY_FILTER value " + Long.toUnsignedString(value) + " above 255";
            }
        }
        return null;
    }

    /**
     * Reads a filter filling the whole of {@code reader} (possibly empty). A truncated field is a
     * KEY_VALUE_FORMATTING_ERROR (§8.3). Memory: one list entry per varint actually received.
     */
    public static RangeFilter read(final ParameterType filterType, final WireReader reader) throws WireException
    {
        if (!reader.hasRemaining())
        {
            return cleared(filterType);
        }
        final int setId = reader.uint8();
        long propertyType = 0;
        if (filterType.isPropertyFilter())
        {
            propertyType = LocationFilter.readFormatted(reader);
        }
        final List<Long> deltas = new ArrayList<>();
        while (reader.hasRemaining())
        {
            deltas.add(LocationFilter.readFormatted(reader));
        }
        return new RangeFilter(filterType, false, setId, propertyType, deltas);
    }

    /** Writes the value without its length prefix. */
    public void write(final WireWriter writer)
    {
        if (cleared)
        {
            return;
        }
        writer.uint8(setId);
        if (filterType.isPropertyFilter())
        {
            writer.varint(propertyType);
        }
        for (final long delta : deltas)
        {
            writer.varint(delta);
        }
    }
}
