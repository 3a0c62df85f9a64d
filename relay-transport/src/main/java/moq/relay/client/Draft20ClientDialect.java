package moq.relay.client;

import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.AuthToken;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.FetchOk;
import moq.relay.wire.d20.Goaway;
import moq.relay.wire.d18.GroupOrder;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.MessageType;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d18.Properties;
import moq.relay.wire.d20.Publish;
import moq.relay.wire.d20.PublishDone;
import moq.relay.wire.d20.PublishNamespace;
import moq.relay.wire.d20.RequestError;
import moq.relay.wire.d20.RequestOk;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Setup;
import moq.relay.wire.d20.Subscribe;
import moq.relay.wire.d20.SubscribeOk;

/**
 * Draft 20's records for the client ({@code moq.relay.wire.d20}): the filter is a Location Filter, FETCH's range too
 * (no joining FETCH: draft 20 replaced it with FILL_PARAMETERS, not offered by this client), FETCH_OK's end inclusive,
 * GOAWAY without a request id.
 */
final class Draft20ClientDialect implements ClientDialect
{
    static final Draft20ClientDialect INSTANCE = new Draft20ClientDialect();

    private Draft20ClientDialect()
    {
    }

    @Override
    public ControlCodec codec()
    {
        return Draft20ControlCodec.INSTANCE;
    }

    @Override
    public ControlMessage setup(final List<KeyValuePair> options)
    {
        return new Setup(options);
    }

    @Override
    public void acceptSetup(final ControlMessage m) throws WireException
    {
        if (!(m instanceof Setup setup))
        {
            throw WireException.protocolViolation("the control stream must start with SETUP");
        }
        setup.validateReceivedByClient();
    }

    @Override
    public Bytes goaway(final ControlMessage m)
    {
        return m instanceof Goaway g ? g.newSessionUri() : null;
    }

    @Override
    public Rejection rejection(final ControlMessage m)
    {
        return m instanceof RequestError e ? new Rejection(e.errorCode(), e.retryInterval(), e.reason()) : null;
    }

    @Override
    public ControlMessage subscribe(final long requestId, final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final List<AuthToken> tokens)
    {
        final List<Parameter> params = new ArrayList<>();
        if (!options.forward())
        {
            params.add(new Parameter.Forward(false));
        }
        params.add(new Parameter.SubscriberPriority(options.subscriberPriority()));
        final LocationFilter filter = locationFilter(options.filter());
        if (filter.fieldCount() != 0)
        {
            params.add(new Parameter.LocationFilterParameter(filter));
        }
        if (options.descending())
        {
            params.add(new Parameter.Order(GroupOrder.DESCENDING));
        }
        return new Subscribe(requestId, namespace, name, withTokens(params, tokens));
    }

    @Override
    public long subscribeOk(final ControlMessage m, final Location[] largest)
    {
        if (m instanceof SubscribeOk ok)
        {
            largest[0] = ok.largestObject().orElse(null);
            return ok.trackAlias();
        }
        return -1;
    }

    @Override
    public Done publishDone(final ControlMessage m)
    {
        return m instanceof PublishDone d ? new Done(d.statusCode(), d.streamCount(), d.reason()) : null;
    }

    private static LocationFilter locationFilter(final Filter f)
    {
        switch (f.type())
        {
            case NEXT_GROUP_START:
                return LocationFilter.relativeStartGroup(0);
            case LARGEST_OBJECT:
                return LocationFilter.NEXT_OBJECT;
            case ABSOLUTE_START:
                // {0, 0} as two fields would be the Next Object: from the very start is no filter at all.
                return f.start().equals(Location.ZERO) ? LocationFilter.NONE : LocationFilter.absoluteStart(f.start());
            default:
                return LocationFilter.absoluteRange(f.start(), f.endGroup() - f.start().group());
        }
    }

    @Override
    public ControlMessage fetch(final long requestId, final TrackNamespace namespace, final Bytes name,
        final Location start, final Location end, final long joiningRequestId, final long joiningStart,
        final boolean absoluteJoining, final int priority, final List<AuthToken> tokens)
    {
        if (joiningRequestId >= 0)
        {
            return null;
        }
        final long delta = end.group() - start.group();
        final LocationFilter range = end.object() == 0 ? LocationFilter.absoluteRange(start, delta) :
            LocationFilter.absoluteRange(start, delta, end.object() - 1);
        return new Fetch(requestId, namespace, name, withTokens(new ArrayList<>(List.of(
            new Parameter.SubscriberPriority(priority), new Parameter.LocationFilterParameter(range))), tokens));
    }

