package moq.relay.session.request;

import moq.relay.auth.Action;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Grant;
import moq.relay.auth.TokenRef;
import java.util.List;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

/**
 * A track the peer sends the relay: the relay's own SUBSCRIBE upstream ({@link moq.relay.engine.Publisher#subscribe}),
 * or a track the peer PUBLISHes (established at once). Owns the track alias; its life is the {@link SubscriberSide}
 * the client runs too (when PUBLISH_DONE takes effect, what a lost request means), whose outcomes it takes to the
 * engine.
 * <pre>
 * REQUESTED --SUBSCRIBE_OK--> ESTABLISHED --PUBLISH_DONE, its streams ended--> ENDED
 *     +--REQUEST_ERROR / request stream lost / unsubscribed--> ENDED
 * </pre>
 * A draft subclass says how the relay tells the publisher a new Forward state and how it cancels. Event loop.
 */
public abstract class UpstreamTrack
{
    public enum State
    {
        REQUESTED,
        ESTABLISHED,
        ENDED
    }

    protected final RequestContext session;
    protected final UpstreamSubscription subscription;
    private final UpstreamTracks table;
    private long requestId = -1;
    private long alias = -1;
    private final SubscriberSide side = new SubscriberSide(new Outcomes());
    private PublishDoneStatus doneStatus;
    private String doneReason;

    protected UpstreamTrack(final RequestContext session, final UpstreamTracks table,
        final UpstreamSubscription subscription)
    {
        this.session = session;
        this.table = table;
        this.subscription = subscription;
        table.add(this);
    }

    /**
     * The peer's PUBLISH of {@code track}, taken to the engine: the established subscription (the session then makes
     * its {@code UpstreamTrack} and answers with the Forward state) or null once {@code replies} carry the refusal.
     */
    public static UpstreamSubscription publish(final RequestContext session, final long requestId,
        final FullTrackName track, final List<KeyValuePair> properties, final Location largest,
        final Publisher publisher, final Replies replies)
    {
        return publish(session, requestId, track, properties, largest, publisher, replies, List.of());
    }

    /**
     * As above, the PUBLISH authorized first with its AUTHORIZATION TOKENs ({@link SessionAuth}): refused, it is
     * answered with the error and null returned. When the grant expires the track ends (PUBLISH_DONE UNAUTHORIZED to
     * the engine; draft 18 resets the request stream with EXPIRED_AUTH_TOKEN).
     */
    public static UpstreamSubscription publish(final RequestContext session, final long requestId,
        final FullTrackName track, final List<KeyValuePair> properties, final Location largest,
        final Publisher publisher, final Replies replies, final List<TokenRef> tokens)
    {
        final Grant grant = session.auth().authorize(AuthRequest.of(Action.PUBLISH, track.namespace(), track.name()),
            tokens, replies::error);
        if (grant == null)
        {
            return null;
        }
        final UpstreamSubscription up = engagePublish(session, requestId, track, properties, largest, publisher,
            replies);
        if (up != null)
        {
            session.auth().atExpiry(grant, () ->
            {
                final UpstreamTrack published = session.upstreams().of(up);
                if (published != null && published.state() != State.ENDED && !session.closed())
                {
                    published.end();
                    up.done(PublishDoneStatus.UNAUTHORIZED, "authorization expired");
                    replies.grantExpired(session.transport(), null);
                }
            });
        }
        return up;
    }

