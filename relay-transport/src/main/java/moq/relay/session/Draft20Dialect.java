package moq.relay.session;

import java.util.List;
import java.util.OptionalInt;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.fanout.ObjectFilter;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.RangeFilterUpdate;
import moq.relay.session.request.SessionAuth;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.param.Properties;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.FetchOk;
import moq.relay.wire.d20.Goaway;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.ParameterContext;
import moq.relay.wire.d20.PublishDoneCode;
import moq.relay.wire.d20.PublishStateNotify;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.SetupOption;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.ParameterBlock;
import moq.relay.wire.param.ParameterType;
import moq.relay.wire.param.SetupOptions;

/**
 * Draft 20 ({@code moqt-20}) as a {@link RequestStreamDialect}: {@code moq.relay.wire.d20}'s records on draft 18's
 * shape. What it reads differently from draft 18: the Location Filter (SUBSCRIBE's start and end, FETCH's range),
 * Range Filters (up to the MAX_FILTER_RANGES it announces: a SUBSCRIBE's, a SUBSCRIBE_TRACKS' and a REQUEST_UPDATE's
 * become the engine's {@link ObjectFilter}, and so do a FETCH's and a fill's; beyond it INVALID_FILTER), several
 * subscriptions of one track per session, PUBLISH's own Forward state (PUBLISH_OK carries only EXPIRES), GOAWAY without a request id and on request streams, PUBLISH_STATE_NOTIFY, FETCH_OK's
 * inclusive End Location, and the error and PUBLISH_DONE codes draft 20 removed.
 */
final class Draft20Dialect extends AbstractRequestStreamDialect
{
    /** With the default MAX_FILTER_RANGES ({@code moq.relay.session.max.filter.ranges}). */
    static final Draft20Dialect INSTANCE = new Draft20Dialect(RelayConfiguration.SESSION_MAX_FILTER_RANGES_DEFAULT);

    /** FETCH without an end: up to the Largest Object (the engine clamps an end beyond it). */
    private static final Location TO_LARGEST = new Location(Long.MAX_VALUE, 0);

    /** The MAX_FILTER_RANGES the relay announces and holds each subscription's Range Filters to; 0: none allowed. */
    private final long maxFilterRanges;

    private Draft20Dialect(final long maxFilterRanges)
    {
        super(Draft.DRAFT_20, Draft20ControlCodec.INSTANCE, Draft20ControlCodec.RECORDS, PeerQuirks::draft20);
        this.maxFilterRanges = maxFilterRanges;
    }

    /** The dialect of a relay whose sessions announce {@code maxFilterRanges} (stateless otherwise). */
    static Draft20Dialect withMaxFilterRanges(final long maxFilterRanges)
    {
        return maxFilterRanges == INSTANCE.maxFilterRanges ? INSTANCE : new Draft20Dialect(maxFilterRanges);
    }

    /** MAX_FILTER_RANGES (§9.1.6), when the relay takes Range Filters at all. */
    @Override
    List<KeyValuePair> ownSetupOptions()
    {
        return maxFilterRanges == 0 ? List.of() :
            List.of(KeyValuePair.ofVarint(SetupOption.MAX_FILTER_RANGES, maxFilterRanges));
    }

    @Override
    long maxRequestUpdates(final SetupOptions setup)
    {
        final long max = setup.varintOption(SetupOption.MAX_REQUEST_UPDATES);
        return max == 0 ? Long.MAX_VALUE : max;
    }

    @Override
    public ControlMessage goaway(final String newSessionUri, final long smallestUnused)
    {
        return new Goaway(Bytes.utf8(newSessionUri), 0); // §9.4: no Request ID since draft 19
    }

