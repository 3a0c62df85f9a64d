package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * The relay's subscription to one publisher for one track: created by the engine when it routes a SUBSCRIBE upstream
 * (the publisher session answers with {@link #accept}/{@link #reject}), or by {@link Session#publish} for a PUBLISH
 * (already accepted). Objects arrive through {@link #ingest()}; {@link #done} is the upstream PUBLISH_DONE.
 * Methods may be called from any thread.
 */
public final class UpstreamSubscription
{
    enum State
    {
        PENDING,
        ESTABLISHED,
        CLOSED
    }

    final Relay relay;
    final Track track;
    final Session session;
    final Publisher publisher;
    final boolean published;
    final long requestId;
    State state = State.PENDING;
    boolean forward;
    boolean silent;
    /** The downstream session whose request opened this upstream SUBSCRIBE (null for a PUBLISH). */
    Session requester;

    UpstreamSubscription(
        final Relay relay,
        final Track track,
        final Session session,
        final Publisher publisher,
        final boolean published,
        final long requestId,
        final boolean forward)
    {
        this.relay = relay;
        this.track = track;
        this.session = session;
        this.publisher = publisher;
        this.published = published;
        this.requestId = requestId;
        this.forward = forward;
    }

    /**
     * The other relay's marker of the session whose request opened this upstream SUBSCRIBE
     * ({@link Session#peerRelay()}), or null when a client's (or for a PUBLISH): a cluster peer carries it on.
     */
    public String requesterPeerRelay()
    {
        return requester == null ? null : requester.peerRelay();
    }

    public FullTrackName track()
    {
        return track.name;
    }

    /** The forward state to request upstream. */
    public boolean forward()
    {
        synchronized (relay)
        {
            return forward;
        }
    }

    /**
     * Whether the track has a downstream subscription, forwarding or not (Forward=0 is a subscription all the same),
     * or a SUBSCRIBE waiting for it.
     */
    public boolean subscribed()
    {
        synchronized (relay)
        {
            return !track.downstreams.isEmpty() || !track.waiting.isEmpty();
        }
    }

    /** Where this track's objects go. */
    public TrackIngest ingest()
    {
        return track.ingest;
    }

    /** SUBSCRIBE_OK from upstream. */
    public void accept(final Location largest, final List<KeyValuePair> trackProperties)
    {
        relay.upstreamAccepted(this, largest, trackProperties);
    }

    /** REQUEST_ERROR from upstream. */
    public void reject(final RequestErrorCode code, final String reason)
    {
        relay.upstreamRejected(this, code, reason);
    }

    /** PUBLISH_DONE from upstream: its last object has been ingested. */
    public void done(final PublishDoneStatus status, final String reason)
    {
        relay.upstreamDone(this, status, reason, StreamResetCode.CANCELLED);
    }

    /**
     * The session dropped an object of this subscription because {@link TrackIngest} refused it (returned false): the
     * relay counts it ({@link Relay#droppedObjects()}) and ends the subscription with EXCESSIVE_LOAD for its
     * subscribers; the session must also cancel it upstream ({@link Publisher#unsubscribe} semantics). Once ended,
     * further calls only count.
     */
    public void objectDropped(final String reason)
    {
        relay.objectDropped(this, reason);
    }

    public boolean isEstablished()
    {
        synchronized (relay)
        {
            return state == State.ESTABLISHED;
        }
    }
}
