package moq.relay.client;

/**
 * What a SUBSCRIBE asks for besides the track.
 *
 * @param filter             where delivery starts (and ends).
 * @param subscriberPriority 0 (highest) .. 255; 128 is the draft default.
 * @param descending         true for descending group order; false leaves the publisher's order (draft-14 sends 0,
 *                           draft-18 omits GROUP_ORDER).
 * @param forward            false subscribes without objects flowing (draft-18 FORWARD 0, draft-14 Forward 0).
 */
public record SubscribeOptions(Filter filter, int subscriberPriority, boolean descending, boolean forward)
{
    public static final SubscribeOptions LATEST = new SubscribeOptions(Filter.largestObject(), 128, false, true);

    public static SubscribeOptions of(final Filter filter)
    {
        return new SubscribeOptions(filter, 128, false, true);
    }
}
