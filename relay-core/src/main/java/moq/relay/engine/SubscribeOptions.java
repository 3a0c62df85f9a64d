package moq.relay.engine;

/**
 * A downstream SUBSCRIBE's parameters. {@code retainsPayload}: the writer keeps zero-copy views beyond the write call
 * and reports {@link DownstreamSubscription#release()} (see {@link moq.relay.fanout.ObjectWriter}).
 */
public record SubscribeOptions(
    SubscriptionFilter filter, boolean forward, int subscriberPriority, GroupOrder groupOrder, boolean retainsPayload)
{
    public static final int DEFAULT_SUBSCRIBER_PRIORITY = 128;

    public SubscribeOptions
    {
        if (subscriberPriority < 0 || subscriberPriority > 255)
        {
            throw new IllegalArgumentException("subscriber priority must be 0..255: " + subscriberPriority);
        }
        if (filter == null)
        {
            filter = SubscriptionFilter.NONE;
        }
        if (groupOrder == null)
        {
            groupOrder = GroupOrder.PUBLISHER;
        }
    }

    public static SubscribeOptions of(final SubscriptionFilter filter)
    {
        return new SubscribeOptions(filter, true, DEFAULT_SUBSCRIBER_PRIORITY, GroupOrder.PUBLISHER, false);
    }

    public SubscribeOptions withPriority(final int priority)
    {
        return new SubscribeOptions(filter, forward, priority, groupOrder, retainsPayload);
    }

    public SubscribeOptions withForward(final boolean fwd)
    {
        return new SubscribeOptions(filter, fwd, subscriberPriority, groupOrder, retainsPayload);
    }

    public SubscribeOptions withGroupOrder(final GroupOrder order)
    {
        return new SubscribeOptions(filter, forward, subscriberPriority, order, retainsPayload);
    }
}
