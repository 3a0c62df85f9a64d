package moq.relay.engine;

import moq.relay.fanout.ObjectFilter;

/**
 * A downstream SUBSCRIBE's parameters. {@code retainsPayload}: the writer keeps zero-copy views beyond the write call
 * and reports {@link DownstreamSubscription#release()} (see {@link moq.relay.fanout.ObjectWriter}).
 * {@code rendezvousTimeoutMs} (RENDEZVOUS_TIMEOUT): how long to hold the SUBSCRIBE when no publisher matches yet;
 * 0 answers DOES_NOT_EXIST at once. {@code objectFilter}: draft 20's Range Filters, evaluated per object on the egress
 * loop; null for none.
 */
public record SubscribeOptions(
    SubscriptionFilter filter,
    boolean forward,
    int subscriberPriority,
    GroupOrder groupOrder,
    boolean retainsPayload,
    long rendezvousTimeoutMs,
    ObjectFilter objectFilter)
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
        if (rendezvousTimeoutMs < 0)
        {
            throw new IllegalArgumentException("rendezvous timeout must be >= 0: " + rendezvousTimeoutMs);
        }
    }

    public SubscribeOptions(
        final SubscriptionFilter filter,
        final boolean forward,
        final int subscriberPriority,
        final GroupOrder groupOrder,
        final boolean retainsPayload,
        final long rendezvousTimeoutMs)
    {
        this(filter, forward, subscriberPriority, groupOrder, retainsPayload, rendezvousTimeoutMs, null);
    }

    public SubscribeOptions(
        final SubscriptionFilter filter,
        final boolean forward,
        final int subscriberPriority,
        final GroupOrder groupOrder,
        final boolean retainsPayload)
    {
        this(filter, forward, subscriberPriority, groupOrder, retainsPayload, 0);
    }

    public static SubscribeOptions of(final SubscriptionFilter filter)
    {
        return new SubscribeOptions(filter, true, DEFAULT_SUBSCRIBER_PRIORITY, GroupOrder.PUBLISHER, false);
    }

    public SubscribeOptions withPriority(final int priority)
    {
        return new SubscribeOptions(filter, forward, priority, groupOrder, retainsPayload, rendezvousTimeoutMs,
            objectFilter);
    }

    public SubscribeOptions withForward(final boolean fwd)
    {
        return new SubscribeOptions(filter, fwd, subscriberPriority, groupOrder, retainsPayload, rendezvousTimeoutMs,
            objectFilter);
    }

    public SubscribeOptions withGroupOrder(final GroupOrder order)
    {
        return new SubscribeOptions(filter, forward, subscriberPriority, order, retainsPayload, rendezvousTimeoutMs,
            objectFilter);
    }

    public SubscribeOptions withRendezvousTimeout(final long millis)
    {
        return new SubscribeOptions(filter, forward, subscriberPriority, groupOrder, retainsPayload, millis,
            objectFilter);
    }

    /** With draft 20's Range Filters ({@code null}: none). */
    public SubscribeOptions withObjectFilter(final ObjectFilter f)
    {
        return new SubscribeOptions(filter, forward, subscriberPriority, groupOrder, retainsPayload,
            rendezvousTimeoutMs, f);
    }
}
