package moq.relay.wire.d14;

import moq.relay.wire.Location;

import java.util.Objects;

/**
 * The filter of a SUBSCRIBE, TRACK_STATUS or PUBLISH_OK: a type and the fields it puts on the wire.
 * {@code start} is null unless the type carries a Start Location; {@code endGroup} is 0 unless the type is
 * AbsoluteRange, where it is the last group (inclusive, not "+1" as in SUBSCRIBE_UPDATE).
 *
 * <p>AbsoluteRange requires End Group &gt;= Start.Group, but the draft answers a violation with
 * SUBSCRIBE_ERROR INVALID_RANGE, not a session error, so the codec carries such a filter through and
 * {@link #hasValidRange()} lets the request handler decide.
 */
public record SubscriptionFilter(FilterType type, Location start, long endGroup)
{
    private static final SubscriptionFilter NEXT_GROUP_START = new SubscriptionFilter(FilterType.NEXT_GROUP_START, null, 0);
    private static final SubscriptionFilter LARGEST_OBJECT = new SubscriptionFilter(FilterType.LARGEST_OBJECT, null, 0);

    public SubscriptionFilter
    {
        Objects.requireNonNull(type, "type");
        if (type.hasStart() != (start != null))
        {
            throw new IllegalArgumentException(type + (type.hasStart() ? " needs" : " has no") + " start location");
        }
        if (!type.hasEndGroup() && endGroup != 0)
        {
            throw new IllegalArgumentException(type + " has no end group");
        }
    }

    public static SubscriptionFilter nextGroupStart()
    {
        return NEXT_GROUP_START;
    }

    public static SubscriptionFilter largestObject()
    {
        return LARGEST_OBJECT;
    }

    public static SubscriptionFilter absoluteStart(final Location start)
    {
        return new SubscriptionFilter(FilterType.ABSOLUTE_START, Objects.requireNonNull(start, "start"), 0);
    }

    public static SubscriptionFilter absoluteRange(final Location start, final long endGroup)
    {
        return new SubscriptionFilter(FilterType.ABSOLUTE_RANGE, Objects.requireNonNull(start, "start"), endGroup);
    }

    /** False only for an AbsoluteRange whose End Group precedes its Start group (answer: INVALID_RANGE). */
    public boolean hasValidRange()
    {
        return type != FilterType.ABSOLUTE_RANGE || Long.compareUnsigned(endGroup, start.group()) >= 0;
    }
}
