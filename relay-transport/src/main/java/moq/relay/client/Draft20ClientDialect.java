package moq.relay.client;

import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.Fetch;
import moq.relay.wire.d20.FetchOk;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.MessageType;
import moq.relay.wire.param.Parameter;

/**
 * Draft 20's records for the client ({@code moq.relay.wire.d20}): the filter is a Location Filter, FETCH's range too
 * (no joining FETCH: draft 20 replaced it with FILL_PARAMETERS, not offered by this client), FETCH_OK's end inclusive,
 * GOAWAY without a request id.
 */
final class Draft20ClientDialect extends ClientDialect
{
    static final Draft20ClientDialect INSTANCE = new Draft20ClientDialect();

    private Draft20ClientDialect()
    {
        super(Draft20ControlCodec.INSTANCE, Draft20ControlCodec.RECORDS);
    }

    @Override
    boolean forwardInPublishOk()
    {
        return false;
    }

    @Override
    Parameter filter(final Filter filter)
    {
        final LocationFilter f = locationFilter(filter);
        return f.fieldCount() == 0 ? null : new moq.relay.wire.d20.Parameter.LocationFilterParameter(f);
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
    ControlMessage fetch(final long requestId, final TrackNamespace namespace, final Bytes name,
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
        return new Fetch(requestId, namespace, name, MessageParameters.of(withTokens(new ArrayList<>(List.of(
            new Parameter.SubscriberPriority(priority), new moq.relay.wire.d20.Parameter.LocationFilterParameter(range))),
            tokens)));
    }

    /** The inclusive End Location back in draft 18's encoding (object 2^64-1, the whole group, becomes 0). */
    @Override
    FetchResult fetchOk(final long requestId, final ControlMessage m)
    {
        return m instanceof FetchOk ok ? new FetchResult(requestId, ok.endOfTrack(),
            new Location(ok.endLocation().group(), ok.endLocation().object() + 1)) : null;
    }

    @Override
    boolean isRequest(final ControlMessage m)
    {
        return MessageType.opensRequestStream(m.type());
    }

    @Override
    long fetchRequestId(final ControlMessage m)
    {
        return ((moq.relay.wire.d20.Fetch)m).requestId();
    }

    @Override
    ControlMessage subscribePrefix(final long requestId, final TrackNamespace prefix, final boolean tracks,
        final List<AuthToken> tokens)
    {
        final MessageParameters params = MessageParameters.of(withTokens(new ArrayList<>(), tokens));
        return tracks ? new moq.relay.wire.d20.SubscribeTracks(requestId, prefix, params) :
            new moq.relay.wire.d20.SubscribeNamespace(requestId, prefix, params);
    }

    @Override
    TrackNamespace namespace(final ControlMessage m)
    {
        return m instanceof moq.relay.wire.d20.Namespace n ? n.suffix() : null;
    }

    @Override
    TrackNamespace namespaceDone(final ControlMessage m)
    {
        return m instanceof moq.relay.wire.d20.NamespaceDone n ? n.suffix() : null;
    }

    /** {@code subscribe} with {@code parameters} (Range Filters) added; unchanged when there are none. */
    static ControlMessage withParameters(final ControlMessage subscribe, final List<Parameter> parameters)
    {
        if (parameters.isEmpty())
        {
            return subscribe;
        }
        final moq.relay.wire.d20.Subscribe s = (moq.relay.wire.d20.Subscribe)subscribe;
        final List<Parameter> params = new ArrayList<>(s.parameters().entries());
        params.addAll(parameters);
        return new moq.relay.wire.d20.Subscribe(s.requestId(), s.namespace(), s.trackName(),
            MessageParameters.of(params.toArray(new Parameter[0])));
    }

    /** {@code subscribe} with OBJECT_DELIVERY_TIMEOUT {@code millis} (draft-21 §9.20.5); unchanged when negative. */
    static ControlMessage withObjectDeliveryTimeout(final ControlMessage subscribe, final long millis)
    {
        return millis < 0 ? subscribe : withParameters(subscribe, List.of(new Parameter.ObjectDeliveryTimeout(millis)));
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
        final moq.relay.wire.d20.Subscribe s = (moq.relay.wire.d20.Subscribe)subscribe;
        final List<Parameter> params = new ArrayList<>(s.parameters().entries());
        final MessageParameters inside = timeoutMillis < 0 ?
            MessageParameters.of(new moq.relay.wire.d20.Parameter.LocationFilterParameter(fill)) :
            MessageParameters.of(new moq.relay.wire.d20.Parameter.LocationFilterParameter(fill),
                new Parameter.FillTimeout(timeoutMillis));
        params.add(new moq.relay.wire.d20.Parameter.FillParameters(inside));
        return new moq.relay.wire.d20.Subscribe(s.requestId(), s.namespace(), s.trackName(),
            MessageParameters.of(params.toArray(new Parameter[0])));
    }
}
