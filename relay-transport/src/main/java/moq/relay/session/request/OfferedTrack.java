package moq.relay.session.request;

import moq.relay.engine.FullTrackName;
import moq.relay.engine.SubscribeOptions;

/**
 * A track the relay offers the peer with PUBLISH (for its SUBSCRIBE_TRACKS). The peer's PUBLISH_OK subscribes it in
 * the engine under the offered alias, as a {@link DownstreamSubscribe} whose objects and PUBLISH_DONE follow as for a
 * SUBSCRIBE; its REQUEST_ERROR ends the offer. Its state is the subscription's {@link PublisherSide}, the machine the
 * client's own PUBLISH runs too:
 * <pre>
 * OFFERED --PUBLISH_OK--> ACTIVE --PUBLISH_DONE--> DONE --peer's close--> ENDED
 *     +--REQUEST_ERROR / peer cancel--> ENDED        ACTIVE --peer cancel--> ENDED
 * </pre>
 * Event loop.
 */
public final class OfferedTrack implements PeerRequest
{
    private final FullTrackName track;
    private final long requestId;
    private final long trackAlias;
    private final Replies replies;
    private final DownstreamSubscribe subscription;

    public OfferedTrack(final RequestContext session, final FullTrackName track, final long requestId,
        final long trackAlias, final Replies replies)
    {
        this.track = track;
        this.requestId = requestId;
        this.trackAlias = trackAlias;
        this.replies = replies;
        this.subscription = new DownstreamSubscribe(session, requestId, trackAlias, replies, true, () -> { });
    }

    public PublisherSide.State state()
    {
        return subscription.side().state();
    }

    public FullTrackName track()
    {
        return track;
    }

    public long requestId()
    {
        return requestId;
    }

    public long trackAlias()
    {
        return trackAlias;
    }

    /**
     * Draft 20: what the SUBSCRIBE_TRACKS that offers the track states for its subscription beyond the engine's
     * options (draft-21 §9.18.1): the fill it asks for ({@code fill}, null for none; its fill fetch stream carries the
     * PUBLISH's Request ID) and the subscriber's delivery timeouts in milliseconds (0 none). Before {@link #accepted}.
     */
    public void initial(final Fill fill, final long objectDeliveryTimeoutMillis,
        final long subgroupDeliveryTimeoutMillis)
    {
        subscription.fill(fill);
        subscription.objectDeliveryTimeout(objectDeliveryTimeoutMillis);
        subscription.subgroupDeliveryTimeout(subgroupDeliveryTimeoutMillis);
    }

    /** PUBLISH_OK with the subscriber's options: subscribes in the engine. False if the offer was answered before. */
    public boolean accepted(final SubscribeOptions options)
    {
        if (!subscription.side().accepted())
        {
            return false;
        }
        subscription.start(track, options);
        return true;
    }

    /** REQUEST_ERROR: the peer declined the offer. False if the offer was answered before. */
    public boolean declined()
    {
        if (!subscription.side().declined())
        {
            return false;
        }
        replies.end();
        return true;
    }

    /**
     * Draft 20: a REQUEST_UPDATE's Range Filters for the accepted subscription (see {@link
     * DownstreamSubscribe#stageFilters}), applied by the {@link #update} that follows; refused (REQUEST_ERROR
     * INVALID_FILTER, then PUBLISH_DONE UPDATE_FAILED) when invalid, which returns false.
     */
    public boolean stageFilters(final RangeFilterUpdate change)
    {
        if (!subscription.side().updatable())
        {
            return true; // nothing to stage: the update itself is refused as before
        }
        final String problem = subscription.stageFilters(change);
        if (problem != null)
        {
            subscription.updateFailed(moq.relay.engine.RequestErrorCode.INVALID_FILTER, problem);
            return false;
        }
        return true;
    }

    /**
     * Draft 20: the fill a REQUEST_UPDATE of the accepted subscription asks for ({@code requested}, null for none),
     * opened by the {@link #update} that follows (see {@link DownstreamSubscribe#stageFill}). False when its Range
     * Filters are refused (REQUEST_ERROR INVALID_FILTER, then PUBLISH_DONE UPDATE_FAILED).
     */
    public boolean stageFill(final long requestId, final Fill requested)
    {
        if (requested != null && subscription.side().updatable())
        {
            final String problem = subscription.stageFill(requestId, requested);
            if (problem != null)
            {
                subscription.updateFailed(moq.relay.engine.RequestErrorCode.INVALID_FILTER, "the fill's " + problem);
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean update(final boolean forward, final int subscriberPriority)
    {
        return subscription.side().updatable() && subscription.update(forward, subscriberPriority);
    }

    @Override
    public void deliveryTimeouts(final long objectMillis, final long subgroupMillis)
    {
        subscription.deliveryTimeouts(objectMillis, subgroupMillis);
    }

    @Override
    public void cancel()
    {
        subscription.cancel();
        replies.end();
    }
}
