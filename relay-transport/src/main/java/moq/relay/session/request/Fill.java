package moq.relay.session.request;

import moq.relay.engine.GroupOrder;
import moq.relay.wire.Location;

/**
 * A subscription's fill (draft 20's FILL_PARAMETERS, draft-21 §3.4, §9.20.16), version neutral: the fill range, known
 * only once the Largest Object is, and the fill fetch stream's own priority and group order.
 * <p>
 * A SUBSCRIBE's fill is resolved against the SUBSCRIBE (what FILL_PARAMETERS omits is the subscription's). A
 * REQUEST_UPDATE's fill (§9.5.1) leaves what it omits to the subscription as it is when the update is processed: a
 * null {@code range} or {@code order}, a negative {@code subscriberPriority}, resolved by {@link #over}.
 *
 * @param range              the fill range given the Largest Object; null: the subscription's Location filter's
 * @param subscriberPriority the fill's (FILL_PARAMETERS' SUBSCRIBER_PRIORITY, else the subscription's); -1: the
 *                           subscription's
 * @param order              the fill's group order (FILL_PARAMETERS' GROUP_ORDER, else the subscription's, else
 *                           ascending); null: the subscription's
 * @param timeoutMillis      FILL_TIMEOUT (§9.20.6), -1 when absent; 0: from the cache alone, what it lacks reported
 *                           as an End of Timed-Out Range; otherwise the relay waits for the publisher's answer
 * @param filters            the Range Filters inside FILL_PARAMETERS, which replace the subscription's of their types
 *                           for the fill (§3.4: the fill "inherits the subscription's parameters, including ... range
 *                           filters"; those inside "override them"), null when it carries none
 * @param requested          whether the message carried FILL_PARAMETERS: a SUBSCRIBE without them opens no fill
 *                           stream, its fill only keeping the subscription's defaults for a later REQUEST_UPDATE's
 */
public record Fill(Range range, int subscriberPriority, GroupOrder order, long timeoutMillis,
    RangeFilterUpdate filters, boolean requested)
{
    /** The fill range of a subscription without a Location filter: the whole track up to the Largest Object. */
    public static final Range WHOLE_TRACK = largest -> largest == null ? null :
        new Location[] {Location.ZERO, largest};

    /** The defaults of a subscription made without a draft-20 SUBSCRIBE (an offered track): no filter, ascending. */
    public static final Fill UNFILTERED = new Fill(WHOLE_TRACK, -1, GroupOrder.ASCENDING, -1, null, false);

    /** The fill range, "evaluated using the rules for a Fetch" (§3.3.1): it never extends beyond Largest Object. */
    @FunctionalInterface
    public interface Range
    {
        /**
         * The first and the last (inclusive) Location of the fill given the Largest Object sent in SUBSCRIBE_OK (null
         * when nothing was published), or null when the range is empty or starts after it: no fill stream (§3.4).
         */
        Location[] resolve(Location largest);
    }

    /**
     * This fill with what it leaves to the subscription taken from {@code subscription} (its SUBSCRIBE's fill) and
     * the subscription's current {@code subscriberPriority}.
     */
    public Fill over(final Fill subscription, final int subscriberPriority)
    {
        return new Fill(range != null ? range : subscription.range,
            this.subscriberPriority >= 0 ? this.subscriberPriority : subscriberPriority,
            order != null ? order : subscription.order, timeoutMillis, filters, requested);
    }

    /** The fill's Range Filters given the subscription's {@code terms}: those inside FILL_PARAMETERS replace theirs. */
    public java.util.List<moq.relay.fanout.ObjectFilter.Term> terms(
        final java.util.List<moq.relay.fanout.ObjectFilter.Term> terms)
    {
        return filters == null ? terms : filters.applyTo(terms);
    }
}
