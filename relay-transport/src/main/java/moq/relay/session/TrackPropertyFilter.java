package moq.relay.session;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Draft 20's TRACK_PROPERTY_FILTER (draft-21 §3.3.2, §9.20.15) on SUBSCRIBE_TRACKS: which tracks the relay offers.
 * A track passes when, for some SetID, each of that SetID's filters finds its (even) Track Property with a value in one
 * of its Ranges, among the track's properties or inside their Immutable Properties (0xB, §10.7); a track without the
 * property does not pass that filter. Control path only (once per offered track).
 */
final class TrackPropertyFilter
{
    /** One TRACK_PROPERTY_FILTER: {@code bounds} as {@link moq.relay.fanout.ObjectFilter.Term}'s. */
    record Term(int setId, long propertyType, long[] bounds)
    {
    }

    private static final long IMMUTABLE_PROPERTIES = 0xB;

    private final TreeMap<Integer, List<Term>> sets = new TreeMap<>();

    private TrackPropertyFilter(final List<Term> terms)
    {
        for (final Term t : terms)
        {
            sets.computeIfAbsent(t.setId(), k -> new java.util.ArrayList<>()).add(t);
        }
    }

    /** The filter of {@code terms}, or null when there are none (every track passes). */
    static TrackPropertyFilter of(final List<Term> terms)
    {
        return terms.isEmpty() ? null : new TrackPropertyFilter(terms);
    }

    /** Whether a track with {@code properties} passes. */
    boolean passes(final List<KeyValuePair> properties)
    {
        for (final List<Term> set : sets.values())
        {
            boolean all = true;
            for (final Term t : set)
            {
                all &= matches(t, properties, true);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(final Term t, final List<KeyValuePair> properties, final boolean outer)
    {
        for (final KeyValuePair p : properties)
        {
            if (!p.isBytes() && p.type() == t.propertyType() && contains(t.bounds(), p.intValue()))
            {
                return true;
            }
            if (outer && p.isBytes() && p.type() == IMMUTABLE_PROPERTIES && matches(t, immutable(p), false))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(final long[] bounds, final long value)
    {
        for (int i = 0; i < bounds.length; i += 2)
        {
            if (Long.compareUnsigned(value, bounds[i]) >= 0 && Long.compareUnsigned(value, bounds[i + 1]) <= 0)
            {
                return true;
            }
        }
        return false;
    }

    /** The Key-Value-Pairs inside an Immutable Properties value; none when they do not parse. */
    private static List<KeyValuePair> immutable(final KeyValuePair p)
    {
        final byte[] bytes = p.bytesValue().array();
        try
        {
            return KeyValuePairs.readToEnd(new WireReader(MoqtVarint.INSTANCE).wrap(new UnsafeBuffer(bytes), 0,
                p.bytesValue().length()), true);
        }
        catch (final WireException e)
        {
            return List.of();
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder b = new StringBuilder("TrackPropertyFilter[");
        for (final List<Term> set : sets.values())
        {
            for (final Term t : set)
            {
                b.append("set ").append(t.setId()).append(" 0x").append(Long.toHexString(t.propertyType()))
                    .append(Arrays.toString(t.bounds())).append(' ');
            }
        }
        return b.append(']').toString();
    }
}
