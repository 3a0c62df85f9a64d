package moq.relay.session.request;

import moq.relay.auth.Action;
import moq.relay.auth.AuthFailure;
import java.util.List;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.egress.SubgroupStreamWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * One downstream subscription: the peer's SUBSCRIBE, or its PUBLISH_OK to a track the relay offered
 * ({@link OfferedTrack}). Subscribes in the engine with a {@link SubgroupStreamWriter} under the track alias the
 * relay chose; objects flow once the answer went out (the writer is unwritable until {@code start}).
 * Its life is {@link AnsweredRequest}'s; ACTIVE ends with PUBLISH_DONE (the engine's) or the subscriber's cancel.
 * An offered track has no SUBSCRIBE_OK (the PUBLISH carried its alias) and ends with PUBLISH_DONE when the engine
 * refuses it. Event loop.
 */
public final class DownstreamSubscribe extends AnsweredRequest implements SubgroupStreamWriter.Done
{
    private final long trackAlias;
    private final boolean offered;
    private final SubgroupStreamWriter writer;
    /** The SUBSCRIBE's fill (draft 20's FILL_PARAMETERS), null when it asked for none. */
    private FillStream fill;
    private FullTrackName track;
    private boolean forward = true;

    /**
     * @param offered whether the relay offered the track with PUBLISH (no SUBSCRIBE_OK; an engine refusal ends it
     *                with PUBLISH_DONE)
     * @param ended   told once when the request leaves the session's table (answered with an error, done, cancelled)
     */
    public DownstreamSubscribe(final RequestContext session, final long requestId, final long trackAlias,
        final Replies replies, final boolean offered, final Runnable ended)
    {
        super(session, requestId, replies, ended);
        this.trackAlias = trackAlias;
        this.offered = offered;
        this.writer = new SubgroupStreamWriter(session.transport(), session.engine().egressLoop(), session.draft(),
            trackAlias, this);
    }

    /** Subscribes in the engine; the answer follows on the event loop. */
    public void start(final FullTrackName track, final SubscribeOptions options)
    {
        // An offered track was authorized, and revealed, by the SUBSCRIBE_TRACKS that offered it.
        if (!offered && authorized(Action.SUBSCRIBE, track.namespace(), track.name()) == null)
        {
            return;
        }
        this.track = track;
        this.forward = options.forward();
        session.engine().subscribe(requestId, track, options, writer, new SubscribeCallback()
        {
            @Override
            public void ok(final DownstreamSubscription sub, final Location largest,
                final List<KeyValuePair> properties)
            {
                session.onLoop(() -> accepted(sub, largest, properties));
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> refused(code, reason));
            }
        });
    }

    private void accepted(final DownstreamSubscription sub, final Location largest,
        final List<KeyValuePair> properties)
    {
        if (activate() && !offered)
        {
            replies.subscribeOk(trackAlias, largest, properties);
            if (fill != null)
            {
                fill.start(track, largest, forward);
            }
        }
        writer.start(sub);
    }

    /** An offered track has no error answer: its refusal ends it with PUBLISH_DONE. */
    @Override
    protected void refused(final RequestErrorCode code, final String reason)
    {
        if (!offered)
        {
            super.refused(code, reason);
        }
        else if (leave())
        {
            replies.publishDone(PublishDoneStatus.INTERNAL_ERROR, 0, reason);
        }
    }

    /** The engine ended the subscription (the writer's last call): PUBLISH_DONE. */
    @Override
    public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        leave();
        replies.publishDone(status, streamCount + fillStreams(), reason);
    }

    @Override
    public boolean update(final boolean forward, final int subscriberPriority)
    {
        session.engine().updateSubscription(requestId, forward, subscriberPriority, new RequestCallback()
        {
            @Override
            public void ok()
            {
                session.onLoop(replies::updated);
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> replies.updateRefused(code, reason));
            }
        });
        return true;
    }

    /** The grant expired: PUBLISH_DONE UNAUTHORIZED, its data streams reset with the draft's expiry code. */
    @Override
    protected void grantExpired()
    {
        super.cancel();
        writer.cancelAll(AuthFailure.expiredStreamResetCode(session.draft()));
        if (fill != null)
        {
            fill.cancel(AuthFailure.expiredStreamResetCode(session.draft()));
        }
        replies.publishDone(PublishDoneStatus.UNAUTHORIZED, writer.streamCount() + fillStreams(),
            "authorization expired");
    }

    /**
     * The subscriber ended the subscription. After PUBLISH_DONE it is no cancel: data streams still delivering the
     * last objects are left to finish.
     */
    @Override
    public void cancel()
    {
        if (state() != State.ENDED)
        {
            super.cancel();
            writer.cancelAll();
            if (fill != null)
            {
                fill.cancel(moq.relay.fanout.StreamResetCode.CANCELLED.code());
            }
        }
    }

    /**
     * The SUBSCRIBE asked for a fill (draft 20's FILL_PARAMETERS, draft-21 §3.4): its fill fetch stream is opened
     * after SUBSCRIBE_OK. Called before {@link #start}.
     */
    public void fill(final Fill requested)
    {
        fill = requested == null ? null : new FillStream(session, requestId, requested);
    }

    /**
     * The subscriber's OBJECT_DELIVERY_TIMEOUT in milliseconds (draft 20, from SUBSCRIBE or REQUEST_UPDATE; 0 none),
     * or -1 for a draft the relay applies none to: objects past it are not sent (docs/engine.md "Delivery
     * timeouts"). Before {@link #start} and on later updates.
     */
    public void objectDeliveryTimeout(final long millis)
    {
        writer.objectDeliveryTimeout(millis);
    }

    /** The fill stream counts among the subscription's data streams in PUBLISH_DONE (draft-21 §9.9). */
    private int fillStreams()
    {
        return fill == null ? 0 : fill.streamCount();
    }
}