    private static UpstreamSubscription engagePublish(final RequestContext session, final long requestId,
        final FullTrackName track, final List<KeyValuePair> properties, final Location largest,
        final Publisher publisher, final Replies replies)
    {
        return session.engine().publish(requestId, track, properties, largest, publisher, new RequestCallback()
        {
            @Override
            public void ok()
            {
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> replies.error(code, reason));
            }
        });
    }

    public final State state()
    {
        switch (side.state())
        {
            case REQUESTED:
                return State.REQUESTED;
            case ESTABLISHED:
                return State.ESTABLISHED;
            default:
                return State.ENDED;
        }
    }

    public final UpstreamSubscription subscription()
    {
        return subscription;
    }

    /** The request id of the SUBSCRIBE or PUBLISH, -1 while none was given. */
    public final long requestId()
    {
        return requestId;
    }

    public final long alias()
    {
        return alias;
    }

    /** The SUBSCRIBE (or the peer's PUBLISH) got request id {@code id}. */
    public final void requestId(final long id)
    {
        requestId = id;
        table.requestId(this, id);
    }

    /** SUBSCRIBE_OK: the track's alias routes its data streams from now on. */
    public final void accepted(final long trackAlias, final Location largest, final List<KeyValuePair> properties)
        throws WireException
    {
        side.established();
        alias = trackAlias;
        if (!table.alias(this, trackAlias))
        {
            throw new WireException(SessionError.DUPLICATE_TRACK_ALIAS, "track alias " + trackAlias + " in use");
        }
        subscription.accept(largest, properties);
        session.aliasKnown(trackAlias);
        established(largest);
    }

    /** The peer's PUBLISH, established in the engine: its alias routes its data streams from now on. */
    public final void published(final long trackAlias)
    {
        side.established();
        alias = trackAlias;
        table.replaceAlias(this, trackAlias);
    }

    /** The publisher refused the SUBSCRIBE. */
    public final void rejected(final RequestErrorCode code, final String reason)
    {
        end();
        subscription.reject(code, reason);
    }

    /** PUBLISH_DONE: takes effect once the data streams it counts have ended ({@link SubscriberSide}). */
    public final void publishDone(final long streamCount, final PublishDoneStatus status, final String reason)
    {
        if (side.state() == SubscriberSide.State.ESTABLISHED && !side.publishDoneReceived())
        {
            doneStatus = status;
            doneReason = reason;
            side.publishDone(streamCount);
        }
    }

    final void streamStarted()
    {
        side.streamStarted();
    }

    final void streamEnded()
    {
        side.streamEnded();
    }

    /**
     * The request (draft 18: its stream) ended without an answer or PUBLISH_DONE: the subscription fails. Not once
     * the session closed: a publisher that leaves ends its tracks with the engine's TRACK_ENDED, not an error.
     */
    public final void lost()
    {
        switch (side.lost(session.closed() || session.transport().closeFuture().isDone()))
        {
            case UNANSWERED:
                rejected(RequestErrorCode.INTERNAL_ERROR, "request stream closed");
                break;
            case WITHOUT_PUBLISH_DONE:
                end();
                subscription.done(PublishDoneStatus.INTERNAL_ERROR, "request stream closed without PUBLISH_DONE");
                break;
            default:
                break;
        }
    }

    /** The engine no longer wants the track: ends it here and cancels it upstream. */
    public final void unsubscribe()
    {
        end();
        cancelUpstream();
    }

    /** Leaves the session's tables: no more data streams are routed to it. */
    public final void end()
    {
        side.end();
        table.remove(this);
    }

    /** The engine's wanted Forward state changed: tell the publisher, as the draft does. */
    public abstract void forward(boolean forward);

    /** Called once SUBSCRIBE_OK established the track ({@code largest}: its Largest Location, or null). */
    protected void established(final Location largest)
    {
    }

    /** Cancels the request upstream (draft 18: reset its stream; draft 14: UNSUBSCRIBE). */
    protected abstract void cancelUpstream();

    /** The machine's outcomes, taken to the engine. */
    private final class Outcomes implements SubscriberSide.Owner
    {
        @Override
        public void publishDoneTakesEffect()
        {
            table.remove(UpstreamTrack.this);
            subscription.done(doneStatus, doneReason);
        }

        @Override
        public io.netty.channel.EventLoop eventLoop()
        {
            return session.transport().eventLoop();
        }

        @Override
        public long publishDoneGraceMillis()
        {
            return session.publishDoneGraceMillis();
        }

        @Override
        public boolean closed()
        {
            return session.closed();
        }
    }
}
