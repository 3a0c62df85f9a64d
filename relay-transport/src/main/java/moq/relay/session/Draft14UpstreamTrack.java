package moq.relay.session;

import java.util.function.Consumer;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.request.RequestContext;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.session.request.UpstreamTracks;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeUpdate;
import moq.relay.wire.d14.SubscriptionFilter;
import moq.relay.wire.d14.Unsubscribe;

/**
 * Draft 14's half of a track the peer sends the relay (its SUBSCRIBE, or the peer's PUBLISH): the SUBSCRIBE and
 * every SUBSCRIBE_UPDATE of the Forward state are requests of the relay's own, sent as the peer's MAX_REQUEST_ID
 * allows ({@link OwnRequests}); UNSUBSCRIBE cancels a SUBSCRIBE. Event loop.
 */
final class Draft14UpstreamTrack extends UpstreamTrack
{
    private final OwnRequests ownRequests;
    private final Consumer<ControlMessage> control;
    /** The Forward state the engine wants, and the one the publisher was last told (SUBSCRIBE or SUBSCRIBE_UPDATE). */
    private boolean wantForward;
    private boolean sentForward;
    /** The subscription's Start Location (LargestObject filter: the object after SUBSCRIBE_OK's largest). */
    private Location start = new Location(0, 0);

    Draft14UpstreamTrack(final RequestContext session, final UpstreamTracks table,
        final UpstreamSubscription subscription, final OwnRequests ownRequests, final Consumer<ControlMessage> control)
    {
        super(session, table, subscription);
        this.ownRequests = ownRequests;
        this.control = control;
        this.wantForward = subscription.forward();
    }

    /** Queues the SUBSCRIBE for a request id; false if too many requests wait already. */
    boolean subscribe()
    {
        return ownRequests.submit(new OwnRequests.Request()
        {
            @Override
            public boolean obsolete()
            {
                return state() == State.ENDED;
            }

            @Override
            public void send(final long id)
            {
                sentForward = wantForward;
                requestId(id);
                final FullTrackName track = subscription.track();
                control.accept(new Subscribe(id, track.namespace(), track.name(), 128, GroupOrder.PUBLISHER_DEFAULT,
                    sentForward, SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
            }
        });
    }

    /**
     * The peer's PUBLISH {@code requestId}, established in the engine: returns the Forward state for PUBLISH_OK
     * (0 while nobody subscribes, then SUBSCRIBE_UPDATE as demand changes).
     */
    boolean published(final long requestId, final long trackAlias, final Location largest)
    {
        sentForward = wantForward;
        if (largest != null)
        {
            start = new Location(largest.group(), largest.object() + 1);
        }
        requestId(requestId);
        published(trackAlias);
        return sentForward;
    }

    @Override
    protected void established(final Location largest)
    {
        if (largest != null)
        {
            start = new Location(largest.group(), largest.object() + 1);
        }
        syncForward();
    }

    @Override
    public void forward(final boolean forward)
    {
        wantForward = forward;
        syncForward();
    }

    /**
     * Tells the publisher a changed Forward state with SUBSCRIBE_UPDATE once the subscription is established (an
     * update before SUBSCRIBE_OK could name a subscription the publisher has not accepted yet). Start Location and
     * End Group are restated unchanged: an update may only narrow, and this one only flips Forward.
     */
    private void syncForward()
    {
        if (state() != State.ESTABLISHED || requestId() < 0 || wantForward == sentForward)
        {
            return;
        }
        sentForward = wantForward;
        ownRequests.submit(new OwnRequests.Request()
        {
            @Override
            public boolean obsolete()
            {
                return state() == State.ENDED;
            }

            @Override
            public void send(final long id)
            {
                control.accept(new SubscribeUpdate(id, requestId(), start, 0, 128, sentForward,
                    MessageParameters.EMPTY));
            }
        });
    }

    @Override
    protected void cancelUpstream()
    {
        if (requestId() >= 0 && (requestId() & 1) == 1)
        {
            control.accept(new Unsubscribe(requestId()));
        }
    }
}