    @Override
    RequestMessage subscribe(final Messages.Subscribe subscribe, final PeerQuirks quirks)
    {
        final Subscribe s = (Subscribe)subscribe;
        final RequestMessage refused = invalidFilter(RequestKind.SUBSCRIBE, s.requestId(), s.parameters());
        if (refused != null)
        {
            return refused;
        }
        final List<ObjectFilter.Term> terms = Draft20RangeFilters.terms(s.parameters());
        // The fill inherits the subscription's Range Filters, those inside FILL_PARAMETERS replacing theirs (§3.4);
        // its Ranges too are "for a given subscription or fetch" within MAX_FILTER_RANGES (§3.3.2).
        final RangeFilterUpdate fillFilters = s.fill().map(p -> Draft20RangeFilters.update(p, maxFilterRanges))
            .orElse(null);
        final String fillProblem = fillFilters == null ? null : fillFilters.problemWith(fillFilters.applyTo(terms));
        if (fillProblem != null)
        {
            return new RequestMessage.Refused(s.requestId(), RequestKind.SUBSCRIBE, RequestErrorCode.INVALID_FILTER,
                "the fill's " + fillProblem);
        }
        final LocationFilter f = s.filter();
        final SubscriptionFilter filter;
        switch (f.kind())
        {
            case NONE:
                filter = SubscriptionFilter.NONE;
                break;
            case NEXT_OBJECT:
                filter = SubscriptionFilter.largestObject(); // draft 18's Largest Object: the next object on
                break;
            case RELATIVE_START_GROUP:
                if (f.startGroup() > 1)
                {
                    return new RequestMessage.Refused(s.requestId(), RequestKind.SUBSCRIBE,
                        RequestErrorCode.NOT_SUPPORTED,
                        "a relative start more than one group back is not supported");
                }
                filter = f.startGroup() == 0 ? SubscriptionFilter.nextGroupStart() :
                    SubscriptionFilter.largestGroupStart();
                break;
            default:
                if (f.hasEndObject())
                {
                    return new RequestMessage.Refused(s.requestId(), RequestKind.SUBSCRIBE,
                        RequestErrorCode.NOT_SUPPORTED,
                        "a Location Filter ending at an object is not supported");
                }
                final Location start = new Location(f.startGroup(), f.startObject());
                filter = f.hasEnd() ? SubscriptionFilter.absoluteRange(start, f.endGroup()) :
                    SubscriptionFilter.absoluteStart(start);
        }
        final RequestMessage.Subscribe sub = subscribeWith(s, filter, quirks, Draft20Fill.of(s, fillFilters))
            .withObjectDeliveryTimeout(s.objectDeliveryTimeoutMillis())
            .withSubgroupDeliveryTimeout(s.subgroupDeliveryTimeoutMillis());
        return terms.isEmpty() ? sub : sub.withObjectFilter(ObjectFilter.of(terms));
    }

    /** §3.1: "An endpoint MAY have multiple concurrent subscriptions to the same Track". */
    @Override
    public boolean severalSubscriptionsPerTrack()
    {
        return true;
    }

