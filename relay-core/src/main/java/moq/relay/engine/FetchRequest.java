package moq.relay.engine;

import moq.relay.fanout.ObjectFilter;
import moq.relay.wire.Location;

/**
 * A FETCH, version neutral. Standalone: {@code track}, {@code start} and {@code end} in the FETCH encoding (the last
 * object plus one; object 0 = the whole end group). Joining: the subscription's request ID and the joining start
 * (relative: groups back from the joining location; absolute: a group ID). {@code objectFilter}: draft 20's Range
 * Filters on the objects the fetch stream carries (a FETCH's own, or a fill's), null for none.
 */
public record FetchRequest(
    Type type,
    FullTrackName track,
    Location start,
    Location end,
    long joiningRequestId,
    long joiningStart,
    int subscriberPriority,
    GroupOrder groupOrder,
    ObjectFilter objectFilter)
{
    public FetchRequest(final Type type, final FullTrackName track, final Location start, final Location end,
        final long joiningRequestId, final long joiningStart, final int subscriberPriority, final GroupOrder groupOrder)
    {
        this(type, track, start, end, joiningRequestId, joiningStart, subscriberPriority, groupOrder, null);
    }

    public enum Type
    {
        STANDALONE,
        RELATIVE_JOINING,
        ABSOLUTE_JOINING
    }

    public static FetchRequest standalone(final FullTrackName track, final Location start, final Location end)
    {
        return new FetchRequest(Type.STANDALONE, track, start, end, -1, 0, 128, GroupOrder.ASCENDING);
    }

    public static FetchRequest relativeJoining(final long joiningRequestId, final long groupsBack)
    {
        return new FetchRequest(Type.RELATIVE_JOINING, null, null, null, joiningRequestId, groupsBack, 128,
            GroupOrder.ASCENDING);
    }

    public static FetchRequest absoluteJoining(final long joiningRequestId, final long startGroup)
    {
        return new FetchRequest(Type.ABSOLUTE_JOINING, null, null, null, joiningRequestId, startGroup, 128,
            GroupOrder.ASCENDING);
    }

    public FetchRequest withGroupOrder(final GroupOrder order)
    {
        return new FetchRequest(type, track, start, end, joiningRequestId, joiningStart, subscriberPriority, order,
            objectFilter);
    }

    /** This fetch with {@code filter} (null: none) applied to the objects it carries. */
    public FetchRequest withObjectFilter(final ObjectFilter filter)
    {
        return new FetchRequest(type, track, start, end, joiningRequestId, joiningStart, subscriberPriority,
            groupOrder, filter);
    }
}