    /** The inclusive End Location back in draft 18's encoding (object 2^64-1, the whole group, becomes 0). */
    @Override
    public FetchResult fetchOk(final long requestId, final ControlMessage m)
    {
        return m instanceof FetchOk ok ? new FetchResult(requestId, ok.endOfTrack(),
            new Location(ok.endLocation().group(), ok.endLocation().object() + 1)) : null;
    }

    @Override
    public ControlMessage publishNamespace(final long requestId, final TrackNamespace namespace,
        final List<AuthToken> tokens)
    {
        return new PublishNamespace(requestId, namespace, withTokens(new ArrayList<>(), tokens));
    }

    @Override
    public boolean isRequestOk(final ControlMessage m)
    {
        return m instanceof RequestOk;
    }

    @Override
    public boolean isRequestUpdate(final ControlMessage m)
    {
        return m instanceof RequestUpdate;
    }

    @Override
    public ControlMessage publish(final long requestId, final TrackNamespace namespace, final Bytes name,
        final long trackAlias, final Location largest, final List<AuthToken> tokens)
    {
        final List<Parameter> params = new ArrayList<>();
        if (largest != null)
        {
            params.add(new Parameter.LargestObject(largest));
        }
        return new Publish(requestId, namespace, name, trackAlias, withTokens(params, tokens), Properties.EMPTY);
    }

    @Override
    public ControlMessage requestOk()
    {
        return RequestOk.EMPTY;
    }

    @Override
    public ControlMessage requestError(final long code, final String reason)
    {
        return RequestError.of(code, 0, Bytes.utf8(reason));
    }

    @Override
    public ControlMessage publishDone(final long statusCode, final long streamCount, final Bytes reason)
    {
        return new PublishDone(statusCode, streamCount, reason);
    }

    @Override
    public PeerSubscribe peerSubscribe(final ControlMessage m)
    {
        return m instanceof Subscribe s ? new PeerSubscribe(s.requestId(), s.namespace(), s.trackName()) : null;
    }

    @Override
    public boolean isRequest(final ControlMessage m)
    {
        return MessageType.opensRequestStream(m.type());
    }

    @Override
    public ControlMessage subscribeOk(final long trackAlias, final Location largest)
    {
        return new SubscribeOk(trackAlias, largestObject(largest), Properties.EMPTY);
    }

    private static MessageParameters largestObject(final Location largest)
    {
        return largest == null ? MessageParameters.EMPTY : MessageParameters.of(new Parameter.LargestObject(largest));
    }

    /** {@code params} and the request's tokens, in type order. */
    private static MessageParameters withTokens(final List<Parameter> params, final List<AuthToken> tokens)
    {
        for (final AuthToken t : tokens)
        {
            params.add(new Parameter.AuthorizationToken(t));
        }
        return MessageParameters.of(params.toArray(new Parameter[0]));
    }

    /**
     * {@code subscribe} with FILL_PARAMETERS carrying {@code fill} as its LOCATION_FILTER (draft-21 §9.20.16; a
     * zero-length filter is the whole track up to the Largest Object) and, unless negative, {@code timeoutMillis} as
     * its FILL_TIMEOUT (§9.20.6); unchanged when {@code fill} is null.
     */
    static ControlMessage withFill(final ControlMessage subscribe, final LocationFilter fill, final long timeoutMillis)
    {
        if (fill == null)
        {
            return subscribe;
        }
        final Subscribe s = (Subscribe)subscribe;
        final List<Parameter> params = new ArrayList<>(s.parameters().entries());
        final MessageParameters inside = timeoutMillis < 0 ?
            MessageParameters.of(new Parameter.LocationFilterParameter(fill)) :
            MessageParameters.of(new Parameter.LocationFilterParameter(fill), new Parameter.FillTimeout(timeoutMillis));
        params.add(new Parameter.FillParameters(inside));
        return new Subscribe(s.requestId(), s.namespace(), s.trackName(),
            MessageParameters.of(params.toArray(new Parameter[0])));
    }
}
