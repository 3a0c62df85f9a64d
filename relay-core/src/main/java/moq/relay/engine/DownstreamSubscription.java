package moq.relay.engine;

import moq.relay.fanout.SubscriptionDelivery;
import moq.relay.wire.Location;

/** A downstream subscription as its session sees it. */
public final class DownstreamSubscription
{
    final Session session;
    final Track track;
    final long requestId;
    final SubscriptionDelivery delivery;
    boolean forward;
    int subscriberPriority;
    Location joiningLocation;
    boolean ended;

    DownstreamSubscription(
        final Session session,
        final Track track,
        final long requestId,
        final SubscriptionDelivery delivery,
        final boolean forward,
        final int subscriberPriority,
        final Location joiningLocation)
    {
        this.session = session;
        this.track = track;
        this.requestId = requestId;
        this.delivery = delivery;
        this.forward = forward;
        this.subscriberPriority = subscriberPriority;
        this.joiningLocation = joiningLocation;
    }

    public long requestId()
    {
        return requestId;
    }

    public FullTrackName track()
    {
        return track.name;
    }

    /**
     * The track's Largest Object now (the cache's, or the upstream's if larger; null if none): where a fill asked for
     * by a REQUEST_UPDATE ends (draft-21 §3.4). Any thread.
     */
    public Location largest()
    {
        synchronized (session.relay)
        {
            return track.largest();
        }
    }

    /**
     * The writer released every payload view it retained (see {@link moq.relay.fanout.ObjectWriter}). Call on the
     * session's egress loop only.
     */
    public void release()
    {
        delivery.release();
    }

    /** Egress-side state, for metrics and tests (read on the egress loop, or after it stopped). */
    public SubscriptionDelivery delivery()
    {
        return delivery;
    }
}
