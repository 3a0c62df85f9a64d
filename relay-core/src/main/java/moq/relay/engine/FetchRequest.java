package moq.relay.engine;

import moq.relay.wire.Location;

/**
 * A FETCH, version neutral. Standalone: {@code track}, {@code start} and {@code end} in the FETCH encoding (the last
 * object plus one; object 0 = the whole end group). Joining: the subscription's request ID and the joining start
 * (relative: groups back from the joining location; absolute: a group ID).
 */
public record FetchRequest(
    Type type,
    FullTrackName track,
    Location start,
    Location end,
    long joiningRequestId,
    long joiningStart,
    int subscriberPriority,
    GroupOrder groupOrder)
{
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
        return new FetchRequest(type, track, start, end, joiningRequestId, joiningStart, subscriberPriority, order);
    }
}
