package moq.relay.session;

import java.util.List;
import java.util.Optional;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.SubscribeOptions;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.session.request.DownstreamFetch;
import moq.relay.session.request.SessionAuth;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.FetchOk;
import moq.relay.wire.d18.Goaway;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Namespace;
import moq.relay.wire.d18.NamespaceDone;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.ParameterContext;
import moq.relay.wire.d18.Properties;
import moq.relay.wire.d18.Publish;
import moq.relay.wire.d18.PublishDone;
import moq.relay.wire.d18.PublishNamespace;
import moq.relay.wire.d18.RequestError;
import moq.relay.wire.d18.RequestOk;
import moq.relay.wire.d18.RequestUpdate;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeNamespace;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscribeTracks;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.d18.TrackStatus;

/** Draft 18 ({@code moqt-18}) as a {@link RequestStreamDialect}: {@code moq.relay.wire.d18}'s records. */
final class Draft18Dialect implements RequestStreamDialect
{
    static final Draft18Dialect INSTANCE = new Draft18Dialect();

    private Draft18Dialect()
    {
    }

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_18;
    }

    @Override
    public PeerQuirks quirks(final Optional<Bytes> implementation)
    {
        return PeerQuirks.draft18(implementation);
    }

    @Override
    public ControlCodec codec()
    {
        return Draft18ControlCodec.INSTANCE;
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
        return new PeerSetup(setup.path(), setup.authority(), setup.implementation(), Long.MAX_VALUE,
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
        return Goaway.onControlStream(Bytes.utf8(newSessionUri), 0, smallestUnused);
    }

    @Override
    public RequestMessage read(final ControlMessage m, final PeerQuirks quirks) throws WireException
    {
        if (m instanceof FetchOk ok)
        {
            return new RequestMessage.FetchOk(ok.endOfTrack(), ok.endLocation(), ok.trackProperties().pairs());
        }
        if (m instanceof Subscribe s)
        {
            return new RequestMessage.Subscribe(s.requestId(), new FullTrackName(s.namespace(), s.trackName()),
                new SubscribeOptions(quirks.subscriptionFilter(Codes.filter(s.filter().orElse(null))), s.forward(),
                    s.subscriberPriority(), Codes.groupOrder(s.groupOrder().orElse(null)), true,
                    s.rendezvousTimeoutMillis()), SessionAuth.draft18(s.parameters().authorizationTokens()));
        }
        if (m instanceof PublishNamespace p)
        {
            return new RequestMessage.PublishNamespace(p.requestId(), p.namespace(), SessionAuth.draft18(p.parameters().authorizationTokens()));
        }
        if (m instanceof Publish p)
        {
            return new RequestMessage.Publish(p.requestId(), new FullTrackName(p.namespace(), p.trackName()),
                p.trackAlias(), p.trackProperties().pairs(), p.largestObject().orElse(null), true, SessionAuth.draft18(p.parameters().authorizationTokens()));
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
            return new RequestMessage.Fetch(f.requestId(), fetch(f), Codes.groupOrder(f.groupOrder()), SessionAuth.draft18(f.parameters().authorizationTokens()));
        }
        if (m instanceof SubscribeTracks t)
        {
            return new RequestMessage.SubscribeTracks(t.requestId(), t.prefix(), SessionAuth.draft18(t.parameters().authorizationTokens()));
        }
        if (m instanceof RequestUpdate u)
        {
            return new RequestMessage.Update(u.parameters().forward().orElse(true),
                u.parameters().subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY), SessionAuth.draft18(u.parameters().authorizationTokens()));
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
        return null;
    }

    private static FetchRequest fetch(final Fetch f)
    {
        if (f.fetchType() == Fetch.Type.STANDALONE)
        {
            return DownstreamFetch.request(DownstreamFetch.Type.STANDALONE, new FullTrackName(
                f.standalone().namespace(), f.standalone().trackName()), f.standalone().start(), f.standalone().end(),
                0, 0);
        }
        final DownstreamFetch.Type type = f.fetchType() == Fetch.Type.RELATIVE_JOINING ?
            DownstreamFetch.Type.RELATIVE_JOINING : DownstreamFetch.Type.ABSOLUTE_JOINING;
        return DownstreamFetch.request(type, null, null, null, f.joining().joiningRequestId(),
            f.joining().joiningStart());
    }

    @Override
    public SubscribeOptions publishOk(final RequestMessage.Ok answer) throws WireException
    {
        final RequestOk ok = (RequestOk)answer.message();
        ok.validateAs(ParameterContext.PUBLISH_OK);
        return new SubscribeOptions(Codes.filter(ok.filter().orElse(null)), ok.forward(), ok.subscriberPriority(),
            Codes.groupOrder(ok.groupOrder().orElse(null)), true, 0);
    }

    @Override
    public ControlMessage publishAccepted(final boolean forward)
    {
        return new RequestOk(MessageParameters.of(new Parameter.Forward(forward)));
    }

    @Override
    public ControlMessage subscribe(final long requestId, final FullTrackName track, final boolean forward)
    {
        return new Subscribe(requestId, track.namespace(), track.name(), MessageParameters.of(
            new Parameter.Forward(forward), new Parameter.Filter(SubscriptionFilter.largestObject())));
    }

    @Override
    public ControlMessage publish(final long requestId, final FullTrackName track, final long trackAlias,
        final Location largest, final List<KeyValuePair> properties, final PeerQuirks quirks)
    {
        return new Publish(requestId, track.namespace(), track.name(), trackAlias, quirks.largestObject(largest),
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
        return new SubscribeOk(trackAlias, quirks.largestObject(largest), Properties.of(properties));
    }

    @Override
    public ControlMessage fetchOk(final boolean endOfTrack, final Location end, final List<KeyValuePair> properties)
    {
        return new FetchOk(endOfTrack, end, Properties.of(properties));
    }

    @Override
    public ControlMessage trackStatusOk(final Location largest, final List<KeyValuePair> properties,
        final PeerQuirks quirks)
    {
        return new RequestOk(quirks.largestObject(largest), Properties.of(properties));
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

    @Override
    public ControlMessage requestError(final RequestErrorCode code, final String reason)
    {
        return RequestError.of(code.code(), 0, Bytes.utf8(MoqtSession.truncate(reason)));
    }

    @Override
    public ControlMessage publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
    {
        return new PublishDone(status.code(), streamCount, Bytes.utf8(MoqtSession.truncate(reason)));
    }

    @Override
    public ControlMessage fetch(final long requestId, final moq.relay.engine.UpstreamFetch fetch)
    {
        return moq.relay.wire.d18.Fetch.standalone(requestId, fetch.track().namespace(), fetch.track().name(),
            fetch.start(), fetch.end(), moq.relay.wire.d18.MessageParameters.of(
                new moq.relay.wire.d18.Parameter.SubscriberPriority(fetch.subscriberPriority())));
    }
}
