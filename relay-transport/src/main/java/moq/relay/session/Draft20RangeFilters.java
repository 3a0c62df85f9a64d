package moq.relay.session;

import java.util.ArrayList;
import java.util.List;
import moq.relay.fanout.ObjectFilter;
import moq.relay.session.request.RangeFilterUpdate;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.param.ParameterType;

/**
 * Draft 20's object Range Filters (SUBGROUP_FILTER, OBJECTID_FILTER, PRIORITY_FILTER, OBJECT_PROPERTY_FILTER;
 * draft-21 §3.3.2, §8.6) as the engine's {@link ObjectFilter} terms. Read only from messages whose {@link
 * MessageParameters#rangeFilterProblem} is null (the dialect refuses the others with INVALID_FILTER first).
 */
final class Draft20RangeFilters
{
    private Draft20RangeFilters()
    {
    }

    /** The object filter field of a Range Filter type; null for TRACK_PROPERTY_FILTER, which filters tracks. */
    static ObjectFilter.Field field(final ParameterType type)
    {
        switch (type)
        {
            case SUBGROUP_FILTER:
                return ObjectFilter.Field.SUBGROUP_ID;
            case OBJECTID_FILTER:
                return ObjectFilter.Field.OBJECT_ID;
            case PRIORITY_FILTER:
                return ObjectFilter.Field.PUBLISHER_PRIORITY;
            case OBJECT_PROPERTY_FILTER:
                return ObjectFilter.Field.OBJECT_PROPERTY;
            default:
                return null;
        }
    }

    /** The object filter terms of {@code p}, in wire order (a zero-length filter is none). */
    static List<ObjectFilter.Term> terms(final MessageParameters p)
    {
        final List<ObjectFilter.Term> terms = new ArrayList<>(2);
        for (final RangeFilter f : p.rangeFilters())
        {
            final ObjectFilter.Field field = field(f.filterType());
            if (field != null && !f.cleared())
            {
                terms.add(term(field, f));
            }
        }
        return terms;
    }

    /** {@code p}'s TRACK_PROPERTY_FILTERs (SUBSCRIBE_TRACKS), in wire order (a zero-length one is none). */
    static List<TrackPropertyFilter.Term> trackTerms(final MessageParameters p)
    {
        final List<TrackPropertyFilter.Term> terms = new ArrayList<>(1);
        for (final RangeFilter f : p.rangeFilters())
        {
            if (f.filterType() == ParameterType.TRACK_PROPERTY_FILTER && !f.cleared())
            {
                terms.add(new TrackPropertyFilter.Term(f.setId(), f.propertyType(), bounds(f)));
            }
        }
        return terms;
    }

    /** {@code p}'s Range Filters as a REQUEST_UPDATE's change, or null when it carries none. */
    static RangeFilterUpdate update(final MessageParameters p, final long maxFilterRanges)
    {
        final List<RangeFilter> filters = p.rangeFilters();
        if (filters.isEmpty())
        {
            return null;
        }
        final String problem = p.rangeFilterProblem(maxFilterRanges);
        final List<ObjectFilter.Field> fields = new ArrayList<>(2);
        for (final RangeFilter f : filters)
        {
            final ObjectFilter.Field field = field(f.filterType());
            if (field != null && !fields.contains(field))
            {
                fields.add(field);
            }
        }
        return new RangeFilterUpdate(fields, problem == null ? terms(p) : List.of(), maxFilterRanges, problem);
    }

    private static ObjectFilter.Term term(final ObjectFilter.Field field, final RangeFilter f)
    {
        return new ObjectFilter.Term(f.setId(), field, f.propertyType(), bounds(f));
    }

    /** Start, end pairs in absolute values, an open end -1. */
    private static long[] bounds(final RangeFilter f)
    {
        final List<RangeFilter.Range> ranges = f.ranges();
        final long[] bounds = new long[ranges.size() * 2];
        for (int i = 0; i < ranges.size(); i++)
        {
            bounds[2 * i] = ranges.get(i).start();
            bounds[2 * i + 1] = ranges.get(i).end();
        }
        return bounds;
    }
}
