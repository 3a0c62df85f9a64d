package moq.relay.client;

import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.d20.Draft20ControlCodec;
import moq.relay.wire.d20.LocationFilter;

/**
 * {@link MoqTestPeer}'s draft-20 codec: draft-20 bytes on the wire, draft-18 records to the peer's script (which is
 * written once, in draft-18 records). Only the messages and parameters the script uses are translated; the wire
 * codec itself is {@link Draft20ControlCodec}, so what the client writes is checked as draft 20.
 */
final class Draft20AsDraft18 implements ControlCodec
{
    static final Draft20AsDraft18 INSTANCE = new Draft20AsDraft18();

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_20;
    }

    @Override
    public ControlMessage decodePayload(final long type, final WireReader payload) throws WireException
    {
        return toDraft18(Draft20ControlCodec.INSTANCE.decodePayload(type, payload));
    }

    @Override
    public void encodePayload(final ControlMessage message, final WireWriter writer)
    {
        Draft20ControlCodec.INSTANCE.encodePayload(toDraft20(message), writer);
    }

    private static ControlMessage toDraft18(final ControlMessage m)
    {
        if (m instanceof moq.relay.wire.d20.Setup s)
        {
            return new moq.relay.wire.d18.Setup(s.options());
        }
        if (m instanceof moq.relay.wire.d20.Subscribe s)
        {
            final List<moq.relay.wire.param.Parameter> params = new ArrayList<>();
            s.parameters().forward().ifPresent(f -> params.add(new Parameter.Forward(f)));
            s.parameters().subscriberPriority().ifPresent(p -> params.add(new Parameter.SubscriberPriority(p)));
            if (s.parameters().locationFilter().isPresent())
            {
                params.add(new Parameter.Filter(filter(s.filter())));
            }
            s.groupOrder().ifPresent(o -> params.add(new Parameter.Order(o)));
            return new moq.relay.wire.d18.Subscribe(s.requestId(), s.namespace(), s.trackName(),
                new moq.relay.wire.d18.MessageParameters(params));
        }
        if (m instanceof moq.relay.wire.d20.Fetch f)
        {
            final LocationFilter r = f.range();
            final Location start = new Location(r.startGroup(), r.startObject());
            final Location end = r.hasEndObject() ? new Location(r.endGroup(), r.endObject() + 1) :
                new Location(r.endGroup(), 0);
            return moq.relay.wire.d18.Fetch.standalone(f.requestId(), f.namespace(), f.trackName(), start, end,
                moq.relay.wire.d18.MessageParameters.of(new Parameter.SubscriberPriority(f.subscriberPriority())));
        }
        if (m instanceof moq.relay.wire.d20.PublishNamespace p)
        {
            return new moq.relay.wire.d18.PublishNamespace(p.requestId(), p.namespace(),
                moq.relay.wire.d18.MessageParameters.EMPTY);
        }
        if (m instanceof moq.relay.wire.d20.Publish p)
        {
            return new moq.relay.wire.d18.Publish(p.requestId(), p.namespace(), p.trackName(), p.trackAlias(),
                largest(p.largestObject().orElse(null)), p.trackProperties());
        }
        if (m instanceof moq.relay.wire.d20.SubscribeOk ok)
        {
            return new moq.relay.wire.d18.SubscribeOk(ok.trackAlias(), largest(ok.largestObject().orElse(null)),
                ok.trackProperties());
        }
        if (m instanceof moq.relay.wire.d20.PublishDone d)
        {
            return new moq.relay.wire.d18.PublishDone(d.statusCode(), d.streamCount(), d.reason());
        }
        if (m instanceof moq.relay.wire.d20.RequestOk ok)
        {
            return new moq.relay.wire.d18.RequestOk(largest(ok.largestObject().orElse(null)), ok.trackProperties());
        }
        if (m instanceof moq.relay.wire.d20.RequestError e)
        {
            return moq.relay.wire.d18.RequestError.of(e.errorCode(), e.retryInterval(), e.reason());
        }
        if (m instanceof moq.relay.wire.d20.RequestUpdate u)
        {
            final List<moq.relay.wire.param.Parameter> params = new ArrayList<>();
            u.parameters().forward().ifPresent(f -> params.add(new Parameter.Forward(f)));
            return new moq.relay.wire.d18.RequestUpdate(u.requestId(), new moq.relay.wire.d18.MessageParameters(params));
        }
        if (m instanceof moq.relay.wire.d20.Goaway g)
        {
            return moq.relay.wire.d18.Goaway.onRequestStream(g.newSessionUri(), g.timeoutMillis());
        }
        if (m instanceof moq.relay.wire.d20.FetchOk ok)
        {
            return new moq.relay.wire.d18.FetchOk(ok.endOfTrack(), new Location(ok.endLocation().group(),
                ok.endLocation().object() + 1), ok.trackProperties());
        }
        throw new IllegalArgumentException("not translated: " + m);
    }

    private static SubscriptionFilter filter(final LocationFilter f)
    {
        switch (f.kind())
        {
            case NEXT_OBJECT:
                return SubscriptionFilter.largestObject();
            case RELATIVE_START_GROUP:
                return SubscriptionFilter.nextGroupStart();
            default:
                final Location start = new Location(f.startGroup(), f.startObject());
                return f.hasEnd() ? SubscriptionFilter.absoluteRange(start, f.endGroupDelta()) :
                    SubscriptionFilter.absoluteStart(start);
        }
    }

    private static moq.relay.wire.d18.MessageParameters largest(final Location largest)
    {
        return largest == null ? moq.relay.wire.d18.MessageParameters.EMPTY :
            moq.relay.wire.d18.MessageParameters.of(new Parameter.LargestObject(largest));
    }

    private static moq.relay.wire.d20.MessageParameters largest20(final java.util.Optional<Location> largest)
    {
        return largest.isEmpty() ? moq.relay.wire.d20.MessageParameters.EMPTY :
            moq.relay.wire.d20.MessageParameters.of(new moq.relay.wire.d20.Parameter.LargestObject(largest.get()));
    }

    private static ControlMessage toDraft20(final ControlMessage m)
    {
        if (m instanceof moq.relay.wire.d20.Draft20Message)
        {
            return m; // built as draft 20 already (the client's dialect's FETCH)
        }
        if (m instanceof moq.relay.wire.d18.Setup s)
        {
            return new moq.relay.wire.d20.Setup(s.options());
        }
        if (m instanceof moq.relay.wire.d18.SubscribeOk ok)
        {
            return new moq.relay.wire.d20.SubscribeOk(ok.trackAlias(), largest20(ok.largestObject()),
                ok.trackProperties());
        }
        if (m instanceof moq.relay.wire.d18.PublishDone d)
        {
            return new moq.relay.wire.d20.PublishDone(d.statusCode(), d.streamCount(), d.reason());
        }
        if (m instanceof moq.relay.wire.d18.RequestOk ok)
        {
            return new moq.relay.wire.d20.RequestOk(largest20(ok.largestObject()), ok.trackProperties());
        }
        if (m instanceof moq.relay.wire.d18.RequestError e)
        {
            return moq.relay.wire.d20.RequestError.of(e.errorCode(), e.retryInterval(), e.reason());
        }
        if (m instanceof moq.relay.wire.d18.FetchOk ok)
        {
            return new moq.relay.wire.d20.FetchOk(ok.endOfTrack(), new Location(ok.endLocation().group(),
                ok.endLocation().object() - 1), ok.trackProperties());
        }
        if (m instanceof moq.relay.wire.d18.Subscribe s)
        {
            return new moq.relay.wire.d20.Subscribe(s.requestId(), s.namespace(), s.trackName(),
                moq.relay.wire.d20.MessageParameters.EMPTY);
        }
        if (m instanceof moq.relay.wire.d18.Goaway g)
        {
            return new moq.relay.wire.d20.Goaway(g.newSessionUri(), g.timeoutMillis());
        }
        // Bytes a test writes as they are (malformed input) never pass through here.
        throw new IllegalArgumentException("not translated: " + m);
    }
}
