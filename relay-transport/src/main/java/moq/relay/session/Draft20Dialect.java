package moq.relay.session;

import java.util.List;
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
import moq.relay.wire.param.SetupOptions;

/**
 * Draft 20 ({@code moqt-20}) as a {@link RequestStreamDialect}: {@code moq.relay.wire.d20}'s records on draft 18's
 * shape. What it reads differently from draft 18: the Location Filter (SUBSCRIBE's start and end, FETCH's range),
 * Range Filters (the relay announces no MAX_FILTER_RANGES, so any is INVALID_FILTER), PUBLISH's own Forward state
 * (PUBLISH_OK carries only EXPIRES), GOAWAY without a request id and on request streams, PUBLISH_STATE_NOTIFY, FETCH_OK's
 * inclusive End Location, and the error and PUBLISH_DONE codes draft 20 removed.
 */
final class Draft20Dialect extends AbstractRequestStreamDialect
{
    static final Draft20Dialect INSTANCE = new Draft20Dialect();

    /** Range Filters the relay evaluates: none yet (MAX_FILTER_RANGES not sent, so the peer's limit is 0). */
    private static final long MAX_FILTER_RANGES = 0;
    /** FETCH without an end: up to the Largest Object (the engine clamps an end beyond it). */
    private static final Location TO_LARGEST = new Location(Long.MAX_VALUE, 0);

    private Draft20Dialect()
    {
        super(Draft.DRAFT_20, Draft20ControlCodec.INSTANCE, Draft20ControlCodec.RECORDS, PeerQuirks::draft20);
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
        final RequestMessage refused = refusal(s.requestId(), s.parameters());
        if (refused != null)
        {
            return refused;
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
        return subscribeWith(s, filter, quirks, Draft20Fill.of(s));
    }

    @Override
    boolean publishForward(final Messages.Publish p)
    {
        return p.forward();
    }

    /** The relay announces no MAX_FILTER_RANGES, so any Range Filter is INVALID_FILTER. */
    @Override
    RequestMessage refusal(final long requestId, final ParameterBlock parameters)
    {
        final String problem = ((MessageParameters)parameters).rangeFilterProblem(MAX_FILTER_RANGES);
        return problem == null ? null : new RequestMessage.Refused(requestId, RequestErrorCode.INVALID_FILTER, problem);
    }

    /** §9.5: an absent parameter leaves the value unchanged. */
    @Override
    RequestMessage.Update update(final Messages.RequestUpdate u)
    {
        final OptionalInt priority = u.parameters().subscriberPriority();
        return new RequestMessage.Update(u.parameters().forward().orElse(null),
            priority.isPresent() ? Integer.valueOf(priority.getAsInt()) : null, tokens(u));
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
            return fetch(f);
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
                return new RequestMessage.Refused(f.requestId(), RequestErrorCode.NOT_SUPPORTED,
                    "a FETCH range relative to the Largest Object is not supported");
        }
        final FetchRequest request = FetchRequest.standalone(track, start, end);
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
