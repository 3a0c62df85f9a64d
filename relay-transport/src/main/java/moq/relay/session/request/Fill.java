package moq.relay.session.request;

import moq.relay.engine.GroupOrder;
import moq.relay.wire.Location;

/**
 * A subscription's fill (draft 20's FILL_PARAMETERS, draft-21 §3.4, §9.20.16), version neutral: the fill range, known
 * only once SUBSCRIBE_OK's Largest Object is, and the fill fetch stream's own priority and group order.
 *
 * @param range              the fill range given the Largest Object
 * @param subscriberPriority the fill's (FILL_PARAMETERS' SUBSCRIBER_PRIORITY, else the subscription's)
 * @param order              the fill's group order (FILL_PARAMETERS' GROUP_ORDER, else ascending)
 * @param timeoutMillis      FILL_TIMEOUT (§9.20.6), -1 when absent; 0: from the cache alone, what it lacks reported
 *                           as an End of Timed-Out Range; otherwise the relay waits for the publisher's answer
 */
public record Fill(Range range, int subscriberPriority, GroupOrder order, long timeoutMillis)
{
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
}
