package moq.relay.engine;

import moq.relay.wire.Location;

/**
 * A subscription filter (draft-18 §5.1.2), version neutral: the end of an Absolute Range is an absolute group (the
 * session converts draft-18's End Group Delta).
 */
public record SubscriptionFilter(Type type, Location start, long endGroup)
{
    public enum Type
    {
        NEXT_GROUP_START,
        LARGEST_OBJECT,
        ABSOLUTE_START,
        ABSOLUTE_RANGE,
        /**
         * Not a draft filter: Largest Object as moq-dev's relay serves it, from the first cached object of the largest
         * group (for clients that rely on that; the session chooses it per peer).
         */
        LARGEST_GROUP_START
    }

    /** No filter: every object, i.e. Absolute Start at {0,0}. */
    public static final SubscriptionFilter NONE = new SubscriptionFilter(Type.ABSOLUTE_START, Location.ZERO, -1);

    public static SubscriptionFilter nextGroupStart()
    {
        return new SubscriptionFilter(Type.NEXT_GROUP_START, null, -1);
    }

    public static SubscriptionFilter largestObject()
    {
        return new SubscriptionFilter(Type.LARGEST_OBJECT, null, -1);
    }

    /** {@link Type#LARGEST_GROUP_START}. */
    public static SubscriptionFilter largestGroupStart()
    {
        return new SubscriptionFilter(Type.LARGEST_GROUP_START, null, -1);
    }

    public static SubscriptionFilter absoluteStart(final Location start)
    {
        return new SubscriptionFilter(Type.ABSOLUTE_START, start, -1);
    }

    /** Objects from {@code start} to the end of group {@code endGroup} inclusive. */
    public static SubscriptionFilter absoluteRange(final Location start, final long endGroup)
    {
        return new SubscriptionFilter(Type.ABSOLUTE_RANGE, start, endGroup);
    }
}
