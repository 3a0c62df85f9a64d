package moq.relay.session.egress;

import java.nio.ByteBuffer;
import moq.relay.fanout.EgressCounters;
import moq.relay.engine.DownstreamSubscription;

/**
 * A writer's payload views ({@link ObjectViews}) and how many of them are in flight: the subscription is made with
 * {@code retainsPayload}, and once no view is in flight any more its log memory may be reused
 * ({@link DownstreamSubscription#release()}). Nothing is allocated per view once the pool is warm. Confined to the
 * event loop that runs the writer and its streams (the views' releases happen there too).
 */
final class PayloadViews
{
    private final ObjectViews views = new ObjectViews(this::released);
    private final EgressCounters counters;
    private DownstreamSubscription subscription;
    private int inFlight;

    /** @param counters the egress loop's, where the views in flight are counted too (its objects in transport) */
    PayloadViews(final EgressCounters counters)
    {
        this.counters = counters;
    }

    /** The subscription whose log the views frame: told whenever the last view in flight is released. */
    void bind(final DownstreamSubscription subscription)
    {
        this.subscription = subscription;
    }

    /**
     * A view over {@code region} ({@link ObjectViews#view}), in flight until the stream write it is handed to releases
     * it; the caller owns it until then.
     */
    ObjectView view(final ByteBuffer region)
    {
        final ObjectView v = views.view(region);
        inFlight++;
        counters.objectsInTransport(1);
        return v;
    }

    /** Views handed out and not yet released: held, queued on a stream, or being sent. */
    int inFlight()
    {
        return inFlight;
    }

    private void released()
    {
        counters.objectsInTransport(-1);
        if (--inFlight == 0 && subscription != null)
        {
            subscription.release();
        }
    }
}
