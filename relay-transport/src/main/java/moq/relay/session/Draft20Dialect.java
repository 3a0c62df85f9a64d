package moq.relay.session;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.SessionAuth;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Properties;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.FetchOk;
import moq.relay.wire.d20.Goaway;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Namespace;
import moq.relay.wire.d20.NamespaceDone;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.ParameterContext;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.PublishDone;
import moq.relay.wire.d20.PublishDoneCode;
import moq.relay.wire.d20.PublishNamespace;
import moq.relay.wire.d20.PublishStateNotify;
import moq.relay.wire.d20.RequestError;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Setup;
import moq.relay.wire.d20.SetupOption;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeNamespace;
import moq.relay.wire.d20.SubscribeOk;
import moq.relay.wire.d20.SubscribeTracks;
import moq.relay.wire.d20.TrackStatus;

/**
 * Draft 20 ({@code moqt-20}) as a {@link RequestStreamDialect}: {@code moq.relay.wire.d20}'s records on draft 18's
 * shape. What it reads differently from draft 18: the Location Filter (SUBSCRIBE's start and end, FETCH's range),
 * Range Filters (the relay announces no MAX_FILTER_RANGES, so any is INVALID_FILTER), PUBLISH's own Forward state
 * (PUBLISH_OK carries only EXPIRES), GOAWAY without a request id and on request streams, PUBLISH_STATE_NOTIFY, FETCH_OK's
 * inclusive End Location, and the error and PUBLISH_DONE codes draft 20 removed.
 */
final class Draft20Dialect implements RequestStreamDialect
{
    static final Draft20Dialect INSTANCE = new Draft20Dialect();

    /** Range Filters the relay evaluates: none yet (MAX_FILTER_RANGES not sent, so the peer's limit is 0). */
    private static final long MAX_FILTER_RANGES = 0;
    /** FETCH without an end: up to the Largest Object (the engine clamps an end beyond it). */
    private static final Location TO_LARGEST = new Location(Long.MAX_VALUE, 0);

