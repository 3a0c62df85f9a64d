package moq.relay.session;

import java.util.List;
import moq.relay.auth.TokenRef;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.SubscribeOptions;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * A message read on a request stream, described without its draft: what a {@link RequestStreamDialect} decodes the
 * draft's records into and the request-stream session and the request machines act on. The first message of a stream
 * the peer opens is an {@link Opening}; the others follow a request (an update, its end) or answer one of the relay's.
 */
sealed interface RequestMessage
{
    /** A message that opens a request stream, with the peer's (even) request id. */
    sealed interface Opening extends RequestMessage
    {
        long requestId();

        /** Its AUTHORIZATION TOKEN parameters, unresolved (the session's token cache resolves them). */
        List<TokenRef> tokens();

        /** The kind of request it opens, as the engine counts requests (those the session refuses itself too). */
        RequestKind kind();
    }

    /** {@code fill}: the fill it asks for (draft 20's FILL_PARAMETERS), null for none (other drafts: never). */
    /**
     * {@code objectDeliveryTimeoutMillis}: the subscriber's OBJECT_DELIVERY_TIMEOUT where the relay applies it (draft
     * 20: 0 when absent), -1 for a draft it does not (14, 18); {@code subgroupDeliveryTimeoutMillis} the same for
     * SUBGROUP_DELIVERY_TIMEOUT.
     */
    record Subscribe(long requestId, FullTrackName track, SubscribeOptions options, List<TokenRef> tokens,
        moq.relay.session.request.Fill fill, long objectDeliveryTimeoutMillis, long subgroupDeliveryTimeoutMillis)
        implements Opening
    {
        Subscribe(final long requestId, final FullTrackName track, final SubscribeOptions options,
            final List<TokenRef> tokens)
        {
            this(requestId, track, options, tokens, null);
        }

        Subscribe(final long requestId, final FullTrackName track, final SubscribeOptions options,
            final List<TokenRef> tokens, final moq.relay.session.request.Fill fill)
        {
            this(requestId, track, options, tokens, fill, -1, -1);
        }

        @Override
        public RequestKind kind()
        {
            return RequestKind.SUBSCRIBE;
        }

        Subscribe withOptions(final SubscribeOptions next)
        {
            return new Subscribe(requestId, track, next, tokens, fill, objectDeliveryTimeoutMillis,
                subgroupDeliveryTimeoutMillis);
        }

        Subscribe withObjectDeliveryTimeout(final long millis)
        {
            return new Subscribe(requestId, track, options, tokens, fill, millis, subgroupDeliveryTimeoutMillis);
        }

        Subscribe withSubgroupDeliveryTimeout(final long millis)
        {
            return new Subscribe(requestId, track, options, tokens, fill, objectDeliveryTimeoutMillis, millis);
        }

        /** This SUBSCRIBE with draft 20's Range Filters applied to its objects. */
        Subscribe withObjectFilter(final moq.relay.fanout.ObjectFilter objectFilter)
        {
            return new Subscribe(requestId, track, options.withObjectFilter(objectFilter), tokens, fill,
                objectDeliveryTimeoutMillis, subgroupDeliveryTimeoutMillis);
        }
    }

