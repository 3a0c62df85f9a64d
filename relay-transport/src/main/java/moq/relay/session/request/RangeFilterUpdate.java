package moq.relay.session.request;

import java.util.List;
import moq.relay.fanout.ObjectFilter;

/**
 * A REQUEST_UPDATE's Range Filters (draft 20, draft-21 §3.3.2: "In REQUEST_UPDATE, Length of 0 removes the filter;
 * non-zero replaces it entirely. If a filter parameter is omitted from REQUEST_UPDATE, it is unchanged"), draft
 * neutral. {@code fields} are the filter types the update carries; each is replaced by the update's {@code terms} of
 * that field (a zero-length one: by none), the others stay. A type names the whole filter, whatever its SetIDs: the
 * text keys "the filter" by its parameter, and a zero-length value has no SetID to single one out.
 *
 * @param maxRanges the relay's MAX_FILTER_RANGES, which the subscription's Ranges after the update must keep to.
 * @param problem   why the update alone is INVALID_FILTER (a repeated Type and SetID, an overflowing delta, ...), or
 *                  null.
 */
public record RangeFilterUpdate(List<ObjectFilter.Field> fields, List<ObjectFilter.Term> terms, long maxRanges,
    String problem)
{
    public RangeFilterUpdate
    {
        fields = List.copyOf(fields);
        terms = List.copyOf(terms);
    }

    /** The subscription's terms after this update of {@code current}. */
    public List<ObjectFilter.Term> applyTo(final List<ObjectFilter.Term> current)
    {
        return ObjectFilter.replaceFields(current, fields, terms);
    }

    /** Why {@code updated} (this update applied) must be refused with INVALID_FILTER, or null. */
    public String problemWith(final List<ObjectFilter.Term> updated)
    {
        if (problem != null)
        {
            return problem;
        }
        long ranges = 0;
        for (final ObjectFilter.Term t : updated)
        {
            ranges += t.rangeCount();
        }
        return ranges > maxRanges ? ranges + " filter ranges on the subscription exceed MAX_FILTER_RANGES " +
            maxRanges : null;
    }
}
