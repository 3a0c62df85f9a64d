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
import moq.relay.fanout.ObjectFilter;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.egress.SubgroupStreamWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * One downstream subscription: the peer's SUBSCRIBE, or its PUBLISH_OK to a track the relay offered
 * ({@link OfferedTrack}). Subscribes in the engine with a {@link SubgroupStreamWriter} under the track alias the
 * relay chose; objects flow once the answer went out (the writer is unwritable until {@code start}).
 * Its life in the session's table is {@link AnsweredRequest}'s; its publisher side is the {@link PublisherSide} the
 * client runs too (ACTIVE ends with PUBLISH_DONE, the engine's, or the subscriber's cancel, which after PUBLISH_DONE
 * is none). An offered track has no SUBSCRIBE_OK (the PUBLISH carried its alias; its side starts OFFERED) and ends
 * with PUBLISH_DONE when the engine refuses it. Event loop.
 */
public final class DownstreamSubscribe extends AnsweredRequest implements SubgroupStreamWriter.Done
{
    private final long trackAlias;
    private final boolean offered;
    private final SubgroupStreamWriter writer;
    private final PublisherSide side;
    /**
     * The fill fetch streams (draft 20's FILL_PARAMETERS) of the SUBSCRIBE and of later REQUEST_UPDATEs, each under
     * the Request ID of the message that asked for it (draft-21 §3.4: "a subscription can have multiple fill fetch
     * streams open at once").
     */
    private final List<FillStream> fills = new java.util.ArrayList<>(1);
    /** What a REQUEST_UPDATE's fill leaves to the subscription (its SUBSCRIBE's fill), null for no draft-20 one. */
    private Fill fillDefaults = Fill.UNFILTERED;
    /** A REQUEST_UPDATE's fill, opened once the engine took the update that carried it; and its Request ID. */
    private Fill stagedFill;
    private long stagedFillRequestId;
    private DownstreamSubscription subscription;
    /** Streams of fills that ended and left {@link #fills}. */
    private int endedFillStreams;
    private FullTrackName track;
    private boolean forward = true;
    private int subscriberPriority;
    /** Draft 20: the subscription's Range Filters as the engine has them, and those an update is about to set. */
    private List<ObjectFilter.Term> filterTerms = List.of();
    private List<ObjectFilter.Term> stagedTerms;

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
        this.side = offered ? PublisherSide.offered() : PublisherSide.requested();
    }

    /** The subscription's publisher side (an offered track's: OFFERED until the peer's PUBLISH_OK). */
    PublisherSide side()
    {
        return side;
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
        this.subscriberPriority = options.subscriberPriority();
        this.filterTerms = options.objectFilter() == null ? List.of() : options.objectFilter().terms();
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
        // An offered track's side was ACTIVE since PUBLISH_OK: nothing to answer, but its fill (draft 20, from the
        // SUBSCRIBE_TRACKS) starts as a SUBSCRIBE's does.
        subscription = sub;
        if (activate() && (side.accepted() || offered))
        {
            if (!offered)
            {
                replies.subscribeOk(trackAlias, largest, properties);
            }
            for (final FillStream f : fills)
            {
                f.start(track, largest, forward, ObjectFilter.of(fillDefaults.terms(filterTerms)));
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
            side.declined();
            super.refused(code, reason);
        }
        else if (leave() && side.done())
        {
            replies.publishDone(PublishDoneStatus.INTERNAL_ERROR, 0, reason);
        }
    }

    /** The engine ended the subscription (the writer's last call): PUBLISH_DONE. */
    @Override
    public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        leave();
        if (side.done())
        {
            replies.publishDone(status, streamCount + fillStreams(), reason);
        }
    }

    /**
     * Draft 20: the Range Filters a REQUEST_UPDATE changes (draft-21 §3.3.2), applied by the {@link #update} that
     * follows. Returns why the subscription's filters after it are INVALID_FILTER (beyond MAX_FILTER_RANGES, or the
     * update's own problem), or null.
     */
    @Override
    public String stageUpdate(final long updateRequestId, final RangeFilterUpdate filters, final Fill fill)
    {
        final String filterProblem = filters == null ? null : stageFilters(filters);
        if (filterProblem != null || fill == null)
        {
            return filterProblem;
        }
        final String fillProblem = stageFill(updateRequestId, fill);
        return fillProblem == null ? null : "the fill's " + fillProblem;
    }

    @Override
    public void deliveryTimeouts(final long objectMillis, final long subgroupMillis)
    {
        if (objectMillis >= 0)
        {
            objectDeliveryTimeout(objectMillis);
        }
        if (subgroupMillis >= 0)
        {
            subgroupDeliveryTimeout(subgroupMillis);
        }
    }

    public String stageFilters(final RangeFilterUpdate change)
    {
        final List<ObjectFilter.Term> next = change.applyTo(filterTerms);
        final String problem = change.problemWith(next);
        stagedTerms = problem == null ? next : null;
        return problem;
    }

    /**
     * A REQUEST_UPDATE refused ({@code code}): REQUEST_ERROR, and the subscription ends with PUBLISH_DONE UPDATE_FAILED
     * (draft-21 §9.5.1: "the publisher MUST also terminate the subscription"), its open streams reset.
     */
    @Override
    public void updateFailed(final RequestErrorCode code, final String reason)
    {
        replies.updateRefused(code, reason);
        if (state() == ResponderSide.State.ENDED)
        {
            return;
        }
        super.cancel();
        writer.cancelAll();
        cancelFills(moq.relay.fanout.StreamResetCode.CANCELLED.code());
        replies.publishDone(PublishDoneStatus.UPDATE_FAILED, writer.streamCount() + fillStreams(), reason);
    }

    /**
     * Draft 20: the fill a REQUEST_UPDATE asks for (its FILL_PARAMETERS, draft-21 §9.5.1), opened under the update's
     * {@code requestId} by the {@link #update} that follows, once the engine took it, if the Forward State is then 1
     * (§3.4.1). Returns why its Range Filters (the subscription's after the update, those inside FILL_PARAMETERS
     * replacing theirs) are INVALID_FILTER, or null.
     */
    public String stageFill(final long requestId, final Fill requested)
    {
        final RangeFilterUpdate filters = requested.filters();
        final String problem = filters == null ? null :
            filters.problemWith(filters.applyTo(stagedTerms != null ? stagedTerms : filterTerms));
        stagedFill = problem == null ? requested : null;
        stagedFillRequestId = requestId;
        return problem;
    }

    @Override
    public boolean update(final boolean forward, final int subscriberPriority)
    {
        final List<ObjectFilter.Term> staged = stagedTerms;
        stagedTerms = null;
        if (staged != null)
        {
            filterTerms = staged;
        }
        this.forward = forward;
        this.subscriberPriority = subscriberPriority;
        final Fill fill = stagedFill == null ? null : stagedFill.over(fillDefaults, subscriberPriority);
        final long fillRequestId = stagedFillRequestId;
        stagedFill = null;
        final RequestCallback answer = new RequestCallback()
        {
            @Override
            public void ok()
            {
                session.onLoop(() ->
                {
                    if (fill == null)
                    {
                        replies.updated();
                        return;
                    }
                    final Location largest = subscription == null ? null : subscription.largest();
                    replies.updated(largest);
                    startFill(fillRequestId, fill, forward, largest);
                });
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> replies.updateRefused(code, reason));
            }
        };
        if (staged != null)
        {
            session.engine().updateSubscription(requestId, forward, subscriberPriority, ObjectFilter.of(staged),
                answer);
        }
        else
        {
            session.engine().updateSubscription(requestId, forward, subscriberPriority, answer);
        }
        return true;
    }

    /** The grant expired: PUBLISH_DONE UNAUTHORIZED, its data streams reset with the draft's expiry code. */
    @Override
    protected void grantExpired()
    {
        super.cancel();
        writer.cancelAll(AuthFailure.expiredStreamResetCode(session.draft()));
        cancelFills(AuthFailure.expiredStreamResetCode(session.draft()));
        if (side.done())
        {
            replies.publishDone(PublishDoneStatus.UNAUTHORIZED, writer.streamCount() + fillStreams(),
                "authorization expired");
        }
    }

    /**
     * The subscriber ended the subscription. After PUBLISH_DONE it is no cancel: data streams still delivering the
     * last objects are left to finish ({@link PublisherSide#cancelled}). An offer never accepted holds nothing.
     */
    @Override
    public void cancel()
    {
        final boolean subscribed = side.state() != PublisherSide.State.OFFERED;
        if (side.cancelled() && subscribed)
        {
            super.cancel();
            writer.cancelAll();
            cancelFills(moq.relay.fanout.StreamResetCode.CANCELLED.code());
        }
    }

    /**
     * The SUBSCRIBE asked for a fill (draft 20's FILL_PARAMETERS, draft-21 §3.4): its fill fetch stream is opened
     * after SUBSCRIBE_OK. Called before {@link #start}.
     */
    public void fill(final Fill requested)
    {
        if (requested != null)
        {
            fillDefaults = requested;
            if (requested.requested())
            {
                fills.add(new FillStream(session, requestId, requested));
            }
        }
    }

    /**
     * A REQUEST_UPDATE's fill (§3.4: its FETCH_HEADER carries the update's Request ID), ending at {@code largest}, the
     * Largest Object its REQUEST_OK carried, where the subscription's delivery stands; none while the subscription
     * does not forward or has ended.
     */
    private void startFill(final long fillRequestId, final Fill fill, final boolean forward, final Location largest)
    {
        if (state() != ResponderSide.State.ACTIVE || subscription == null || !forward)
        {
            return;
        }
        // Ended fills leave the list (a peer may ask for many), counted on for PUBLISH_DONE's Stream Count.
        fills.removeIf(f ->
        {
            if (f.isDone())
            {
                endedFillStreams += f.streamCount();
                return true;
            }
            return false;
        });
        final FillStream stream = new FillStream(session, fillRequestId, fill);
        fills.add(stream);
        stream.start(track, largest, true, ObjectFilter.of(fill.terms(filterTerms)));
    }

    private void cancelFills(final long code)
    {
        for (final FillStream f : fills)
        {
            f.cancel(code);
        }
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

    /** The subscriber's SUBGROUP_DELIVERY_TIMEOUT in milliseconds, as {@link #objectDeliveryTimeout} has it. */
    public void subgroupDeliveryTimeout(final long millis)
    {
        writer.subgroupDeliveryTimeout(millis);
    }

    /** The fill stream counts among the subscription's data streams in PUBLISH_DONE (draft-21 §9.9). */
    private int fillStreams()
    {
        int n = endedFillStreams;
        for (final FillStream f : fills)
        {
            n += f.streamCount();
        }
        return n;
    }
}