    /**
     * §9.20.19: FORWARD may appear in a "REQUEST_UPDATE (for a subscription or a SUBSCRIBE_TRACKS request)", so may the
     * AUTHORIZATION TOKEN (§9.20.3) and TRACK_PROPERTY_FILTER (§3.3.2: "MAY appear multiple times in a
     * SUBSCRIBE_TRACKS message or REQUEST_UPDATE for it"; present, it replaces the filter entirely, a zero-length one
     * removes it; beyond MAX_FILTER_RANGES or repeated: INVALID_FILTER); anything else is PROTOCOL_VIOLATION
     * (§9.20.1). TRACK_NAMESPACE_PREFIX (§9.20.21) is allowed but not applied by the relay: NOT_SUPPORTED.
     */
    @Override
    public RequestMessage.TracksUpdate subscribeTracksUpdate(final ControlMessage m) throws WireException
    {
        final moq.relay.wire.d20.RequestUpdate u = (moq.relay.wire.d20.RequestUpdate)m;
        u.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIBE_TRACKS);
        final MessageParameters p = (MessageParameters)u.parameters();
        boolean filtered = false;
        for (final Parameter e : p.entries())
        {
            if (e.type() == ParameterType.TRACK_NAMESPACE_PREFIX)
            {
                return RequestMessage.TracksUpdate.refused(RequestErrorCode.NOT_SUPPORTED,
                    "REQUEST_UPDATE of a SUBSCRIBE_TRACKS' TRACK_NAMESPACE_PREFIX is not supported");
            }
            filtered |= e.type() == ParameterType.TRACK_PROPERTY_FILTER;
        }
        if (!filtered)
        {
            return new RequestMessage.TracksUpdate(p.forward().orElse(null), false, null, null, null);
        }
        final String problem = p.rangeFilterProblem(maxFilterRanges);
        if (problem != null)
        {
            return RequestMessage.TracksUpdate.refused(RequestErrorCode.INVALID_FILTER, problem);
        }
        return new RequestMessage.TracksUpdate(p.forward().orElse(null), true,
            TrackPropertyFilter.of(Draft20RangeFilters.trackTerms(p)), null, null);
    }

    /** §9.20.5: OBJECT_DELIVERY_TIMEOUT in REQUEST_UPDATE of a subscription; absent leaves it unchanged (-1). */
    @Override
    public long objectDeliveryTimeoutUpdate(final ControlMessage m)
    {
        return m instanceof Messages.RequestUpdate u ? u.parameters().objectDeliveryTimeout().orElse(-1) : -1;
    }

    /** §9.20.4: SUBGROUP_DELIVERY_TIMEOUT in REQUEST_UPDATE of a subscription; absent leaves it unchanged (-1). */
    @Override
    public long subgroupDeliveryTimeoutUpdate(final ControlMessage m)
    {
        return m instanceof Messages.RequestUpdate u ? u.parameters().subgroupDeliveryTimeout().orElse(-1) : -1;
    }

    @Override
    boolean publishForward(final Messages.Publish p)
    {
        return p.forward();
    }

    /** SUBSCRIBE_TRACKS: Range Filters beyond MAX_FILTER_RANGES (or invalid) are INVALID_FILTER. */
    @Override
    RequestMessage refusal(final RequestKind kind, final long requestId, final ParameterBlock parameters)
    {
        return invalidFilter(kind, requestId, parameters);
    }

    /**
     * SUBSCRIBE_TRACKS (§9.18.1): "Any Parameter that can be specified on a Subscription ... is valid in
     * SUBSCRIBE_TRACKS", used "as the initial Subscription parameters when a PUBLISH is sent as a result": read once
     * as a SUBSCRIBE of the prefix carrying them would be, so each offered track's subscription gets what that
     * SUBSCRIBE would (Forward, subscriber priority, group order, Location and Range Filters, fill, delivery timeouts)
     * and what the relay would refuse in it (a Location Filter it does not serve: NOT_SUPPORTED) refuses the
     * SUBSCRIBE_TRACKS. Each PUBLISH restates the ones PUBLISH may carry, as sent ("explicitly communicated in
     * PUBLISH"), never the AUTHORIZATION TOKEN (§9.20.3). TRACK_PROPERTY_FILTER chooses the tracks offered (§3.3.2);
     * INCLUDE_PROPERTIES whether their PUBLISH carries Track Properties (§9.20.22).
     */
    @Override
    RequestMessage subscribeTracks(final Messages.SubscribeTracks t, final PeerQuirks quirks)
    {
        final MessageParameters p = (MessageParameters)t.parameters();
        final List<Parameter> subscription = new java.util.ArrayList<>();
        final List<Parameter> restated = new java.util.ArrayList<>();
        for (final Parameter e : p.entries())
        {
            if (e.type() == ParameterType.AUTHORIZATION_TOKEN)
            {
                continue;
            }
            if (ParameterContext.SUBSCRIBE.allows(e.type()))
            {
                subscription.add(e);
            }
            if (ParameterContext.PUBLISH.allows(e.type()))
            {
                restated.add(e);
            }
        }
        final RequestMessage read = subscribe(new Subscribe(t.requestId(), t.prefix(), Bytes.EMPTY,
            new MessageParameters(subscription)), quirks);
        if (read instanceof RequestMessage.Refused refused)
        {
            return new RequestMessage.Refused(t.requestId(), RequestKind.SUBSCRIBE_TRACKS, refused.code(),
                refused.reason());
        }
        return new RequestMessage.SubscribeTracks(t.requestId(), t.prefix(), tokens(t),
            (RequestMessage.Subscribe)read,
            TrackPropertyFilter.of(Draft20RangeFilters.trackTerms(p)), p.includeProperties().orElse(true),
            List.copyOf(restated));
    }

    /** INVALID_FILTER for Range Filters beyond MAX_FILTER_RANGES, repeated or malformed (§3.3.2, §9.1.6), or null. */
    private RequestMessage invalidFilter(final RequestKind kind, final long requestId,
        final ParameterBlock parameters)
    {
        final String problem = ((MessageParameters)parameters).rangeFilterProblem(maxFilterRanges);
        return problem == null ? null : new RequestMessage.Refused(requestId, kind, RequestErrorCode.INVALID_FILTER, problem);
    }

    /**
     * §9.5: an absent parameter leaves the value unchanged; so does an absent Range Filter type (§3.3.2).
     * FILL_PARAMETERS asks for a fill of the subscription (§9.5.1), which is not kept as its state (§9.20.16).
     */
    @Override
    RequestMessage.Update update(final Messages.RequestUpdate u)
    {
        final OptionalInt priority = u.parameters().subscriberPriority();
        final MessageParameters p = (MessageParameters)u.parameters();
        return new RequestMessage.Update(p.forward().orElse(null),
            priority.isPresent() ? Integer.valueOf(priority.getAsInt()) : null, tokens(u),
            Draft20RangeFilters.update(p, maxFilterRanges), u.requestId(),
            p.fillParameters().map(f -> Draft20Fill.ofUpdate(f, maxFilterRanges)).orElse(null));
    }

    @Override
    RequestMessage readOwn(final ControlMessage m) throws WireException
    {
        if (m instanceof FetchOk ok)
        {
            // Draft 20's End Location is inclusive; the engine's is the FETCH encoding (object 2^64-1 + 1 = 0: the
            // whole group).
            return new RequestMessage.FetchOk(ok.endOfTrack(), new Location(ok.endLocation().group(),
                ok.endLocation().object() + 1), ok.trackProperties().pairs());
        }
        if (m instanceof Fetch f)
        {
            final RequestMessage invalid = invalidFilter(RequestKind.FETCH, f.requestId(), f.parameters());
            return invalid != null ? invalid : fetch(f);
        }
        if (m instanceof Goaway g)
        {
            g.validateReceivedByServer();
            return new RequestMessage.Goaway();
        }
        if (m instanceof PublishStateNotify)
        {
            return new RequestMessage.StateNotify();
        }
        return null;
    }

    /** FETCH's range is its LOCATION_FILTER (§9.16): absent, the whole track up to the Largest Object. */
    private static RequestMessage fetch(final Fetch f)
    {
        final LocationFilter range = f.range();
        final FullTrackName track = new FullTrackName(f.namespace(), f.trackName());
        final Location start;
        final Location end;
        switch (range.kind())
        {
            case NONE:
                start = Location.ZERO;
                end = TO_LARGEST;
                break;
            case ABSOLUTE:
                start = new Location(range.startGroup(), range.startObject());
                // The engine's end is FETCH's old encoding: the last object plus one, object 0 the whole end group.
                end = !range.hasEnd() ? TO_LARGEST : range.hasEndObject() ?
                    new Location(range.endGroup(), range.endObject() + 1) : new Location(range.endGroup(), 0);
                break;
            default:
                return new RequestMessage.Refused(f.requestId(), RequestKind.FETCH,
                    RequestErrorCode.NOT_SUPPORTED,
                    "a FETCH range relative to the Largest Object is not supported");
        }
        // Range Filters apply to the objects the fetch stream carries (§3.3.2), after the cache or the publisher.
        final FetchRequest request = FetchRequest.standalone(track, start, end)
            .withObjectFilter(ObjectFilter.of(Draft20RangeFilters.terms(f.parameters())));
        return new RequestMessage.Fetch(f.requestId(), request, groupOrder(f.groupOrder()),
            SessionAuth.draft18(f.authorizationTokens()));
    }

    private static GroupOrder groupOrder(final moq.relay.wire.param.GroupOrder order)
    {
        return order == moq.relay.wire.param.GroupOrder.DESCENDING ? GroupOrder.DESCENDING : GroupOrder.ASCENDING;
    }

    @Override
    public SubscribeOptions publishOk(final RequestMessage.Ok answer) throws WireException
    {
        ((RequestOk)answer.message()).validateAs(ParameterContext.PUBLISH_OK);
        // PUBLISH_OK carries only EXPIRES: the subscription is what the relay's PUBLISH stated (everything,
        // forwarded), changed later by the peer's REQUEST_UPDATE.
        return new SubscribeOptions(SubscriptionFilter.NONE, true, Subscribe.DEFAULT_SUBSCRIBER_PRIORITY,
            GroupOrder.PUBLISHER, true, 0);
    }

    @Override
    public ControlMessage publishAccepted(final boolean forward)
    {
        return RequestOk.EMPTY;
    }

    @Override
    public boolean forwardInPublishOk()
    {
        return false;
    }

    @Override
    public boolean unexpectedUpdateIsViolation()
    {
        return true;
    }

    @Override
    Parameter nextObjectFilter()
    {
        return new moq.relay.wire.d20.Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT);
    }

    /** Draft 20 removed DUPLICATE_SUBSCRIPTION and INVALID_JOINING_REQUEST_ID; the engine's are sent as the nearest. */
    @Override
    long wireCode(final RequestErrorCode code)
    {
        return code == RequestErrorCode.DUPLICATE_SUBSCRIPTION ? RequestErrorCode.NOT_SUPPORTED.code() :
            code == RequestErrorCode.INVALID_JOINING_REQUEST_ID ? RequestErrorCode.INVALID_RANGE.code() : code.code();
    }

    /** Draft 20 removed SUBSCRIPTION_ENDED: a subscription whose range is over ends as its track did. */
    @Override
    long wireCode(final PublishDoneStatus status)
    {
        return status == PublishDoneStatus.SUBSCRIPTION_ENDED ? PublishDoneCode.TRACK_ENDED : status.code();
    }

    /**
     * FETCH_OK's End Location is inclusive in draft 20; the engine's is the last object plus one, object 0 meaning the
     * whole end group, which is sent as that group's object 2^64-1 (every object of it).
     */
    @Override
    public ControlMessage fetchOk(final boolean endOfTrack, final Location end, final List<KeyValuePair> properties)
    {
        final Location inclusive = new Location(end.group(), end.object() - 1);
        return new FetchOk(endOfTrack, inclusive, Properties.of(properties));
    }

    /** @moq/net's LARGEST_OBJECT and INCLUDE_PROPERTIES are read with their length prefix (PeerQuirks). */
    @Override
    public ControlCodec codec(final PeerQuirks quirks)
    {
        return quirks.draft20Codec();
    }

    /** Draft 20 (§9.16): the range as a Location Filter with an inclusive end. */
    @Override
    public ControlMessage fetch(final long requestId, final moq.relay.engine.UpstreamFetch fetch)
    {
        final Location start = fetch.start();
        final Location end = fetch.end();
        final long delta = end.group() - start.group();
        final moq.relay.wire.d20.LocationFilter range = end.object() == 0 ?
            moq.relay.wire.d20.LocationFilter.absoluteRange(start, delta) :
            moq.relay.wire.d20.LocationFilter.absoluteRange(start, delta, end.object() - 1);
        return new moq.relay.wire.d20.Fetch(requestId, fetch.track().namespace(), fetch.track().name(),
            moq.relay.wire.d20.MessageParameters.of(
                new moq.relay.wire.d20.Parameter.SubscriberPriority(fetch.subscriberPriority()),
                new moq.relay.wire.d20.Parameter.LocationFilterParameter(range)));
    }
}
