package moq.relay.fanout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.agrona.DirectBuffer;

import moq.relay.store.TrackLog;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.QuicVarint;

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
 * status objects are otherwise filtered like any object, on their header fields. Object Properties are read in the
 * publisher's encoding (the log keeps its bytes: drafts 18 and 20 encode them alike; a draft-14 publisher's Extension
 * Headers, flagged {@link TrackLog#FLAG_DRAFT14_PROPERTIES}, have absolute Types and QUIC varints),
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
        return matches(TrackLog.isDatagram(b, off), TrackLog.subgroup(b, off), TrackLog.object(b, off),
            TrackLog.priority(b, off), b, off + TrackLog.HEADER_LENGTH, TrackLog.propertiesLength(b, off),
            TrackLog.isDraft14Properties(b, off));
    }

    /**
     * Whether an object with these header fields and the properties block {@code [propertiesOffset,
     * propertiesOffset + propertiesLength)} of {@code b} passes: for objects outside the track log (those a publisher
     * answered an upstream FETCH with). {@code datagram}: it has no Subgroup ID. {@code draft14Properties}: the block
     * is a draft-14 publisher's Extension Headers.
     */
    public boolean matches(final boolean datagram, final long subgroup, final long object, final int priority,
        final DirectBuffer b, final int propertiesOffset, final int propertiesLength, final boolean draft14Properties)
    {
        final Term[] terms = sorted;
        int i = 0;
        while (i < terms.length)
        {
            final int end = setEnd[i];
            boolean all = true;
            for (int j = i; j < end && all; j++)
            {
                all = matches(terms[j], datagram, subgroup, object, priority, b, propertiesOffset, propertiesLength,
                    draft14Properties);
            }
            if (all)
            {
                return true;
            }
            i = end;
        }
        return false;
    }

    private static boolean matches(final Term t, final boolean datagram, final long subgroup, final long object,
        final int priority, final DirectBuffer b, final int propertiesOffset, final int propertiesLength,
        final boolean draft14Properties)
    {
        switch (t.field())
        {
            case SUBGROUP_ID:
                return !datagram && t.contains(subgroup);
            case OBJECT_ID:
                return t.contains(object);
            case PUBLISHER_PRIORITY:
                return t.contains(priority);
            default:
                return draft14Properties ? extensionMatches(t, b, propertiesOffset, propertiesLength, true) :
                    propertyMatches(t, b, propertiesOffset, propertiesLength, true);
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

    /**
     * {@link #propertyMatches} for a draft-14 publisher's Extension Headers (draft-14 §"Object Extension Headers",
     * Key-Value-Pairs): each Type is absolute, not a delta from the previous one, and the varints are QUIC's (RFC 9000
     * §16: a 2-bit length prefix), not draft 18's leading-ones form; odd types carry a length as in draft 18.
     */
    private static boolean extensionMatches(final Term t, final DirectBuffer b, final int offset, final int length,
        final boolean outer)
    {
        final int end = offset + length;
        int p = offset;
        while (p < end)
        {
            int size = QuicVarint.size(b, p);
            if (size > end - p)
            {
                return false;
            }
            final long type = QuicVarint.value(b, p);
            p += size;
            if (p >= end)
            {
                return false;
            }
            size = QuicVarint.size(b, p);
            if (size > end - p)
            {
                return false;
            }
            final long value = QuicVarint.value(b, p);
            p += size;
            if (KeyValuePair.isBytesType(type))
            {
                if (Long.compareUnsigned(value, end - p) > 0)
                {
                    return false;
                }
                if (outer && type == IMMUTABLE_PROPERTIES && extensionMatches(t, b, p, (int)value, false))
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
