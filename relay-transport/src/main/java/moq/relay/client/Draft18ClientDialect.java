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
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.Goaway;
import moq.relay.wire.d18.GroupOrder;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.MessageType;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Properties;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.PublishNamespace;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.RequestUpdate;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;

/** Draft 18's records for the client ({@code moq.relay.wire.d18}). */
final class Draft18ClientDialect implements ClientDialect
{
    static final Draft18ClientDialect INSTANCE = new Draft18ClientDialect();

    private Draft18ClientDialect()
    {
    }

    @Override
    public ControlCodec codec()
    {
        return Draft18ControlCodec.INSTANCE;
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
        final List<moq.relay.wire.param.Parameter> params = new ArrayList<>();
        if (!options.forward())
        {
            params.add(new Parameter.Forward(false));
        }
        params.add(new Parameter.SubscriberPriority(options.subscriberPriority()));
        params.add(new Parameter.Filter(options.filter().toDraft18()));
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

    @Override
    public ControlMessage fetch(final long requestId, final TrackNamespace namespace, final Bytes name,
        final Location start, final Location end, final long joiningRequestId, final long joiningStart,
        final boolean absoluteJoining, final int priority, final List<AuthToken> tokens)
    {
        final MessageParameters params = withTokens(new ArrayList<moq.relay.wire.param.Parameter>(List.of(new Parameter.SubscriberPriority(priority))),
            tokens);
        return joiningRequestId < 0
            ? Fetch.standalone(requestId, namespace, name, start, end, params)
            : absoluteJoining
            ? Fetch.absoluteJoining(requestId, joiningRequestId, joiningStart, params)
            : Fetch.relativeJoining(requestId, joiningRequestId, joiningStart, params);
    }

    @Override
    public FetchResult fetchOk(final long requestId, final ControlMessage m)
    {
        return m instanceof FetchOk ok ? new FetchResult(requestId, ok.endOfTrack(), ok.endLocation()) : null;
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
        final List<moq.relay.wire.param.Parameter> params = new ArrayList<>();
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
    private static MessageParameters withTokens(final List<moq.relay.wire.param.Parameter> params, final List<AuthToken> tokens)
    {
        for (final AuthToken t : tokens)
        {
            params.add(new Parameter.AuthorizationToken(t));
        }
        return MessageParameters.of(params.toArray(new moq.relay.wire.param.Parameter[0]));
    }
}