    record PublishNamespace(long requestId, TrackNamespace namespace, List<TokenRef> tokens) implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.PUBLISH_NAMESPACE;
        }
    }

    /**
     * The peer PUBLISHes {@code track} under {@code trackAlias}; {@code largest} is null when it has sent nothing.
     * {@code forward}: the Forward state it starts in where the PUBLISH states one (draft 20), else true.
     */
    record Publish(long requestId, FullTrackName track, long trackAlias, List<KeyValuePair> properties,
        Location largest, boolean forward, List<TokenRef> tokens) implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.PUBLISH;
        }
    }

    record TrackStatus(long requestId, FullTrackName track, List<TokenRef> tokens) implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.TRACK_STATUS;
        }
    }

    record SubscribeNamespace(long requestId, TrackNamespace prefix, List<TokenRef> tokens) implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.SUBSCRIBE_NAMESPACE;
        }
    }

    record Fetch(long requestId, FetchRequest fetch, GroupOrder order, List<TokenRef> tokens) implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.FETCH;
        }
    }

    /**
     * {@code subscription}: draft 20's subscription parameters of every track it offers (draft-21 §9.18.1: "used by
     * the publisher as the initial Subscription parameters"), read as a SUBSCRIBE of the prefix carrying them would be
     * (engine options with the Range Filters, fill, delivery timeouts), null where the draft has none (18);
     * {@code trackFilter}: its TRACK_PROPERTY_FILTERs, which tracks are offered at all, null for every track;
     * {@code includeProperties}: INCLUDE_PROPERTIES, whether each PUBLISH carries the Track Properties;
     * {@code restated}: the parameters each PUBLISH restates ("explicitly communicated in PUBLISH").
     */
    record SubscribeTracks(long requestId, TrackNamespace prefix, List<TokenRef> tokens, Subscribe subscription,
        TrackPropertyFilter trackFilter, boolean includeProperties, List<moq.relay.wire.param.Parameter> restated)
        implements Opening
    {
        @Override
        public RequestKind kind()
        {
            return RequestKind.SUBSCRIBE_TRACKS;
        }

        SubscribeTracks(final long requestId, final TrackNamespace prefix, final List<TokenRef> tokens)
        {
            this(requestId, prefix, tokens, null, null, true, List.of());
        }

        /** Draft 20's Range Filters for the objects of every track it offers, null for none. */
        moq.relay.fanout.ObjectFilter objectFilter()
        {
            return subscription == null ? null : subscription.options().objectFilter();
        }

        /**
         * This SUBSCRIBE_TRACKS with Forward {@code forward} for the tracks it offers from now on (draft 20's
         * REQUEST_UPDATE, draft-21 §9.20.19): their subscriptions start with it and their PUBLISH restates it.
         */
        SubscribeTracks withForward(final boolean forward)
        {
            final List<moq.relay.wire.param.Parameter> next = new java.util.ArrayList<>(restated.size() + 1);
            for (final moq.relay.wire.param.Parameter p : restated)
            {
                if (!(p instanceof moq.relay.wire.param.Parameter.Forward))
                {
                    next.add(p);
                }
            }
            next.add(new moq.relay.wire.param.Parameter.Forward(forward)); // the PUBLISH's parameters are sorted
            return new SubscribeTracks(requestId, prefix, tokens, subscription.withOptions(
                subscription.options().withForward(forward)), trackFilter, includeProperties, List.copyOf(next));
        }

        /** This SUBSCRIBE_TRACKS choosing the tracks it offers from now on by {@code filter} (null: every track). */
        SubscribeTracks withTrackFilter(final TrackPropertyFilter filter)
        {
            return new SubscribeTracks(requestId, prefix, tokens, subscription, filter, includeProperties, restated);
        }

        /** Whether a track with {@code properties} is offered. */
        boolean offers(final List<KeyValuePair> properties)
        {
            return trackFilter == null || trackFilter.passes(properties);
        }
    }

    /**
     * A request the dialect refuses from the message alone (a filter the relay does not serve, draft 20's Range
     * Filters beyond MAX_FILTER_RANGES): answered with the error, the session carries on; {@code kind} is the kind
     * of the request refused.
     */
    record Refused(long requestId, RequestKind kind, RequestErrorCode code, String reason) implements Opening
    {
        @Override
        public List<TokenRef> tokens()
        {
            return List.of();
        }
    }

    /**
     * REQUEST_UPDATE of the stream's request: its Forward state and subscriber priority, null for one the update leaves
     * as it was (draft 20: an absent parameter is unchanged; draft 18 reads absent ones as their defaults).
     * {@code filters}: draft 20's Range Filters it changes, null when it carries none. {@code fill}: the fill its
     * FILL_PARAMETERS ask for (draft 20, draft-21 §9.5.1), null for none; {@code requestId}: the update's own Request
     * ID, which that fill's stream carries (§3.4).
     */
    record Update(Boolean forward, Integer subscriberPriority, List<TokenRef> tokens,
        moq.relay.session.request.RangeFilterUpdate filters, long requestId, moq.relay.session.request.Fill fill)
        implements RequestMessage
    {
        Update(final Boolean forward, final Integer subscriberPriority, final List<TokenRef> tokens)
        {
            this(forward, subscriberPriority, tokens, null);
        }

        Update(final Boolean forward, final Integer subscriberPriority, final List<TokenRef> tokens,
            final moq.relay.session.request.RangeFilterUpdate filters)
        {
            this(forward, subscriberPriority, tokens, filters, -1, null);
        }

        /** The Forward state after this update of a request whose Forward state is {@code current}. */
        boolean forward(final boolean current)
        {
            return forward == null ? current : forward;
        }

        /** The subscriber priority after this update of a request whose priority is {@code current}. */
        int subscriberPriority(final int current)
        {
            return subscriberPriority == null ? current : subscriberPriority;
        }
    }

    /**
     * REQUEST_UPDATE of a SUBSCRIBE_TRACKS (draft 20): the Forward state of the tracks offered from now on (null:
     * unchanged), whether it replaces the Track Property Filter and with what (null: none), or why it fails
     * ({@code refusal} non-null, with {@code code}).
     */
    record TracksUpdate(Boolean forward, boolean filterReplaced, TrackPropertyFilter trackFilter,
        moq.relay.engine.RequestErrorCode code, String refusal)
    {
        static TracksUpdate refused(final moq.relay.engine.RequestErrorCode code, final String refusal)
        {
            return new TracksUpdate(null, false, null, code, refusal);
        }
    }

    /** GOAWAY on a request stream (draft 20): the peer migrates this request; once per stream. */
    record Goaway() implements RequestMessage
    {
    }

    /** PUBLISH_STATE_NOTIFY (draft 20): from the publisher of a subscription, on its stream; never answered. */
    record StateNotify() implements RequestMessage
    {
    }

    /** PUBLISH_DONE: the publisher ended the subscription after {@code streamCount} data streams. */
    record Done(long streamCount, PublishDoneStatus status, String reason) implements RequestMessage
    {
    }

    /** SUBSCRIBE_OK of the relay's SUBSCRIBE. */
    record SubscribeOk(long trackAlias, Location largest, List<KeyValuePair> properties) implements RequestMessage
    {
    }

    /**
     * FETCH_OK of the relay's upstream FETCH; {@code end} in the engine's encoding (a FETCH's End Location: object
     * {@code n + 1} ends after object {@code n}, object 0 means the whole group).
     */
    record FetchOk(boolean endOfTrack, Location end, List<KeyValuePair> properties) implements RequestMessage
    {
    }

    /** REQUEST_OK; what it carries depends on the request it answers ({@link RequestStreamDialect#publishOk}). */
    record Ok(ControlMessage message) implements RequestMessage
    {
    }

    /** REQUEST_ERROR. */
    record Error(RequestErrorCode code, String reason) implements RequestMessage
    {
    }
}
