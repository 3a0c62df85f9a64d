package moq.relay.session;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.request.RequestContext;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.session.request.UpstreamTracks;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;

/**
 * A control-stream draft's half (14) of a track the peer sends the relay (the relay's SUBSCRIBE, or the peer's
 * PUBLISH), in its {@link ControlStreamDialect}'s records: the SUBSCRIBE and every update of the Forward state are
 * requests of the relay's own, sent as the peer's MAX_REQUEST_ID allows ({@link OwnRequests}); an UNSUBSCRIBE
 * cancels a SUBSCRIBE. Event loop.
 */
final class ControlStreamUpstreamTrack extends UpstreamTrack
{
    private final ControlStreamDialect dialect;
    private final OwnRequests ownRequests;
    private final Consumer<ControlMessage> control;
    /** The Forward state the engine wants, and the one the publisher was last told (SUBSCRIBE or its update). */
    private boolean wantForward;
    private boolean sentForward;
    /** The subscription's Start Location (LargestObject filter: the object after SUBSCRIBE_OK's largest). */
    private Location start = new Location(0, 0);

    ControlStreamUpstreamTrack(final RequestContext session, final UpstreamTracks table,
        final UpstreamSubscription subscription, final ControlStreamDialect dialect, final OwnRequests ownRequests,
        final Consumer<ControlMessage> control)
    {
        super(session, table, subscription);
        this.dialect = dialect;
        this.ownRequests = ownRequests;
        this.control = control;
        this.wantForward = subscription.forward();
    }

    /** Queues the SUBSCRIBE for a request id; false if too many requests wait already. */
    boolean subscribe()
    {
        return submit(id ->
        {
            sentForward = wantForward;
            requestId(id);
            control.accept(dialect.subscribe(id, subscription.track(), sentForward));
        });
    }

    /**
     * The peer's PUBLISH {@code requestId}, established in the engine: returns the Forward state for its answer
     * (0 while nobody subscribes, then an update as demand changes).
     */
    boolean published(final long requestId, final long trackAlias, final Location largest)
    {
        sentForward = wantForward;
        startAfter(largest);
        requestId(requestId);
        published(trackAlias);
        return sentForward;
    }

    @Override
    protected void established(final Location largest)
    {
        startAfter(largest);
        syncForward();
    }

    private void startAfter(final Location largest)
    {
        if (largest != null)
        {
            start = new Location(largest.group(), largest.object() + 1);
        }
    }

    @Override
    public void forward(final boolean forward)
    {
        wantForward = forward;
        syncForward();
    }

    /**
     * Tells the publisher a changed Forward state once the subscription is established (an update before
     * SUBSCRIBE_OK could name a subscription the publisher has not accepted yet).
     */
    private void syncForward()
    {
        if (state() != State.ESTABLISHED || requestId() < 0 || wantForward == sentForward)
        {
            return;
        }
        sentForward = wantForward;
        submit(id -> control.accept(dialect.forwardUpdate(id, requestId(), start, sentForward)));
    }

    /** A request of the relay's own that {@code send}s once it has an id, unless the track ended by then. */
    private boolean submit(final LongConsumer send)
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
                send.accept(id);
            }
        });
    }

    @Override
    protected void cancelUpstream()
    {
        if (requestId() >= 0 && (requestId() & 1) == 1)
        {
            control.accept(dialect.unsubscribe(requestId()));
        }
    }
}
