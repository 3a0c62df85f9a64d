package moq.relay.fanout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.agrona.DirectBuffer;

import moq.relay.store.TrackLog;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;

/**
 * A subscription's Range Filters (draft 20; draft-21 §3.3.2, §8.6, §9.20.11-§9.20.14), version neutral and compiled
 * for the egress loop: evaluated on a track log record with no allocation, no lock.
 * <p>
 * Each {@link Term} is one filter parameter: a field of the object (Subgroup ID, Object ID, Publisher Priority or the
 * value of an Object Property) and Ranges of it, inclusive; an object matches the term when the field's value falls in
 * any Range. Terms with the same SetID are AND'd, distinct SetIDs OR'd: the object passes when, for some SetID, it
 * matches every term of that SetID.
 * <p>
 * Readings of the text (docs/architecture.md "Decisions where the drafts are ambiguous"): an object without the field
 * matches none of its Ranges, so a datagram (no Subgroup ID) fails a Subgroup filter and an object without the
 * property (every status object: End of Group and End of Track carry no properties) fails an Object Property filter;
 * status objects are otherwise filtered like any object, on their header fields. Object Properties are read as the
 * draft-20 subscriber receives them (the log keeps the publisher's bytes; drafts 18 and 20 encode them alike),
 * inside Immutable Properties (0xB) too (draft-21 §10.7: "processors MUST search both"); a property repeated matches
 * when any of its values does.
 */
public final class ObjectFilter
{
    /** The object field a term ranges over. */
    public enum Field
    {
        SUBGROUP_ID,
        OBJECT_ID,
        PUBLISHER_PRIORITY,
        OBJECT_PROPERTY
    }

    /**
     * One filter parameter: {@code bounds} holds {@code start, end} pairs in absolute values (inclusive; an end of -1,
     * 2^64-1, is open), compared unsigned; none matches no object. {@code propertyType} is the (even) Object Property
     * type for {@link Field#OBJECT_PROPERTY}, else 0.
     */
    public record Term(int setId, Field field, long propertyType, long[] bounds)
    {
        public Term
        {
            if (setId < 0 || setId > 255 || field == null || (bounds.length & 1) != 0)
            {
                throw new IllegalArgumentException("bad filter term: set " + setId + ", " + field + ", " +
                    bounds.length + " bounds");
            }
            if (field == Field.OBJECT_PROPERTY ? KeyValuePair.isBytesType(propertyType) : propertyType != 0)
            {
                throw new IllegalArgumentException("property type 0x" + Long.toHexString(propertyType) + " on " +
                    field);
            }
            bounds = bounds.clone();
        }

        /** Ranges in this term, what MAX_FILTER_RANGES counts. */
        public int rangeCount()
        {
            return bounds.length / 2;
        }

        /** Whether {@code value} falls in one of the Ranges. */
        boolean contains(final long value)
        {
            final long[] b = bounds;
            for (int i = 0; i < b.length; i += 2)
            {
                if (Long.compareUnsigned(value, b[i]) >= 0 && Long.compareUnsigned(value, b[i + 1]) <= 0)
                {
                    return true;
                }
            }
            return false;
        }

        @Override
        public boolean equals(final Object o)
        {
            return o instanceof Term t && t.setId == setId && t.field == field && t.propertyType == propertyType &&
                Arrays.equals(t.bounds, bounds);
        }

        @Override
        public int hashCode()
        {
            return ((setId * 31 + field.hashCode()) * 31 + Long.hashCode(propertyType)) * 31 + Arrays.hashCode(bounds);
        }

        @Override
        public String toString()
        {
            return "Term[set " + setId + ", " + field + (field == Field.OBJECT_PROPERTY ?
                " 0x" + Long.toHexString(propertyType) : "") + ", " + Arrays.toString(bounds) + "]";
        }
    }

    /** Immutable Properties (draft-21 §10.7): a property whose value holds more properties. */
    private static final long IMMUTABLE_PROPERTIES = 0xB;

    private final List<Term> terms;
    /** The terms sorted by SetID; {@code setEnd[i]} is one past the last term of the set that term {@code i} is in. */
    private final Term[] sorted;
    private final int[] setEnd;
    private final int rangeCount;