    private Draft20Dialect()
    {
    }

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_20;
    }

    @Override
    public PeerQuirks quirks(final Optional<Bytes> implementation)
    {
        return PeerQuirks.draft20(implementation);
    }

    @Override
    public ControlCodec codec()
    {
        return Draft20ControlCodec.INSTANCE;
    }

    /** @moq/net's LARGEST_OBJECT and INCLUDE_PROPERTIES are read with their length prefix (PeerQuirks). */
    @Override
    public ControlCodec codec(final PeerQuirks quirks)
    {
        return quirks.draft20Codec();
    }

    @Override
    public ControlMessage setup(final String implementation, final long authTokenCacheBytes)
    {
        return Setup.of(KeyValuePair.ofVarint(SetupOption.MAX_AUTH_TOKEN_CACHE_SIZE, authTokenCacheBytes),
            KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(implementation)));
    }

    @Override
    public PeerSetup acceptSetup(final ControlMessage m) throws WireException
    {
        if (!(m instanceof Setup setup))
        {
            throw WireException.protocolViolation("the control stream must start with SETUP");
        }
        setup.validateReceivedByServer();
        final long max = setup.maxRequestUpdates();
        return new PeerSetup(setup.path(), setup.authority(), setup.implementation(), max == 0 ? Long.MAX_VALUE : max,
            SessionAuth.draft18(setup.authorizationTokens()));
    }

    @Override
    public boolean isGoaway(final ControlMessage m) throws WireException
    {
        if (m instanceof Goaway g)
        {
            g.validateReceivedByServer();
            return true;
        }
        return false;
    }

    @Override
    public ControlMessage goaway(final String newSessionUri, final long smallestUnused)
    {
        return new Goaway(Bytes.utf8(newSessionUri), 0); // §9.4: no Request ID since draft 19
    }

    @Override
    public RequestMessage read(final ControlMessage m, final PeerQuirks quirks) throws WireException
    {
        if (m instanceof FetchOk ok)
        {
            // Draft 20's End Location is inclusive; the engine's is the FETCH encoding (object 2^64-1 + 1 = 0: the
            // whole group).
            return new RequestMessage.FetchOk(ok.endOfTrack(), new Location(ok.endLocation().group(),
                ok.endLocation().object() + 1), ok.trackProperties().pairs());
        }
        if (m instanceof Subscribe s)
        {
            return subscribe(s, quirks);
        }
        if (m instanceof PublishNamespace p)
        {
            return new RequestMessage.PublishNamespace(p.requestId(), p.namespace(), SessionAuth.draft18(p.parameters().authorizationTokens()));
        }
        if (m instanceof Publish p)
        {
            return new RequestMessage.Publish(p.requestId(), new FullTrackName(p.namespace(), p.trackName()),
                p.trackAlias(), p.trackProperties().pairs(), p.largestObject().orElse(null), p.forward(),
                SessionAuth.draft18(p.parameters().authorizationTokens()));
        }
        if (m instanceof TrackStatus t)
        {
            return new RequestMessage.TrackStatus(t.requestId(), new FullTrackName(t.namespace(), t.trackName()),
                SessionAuth.draft18(t.parameters().authorizationTokens()));
        }
        if (m instanceof SubscribeNamespace n)
        {
            return new RequestMessage.SubscribeNamespace(n.requestId(), n.prefix(), SessionAuth.draft18(n.parameters().authorizationTokens()));
        }
        if (m instanceof Fetch f)
        {
            return fetch(f);
        }
        if (m instanceof SubscribeTracks t)
        {
            final String problem = t.parameters().rangeFilterProblem(MAX_FILTER_RANGES);
            return problem != null ? new RequestMessage.Refused(t.requestId(), RequestErrorCode.INVALID_FILTER,
                problem) : new RequestMessage.SubscribeTracks(t.requestId(), t.prefix(), SessionAuth.draft18(t.parameters().authorizationTokens()));
        }
        if (m instanceof RequestUpdate u)
        {
            // §9.5: an absent parameter leaves the value unchanged.
            final OptionalInt priority = u.parameters().subscriberPriority();
            return new RequestMessage.Update(u.parameters().forward().orElse(null),
                priority.isPresent() ? Integer.valueOf(priority.getAsInt()) : null, SessionAuth.draft18(u.parameters().authorizationTokens()));
        }
        if (m instanceof PublishDone d)
        {
            return new RequestMessage.Done(d.streamCount(), Codes.publishDone(d.statusCode()), d.reason().toString());
        }
        if (m instanceof SubscribeOk ok)
        {
            return new RequestMessage.SubscribeOk(ok.trackAlias(), ok.largestObject().orElse(null),
                ok.trackProperties().pairs());
        }
        if (m instanceof RequestOk)
        {
            return new RequestMessage.Ok(m);
        }
        if (m instanceof RequestError e)
        {
            return new RequestMessage.Error(Codes.requestError(e.errorCode()), e.reason().toString());
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

    private static RequestMessage subscribe(final Subscribe s, final PeerQuirks quirks)
    {
        final String problem = s.parameters().rangeFilterProblem(MAX_FILTER_RANGES);
        if (problem != null)
        {
            return new RequestMessage.Refused(s.requestId(), RequestErrorCode.INVALID_FILTER, problem);
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
                    return new RequestMessage.Refused(s.requestId(), RequestErrorCode.NOT_SUPPORTED,
                        "a relative start more than one group back is not supported");
                }
                filter = f.startGroup() == 0 ? SubscriptionFilter.nextGroupStart() :
                    SubscriptionFilter.largestGroupStart();
                break;
            default:
                if (f.hasEndObject())
                {
                    return new RequestMessage.Refused(s.requestId(), RequestErrorCode.NOT_SUPPORTED,
                        "a Location Filter ending at an object is not supported");
                }
                final Location start = new Location(f.startGroup(), f.startObject());
                filter = f.hasEnd() ? SubscriptionFilter.absoluteRange(start, f.endGroup()) :
                    SubscriptionFilter.absoluteStart(start);
        }
        return new RequestMessage.Subscribe(s.requestId(), new FullTrackName(s.namespace(), s.trackName()),
            new SubscribeOptions(quirks.subscriptionFilter(filter), s.forward(), s.subscriberPriority(),
                Codes.groupOrder(s.groupOrder().orElse(null)), true, s.rendezvousTimeoutMillis()), SessionAuth.draft18(s.parameters().authorizationTokens()),
            Draft20Fill.of(s));
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
                return new RequestMessage.Refused(f.requestId(), RequestErrorCode.NOT_SUPPORTED,
                    "a FETCH range relative to the Largest Object is not supported");
        }
        final FetchRequest request = FetchRequest.standalone(track, start, end);
        return new RequestMessage.Fetch(f.requestId(), request, groupOrder(f.groupOrder()),
            SessionAuth.draft18(f.authorizationTokens()));
    }

    private static GroupOrder groupOrder(final moq.relay.wire.d18.GroupOrder order)
    {
        return order == moq.relay.wire.d18.GroupOrder.DESCENDING ? GroupOrder.DESCENDING : GroupOrder.ASCENDING;
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
    public ControlMessage subscribe(final long requestId, final FullTrackName track, final boolean forward)
    {
        return new Subscribe(requestId, track.namespace(), track.name(), MessageParameters.of(
            new Parameter.Forward(forward), new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT)));
    }

    @Override
    public ControlMessage publish(final long requestId, final FullTrackName track, final long trackAlias,
        final Location largest, final List<KeyValuePair> properties, final PeerQuirks quirks)
    {
        return new Publish(requestId, track.namespace(), track.name(), trackAlias, quirks.largestObject20(largest),
            Properties.of(properties));
    }

    @Override
    public ControlMessage forwardUpdate(final long requestId, final boolean forward)
    {
        return new RequestUpdate(requestId, MessageParameters.of(new Parameter.Forward(forward)));
    }

    @Override
    public ControlMessage subscribeOk(final long trackAlias, final Location largest,
        final List<KeyValuePair> properties, final PeerQuirks quirks)
    {
        return new SubscribeOk(trackAlias, quirks.largestObject20(largest), Properties.of(properties));
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

    @Override
    public ControlMessage trackStatusOk(final Location largest, final List<KeyValuePair> properties,
        final PeerQuirks quirks)
    {
        return new RequestOk(quirks.largestObject20(largest), Properties.of(properties));
    }

    @Override
    public ControlMessage ok()
    {
        return RequestOk.EMPTY;
    }

    @Override
    public ControlMessage namespace(final TrackNamespace suffix)
    {
        return new Namespace(suffix);
    }

    @Override
    public ControlMessage namespaceDone(final TrackNamespace suffix)
    {
        return new NamespaceDone(suffix);
    }

    /** Draft 20 removed DUPLICATE_SUBSCRIPTION and INVALID_JOINING_REQUEST_ID; the engine's are sent as the nearest. */
    @Override
    public ControlMessage requestError(final RequestErrorCode code, final String reason)
    {
        final long wire = code == RequestErrorCode.DUPLICATE_SUBSCRIPTION ? RequestErrorCode.NOT_SUPPORTED.code() :
            code == RequestErrorCode.INVALID_JOINING_REQUEST_ID ? RequestErrorCode.INVALID_RANGE.code() : code.code();
        return RequestError.of(wire, 0, Bytes.utf8(MoqtSession.truncate(reason)));
    }

    /** Draft 20 removed SUBSCRIPTION_ENDED: a subscription whose range is over ends as its track did. */
    @Override
    public ControlMessage publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        final long code = status == PublishDoneStatus.SUBSCRIPTION_ENDED ? PublishDoneCode.TRACK_ENDED : status.code();
        return new PublishDone(code, streamCount, Bytes.utf8(MoqtSession.truncate(reason)));
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
