package moq.relay.client;

import moq.relay.wire.Location;

/**
 * A subscription filter in draft-neutral form; mapped to draft-18's SUBSCRIPTION_FILTER parameter (End Group as a
 * delta) or draft-14's inline filter fields (End Group absolute).
 *
 * @param start    for ABSOLUTE_START and ABSOLUTE_RANGE, else null.
 * @param endGroup for ABSOLUTE_RANGE, the last group (inclusive), else 0.
 */
public record Filter(Type type, Location start, long endGroup)
{
    public enum Type
    {
        NEXT_GROUP_START,
        LARGEST_OBJECT,
        ABSOLUTE_START,
        ABSOLUTE_RANGE
    }

    public static Filter nextGroupStart()
    {
        return new Filter(Type.NEXT_GROUP_START, null, 0);
    }

    public static Filter largestObject()
    {
        return new Filter(Type.LARGEST_OBJECT, null, 0);
    }

    public static Filter absoluteStart(final Location start)
    {
        return new Filter(Type.ABSOLUTE_START, start, 0);
    }

    public static Filter absoluteRange(final Location start, final long endGroup)
    {
        return new Filter(Type.ABSOLUTE_RANGE, start, endGroup);
    }

    moq.relay.wire.d18.SubscriptionFilter toDraft18()
    {
        switch (type)
        {
            case NEXT_GROUP_START:
                return moq.relay.wire.d18.SubscriptionFilter.nextGroupStart();
            case LARGEST_OBJECT:
                return moq.relay.wire.d18.SubscriptionFilter.largestObject();
            case ABSOLUTE_START:
                return moq.relay.wire.d18.SubscriptionFilter.absoluteStart(start);
            default:
                return moq.relay.wire.d18.SubscriptionFilter.absoluteRange(start, endGroup - start.group());
        }
    }

    moq.relay.wire.d14.SubscriptionFilter toDraft14()
    {
        switch (type)
        {
            case NEXT_GROUP_START:
                return moq.relay.wire.d14.SubscriptionFilter.nextGroupStart();
            case LARGEST_OBJECT:
                return moq.relay.wire.d14.SubscriptionFilter.largestObject();
            case ABSOLUTE_START:
                return moq.relay.wire.d14.SubscriptionFilter.absoluteStart(start);
            default:
                return moq.relay.wire.d14.SubscriptionFilter.absoluteRange(start, endGroup);
        }
    }
}
