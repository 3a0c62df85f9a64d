package moq.relay.client;

import java.util.ArrayList;
import java.util.List;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.MessageType;
import moq.relay.wire.param.Parameter;

/** Draft 18's records for the client ({@code moq.relay.wire.d18}): its Subscription Filter, joining FETCH. */
final class Draft18ClientDialect extends ClientDialect
{
    static final Draft18ClientDialect INSTANCE = new Draft18ClientDialect();

    private Draft18ClientDialect()
    {
        super(Draft18ControlCodec.INSTANCE, Draft18ControlCodec.RECORDS);
    }

    @Override
    Parameter filter(final Filter filter)
    {
        return new moq.relay.wire.d18.Parameter.Filter(filter.toDraft18());
    }

    @Override
    ControlMessage fetch(final long requestId, final TrackNamespace namespace, final Bytes name,
        final Location start, final Location end, final long joiningRequestId, final long joiningStart,
        final boolean absoluteJoining, final int priority, final List<AuthToken> tokens)
    {
        final MessageParameters params = MessageParameters.of(withTokens(
            new ArrayList<>(List.of(new Parameter.SubscriberPriority(priority))), tokens));
        return joiningRequestId < 0
            ? Fetch.standalone(requestId, namespace, name, start, end, params)
            : absoluteJoining
            ? Fetch.absoluteJoining(requestId, joiningRequestId, joiningStart, params)
            : Fetch.relativeJoining(requestId, joiningRequestId, joiningStart, params);
    }

    @Override
    FetchResult fetchOk(final long requestId, final ControlMessage m)
    {
        return m instanceof FetchOk ok ? new FetchResult(requestId, ok.endOfTrack(), ok.endLocation()) : null;
    }

    @Override
    boolean isRequest(final ControlMessage m)
    {
        return MessageType.opensRequestStream(m.type());
    }

    @Override
    long fetchRequestId(final ControlMessage m)
    {
        return ((moq.relay.wire.d18.Fetch)m).requestId();
    }

    @Override
    ControlMessage subscribePrefix(final long requestId, final TrackNamespace prefix, final boolean tracks,
        final List<AuthToken> tokens)
    {
        final MessageParameters params = MessageParameters.of(withTokens(new ArrayList<>(), tokens));
        return tracks ? new moq.relay.wire.d18.SubscribeTracks(requestId, prefix, params) :
            new moq.relay.wire.d18.SubscribeNamespace(requestId, prefix, params);
    }

    @Override
    TrackNamespace namespace(final ControlMessage m)
    {
        return m instanceof moq.relay.wire.d18.Namespace n ? n.suffix() : null;
    }

    @Override
    TrackNamespace namespaceDone(final ControlMessage m)
    {
        return m instanceof moq.relay.wire.d18.NamespaceDone n ? n.suffix() : null;
    }
}