    private ObjectFilter(final List<Term> terms)
    {
        this.terms = List.copyOf(terms);
        this.sorted = terms.toArray(new Term[0]);
        Arrays.sort(sorted, Comparator.comparingInt(Term::setId)); // stable: wire order within a set
        this.setEnd = new int[sorted.length];
        for (int i = sorted.length - 1; i >= 0; i--)
        {
            setEnd[i] = i + 1 < sorted.length && sorted[i + 1].setId() == sorted[i].setId() ? setEnd[i + 1] : i + 1;
        }
        int ranges = 0;
        for (final Term t : terms)
        {
            ranges += t.rangeCount();
        }
        this.rangeCount = ranges;
    }

    /** The filter of {@code terms}, or null when there are none (no filter: every object passes). */
    public static ObjectFilter of(final List<Term> terms)
    {
        return terms.isEmpty() ? null : new ObjectFilter(terms);
    }

    /** The terms, in the order given. */
    public List<Term> terms()
    {
        return terms;
    }

    /** Ranges over all terms, what MAX_FILTER_RANGES bounds for one subscription. */
    public int rangeCount()
    {
        return rangeCount;
    }

    /** Whether the object record at {@code off} in {@code b} (a {@link TrackLog#TYPE_OBJECT}) passes. */
    public boolean matches(final DirectBuffer b, final int off)
    {
        final Term[] terms = sorted;
        int i = 0;
        while (i < terms.length)
        {
            final int end = setEnd[i];
            boolean all = true;
            for (int j = i; j < end && all; j++)
            {
                all = matches(terms[j], b, off);
            }
            if (all)
            {
                return true;
            }
            i = end;
        }
        return false;
    }

    private static boolean matches(final Term t, final DirectBuffer b, final int off)
    {
        switch (t.field())
        {
            case SUBGROUP_ID:
                return !TrackLog.isDatagram(b, off) && t.contains(TrackLog.subgroup(b, off));
            case OBJECT_ID:
                return t.contains(TrackLog.object(b, off));
            case PUBLISHER_PRIORITY:
                return t.contains(TrackLog.priority(b, off));
            default:
                return propertyMatches(t, b, off + TrackLog.HEADER_LENGTH, TrackLog.propertiesLength(b, off), true);
        }
    }

    /**
     * Whether a property of type {@code t.propertyType()} in the block {@code [offset, offset + length)} (draft-18+
     * Key-Value-Pairs: delta-coded types, odd types length-prefixed) has a value in {@code t}'s Ranges; looks inside
     * Immutable Properties once ({@code outer}). A block that does not parse matches nothing from where it breaks.
     */
    private static boolean propertyMatches(final Term t, final DirectBuffer b, final int offset, final int length,
        final boolean outer)
    {
        final int end = offset + length;
        int p = offset;
        long type = 0;
        while (p < end)
        {
            int size = MoqtVarint.size(b, p);
            if (size > end - p)
            {
                return false;
            }
            type += MoqtVarint.value(b, p);
            p += size;
            if (p >= end)
            {
                return false;
            }
            size = MoqtVarint.size(b, p);
            if (size > end - p)
            {
                return false;
            }
            final long value = MoqtVarint.value(b, p);
            p += size;
            if (KeyValuePair.isBytesType(type))
            {
                if (Long.compareUnsigned(value, end - p) > 0)
                {
                    return false;
                }
                if (outer && type == IMMUTABLE_PROPERTIES && propertyMatches(t, b, p, (int)value, false))
                {
                    return true;
                }
                p += (int)value;
            }
            else if (type == t.propertyType() && t.contains(value))
            {
                return true;
            }
        }
        return false;
    }

    /** Terms of {@code current} whose field {@code update} names are replaced by {@code update}'s (none: removed). */
    public static List<Term> replaceFields(final List<Term> current, final List<Field> fields, final List<Term> update)
    {
        final List<Term> out = new ArrayList<>(current.size() + update.size());
        for (final Term t : current)
        {
            if (!fields.contains(t.field()))
            {
                out.add(t);
            }
        }
        out.addAll(update);
        return out;
    }

    @Override
    public String toString()
    {
        return "ObjectFilter" + terms;
    }
}
