package moq.relay.session;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
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
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Parameter;
import moq.relay.wire.param.ParameterBlock;
import moq.relay.wire.param.Records;
import moq.relay.wire.param.SetupOptions;

/**
 * What drafts 18 and 20 do alike, written once: the peer's SETUP and the messages both lay out alike are read through
 * {@link Messages} into {@link RequestMessage}s, and the relay's own messages are built from the shared {@link
 * Parameter}s and the draft's {@link Records}. A draft's subclass says only where the drafts differ: the
 * filter of SUBSCRIBE, FETCH, GOAWAY, PUBLISH_OK, what an omitted REQUEST_UPDATE parameter means, the codes each
 * draft lacks, and the messages one draft alone has.
 */
abstract class AbstractRequestStreamDialect implements RequestStreamDialect
{
    private final Draft draft;
    private final ControlCodec codec;
    private final Records<?> records;
    private final Function<Optional<Bytes>, PeerQuirks> quirks;

    AbstractRequestStreamDialect(final Draft draft, final ControlCodec codec, final Records<?> records,
        final Function<Optional<Bytes>, PeerQuirks> quirks)
    {
        this.draft = draft;
        this.codec = codec;
        this.records = records;
        this.quirks = quirks;
    }

    @Override
    public final Draft draft()
    {
        return draft;
    }

    @Override
    public final PeerQuirks quirks(final Optional<Bytes> implementation)
    {
        return quirks.apply(implementation);
    }

    @Override
    public final ControlCodec codec()
    {
        return codec;
    }

    /** The draft's records for what both drafts lay out alike. */
    final Records<?> records()
    {
        return records;
    }

    @Override
    public final boolean isGoaway(final ControlMessage m) throws WireException
    {
        if (m instanceof Messages.Goaway g)
        {
            g.validateReceivedByServer();
            return true;
        }
        return false;
    }

    // ---- where the drafts differ

    /** The peer's MAX_REQUEST_UPDATES; Long.MAX_VALUE for none (draft 18 has no such option). */
    abstract long maxRequestUpdates(SetupOptions setup);

    /** SUBSCRIBE read with the draft's filter, or a refusal of what the relay cannot serve. */
    abstract RequestMessage subscribe(Messages.Subscribe s, PeerQuirks quirks);

    /** Whether the peer's PUBLISH forwards (draft 18: always; draft 20: its FORWARD). */
    abstract boolean publishForward(Messages.Publish p);

    /**
     * The REQUEST_ERROR a request of {@code kind} must get for its parameters alone (draft 20's Range Filters), or
     * null.
     */
    abstract RequestMessage refusal(RequestKind kind, long requestId, ParameterBlock parameters);

    abstract RequestMessage.Update update(Messages.RequestUpdate u);

    /** A message only this draft has (its FETCH, GOAWAY on a request stream, ...), or null. */
    abstract RequestMessage readOwn(ControlMessage m) throws WireException;

    /** SUBSCRIBE's filter parameter from the Largest Object on (the relay's own upstream SUBSCRIBE). */
    abstract Parameter nextObjectFilter();

    abstract long wireCode(RequestErrorCode code);

    abstract long wireCode(PublishDoneStatus status);

    // ---- written once for both drafts

    @Override
    public final ControlMessage setup(final String implementation, final long authTokenCacheBytes)
    {
        final List<KeyValuePair> options = new java.util.ArrayList<>(List.of(
            KeyValuePair.ofVarint(SetupOptions.MAX_AUTH_TOKEN_CACHE_SIZE, authTokenCacheBytes),
            KeyValuePair.ofBytes(SetupOptions.MOQT_IMPLEMENTATION, Bytes.utf8(implementation))));
        options.addAll(ownSetupOptions());
        options.sort((a, b) -> Long.compareUnsigned(a.type(), b.type())); // delta-coded types ascend
        return records().setup(options);
    }

    /** Setup Options only this draft sends (draft 20: MAX_FILTER_RANGES); none by default. */
    List<KeyValuePair> ownSetupOptions()
    {
        return List.of();
    }

    @Override
    public final PeerSetup acceptSetup(final ControlMessage m) throws WireException
    {
        if (!(m instanceof SetupOptions setup))
        {
            throw WireException.protocolViolation("the control stream must start with SETUP");
        }
        setup.validateReceivedByServer();
        return new PeerSetup(setup.path(), setup.authority(), setup.implementation(), maxRequestUpdates(setup),
            SessionAuth.draft18(setup.authorizationTokens()));
    }

    @Override
    public final RequestMessage read(final ControlMessage m, final PeerQuirks quirks) throws WireException
    {
        if (m instanceof Messages.Subscribe s)
        {
            return subscribe(s, quirks);
        }
        if (m instanceof Messages.PublishNamespace p)
        {
            return new RequestMessage.PublishNamespace(p.requestId(), p.namespace(), tokens(p));
        }
        if (m instanceof Messages.Publish p)
        {
            return new RequestMessage.Publish(p.requestId(), new FullTrackName(p.namespace(), p.trackName()),
                p.trackAlias(), p.trackProperties().pairs(), p.largestObject().orElse(null), publishForward(p),
                tokens(p));
        }
        if (m instanceof Messages.TrackStatus t)
        {
            return new RequestMessage.TrackStatus(t.requestId(), new FullTrackName(t.namespace(), t.trackName()),
                tokens(t));
        }
        if (m instanceof Messages.SubscribeNamespace n)
        {
            return new RequestMessage.SubscribeNamespace(n.requestId(), n.prefix(), tokens(n));
        }
        if (m instanceof Messages.SubscribeTracks t)
        {
            final RequestMessage refused = refusal(RequestKind.SUBSCRIBE_TRACKS, t.requestId(), t.parameters());
            return refused != null ? refused : subscribeTracks(t, quirks);
        }
        if (m instanceof Messages.RequestUpdate u)
        {
            return update(u);
        }
        if (m instanceof Messages.PublishDone d)
        {
            return new RequestMessage.Done(d.streamCount(), Codes.publishDone(d.statusCode()), d.reason().toString());
        }
        if (m instanceof Messages.SubscribeOk ok)
        {
            return new RequestMessage.SubscribeOk(ok.trackAlias(), ok.largestObject().orElse(null),
                ok.trackProperties().pairs());
        }
        if (m instanceof Messages.RequestOk)
        {
            return new RequestMessage.Ok(m);
        }
        if (m instanceof Messages.RequestError e)
        {
            return new RequestMessage.Error(Codes.requestError(e.errorCode()), e.reason().toString());
        }
        return readOwn(m);
    }

    /** SUBSCRIBE_TRACKS as the session acts on it (draft 20 adds its subscription parameters), or its refusal. */
    RequestMessage subscribeTracks(final Messages.SubscribeTracks t, final PeerQuirks quirks)
    {
        return new RequestMessage.SubscribeTracks(t.requestId(), t.prefix(), tokens(t));
    }

    /** The peer's SUBSCRIBE with the engine's {@code filter} (the draft's filter read, the peer's quirks applied). */
    static RequestMessage.Subscribe subscribeWith(final Messages.Subscribe s, final SubscriptionFilter filter,
        final PeerQuirks quirks)
    {
        return subscribeWith(s, filter, quirks, null);
    }

    /** As above, with the fill the SUBSCRIBE asks for (draft 20's FILL_PARAMETERS), or null. */
    static RequestMessage.Subscribe subscribeWith(final Messages.Subscribe s, final SubscriptionFilter filter,
        final PeerQuirks quirks, final moq.relay.session.request.Fill fill)
    {
        return new RequestMessage.Subscribe(s.requestId(), new FullTrackName(s.namespace(), s.trackName()),
            new SubscribeOptions(quirks.subscriptionFilter(filter), s.forward(), s.subscriberPriority(),
                Codes.groupOrder(s.groupOrder().orElse(null)), true, s.rendezvousTimeoutMillis()), tokens(s), fill);
    }

    static List<moq.relay.auth.TokenRef> tokens(final Messages.Request request)
    {
        return SessionAuth.draft18(request.parameters().authorizationTokens());
    }

    @Override
    public final ControlMessage subscribe(final long requestId, final FullTrackName track, final boolean forward)
    {
        return records().subscribe(requestId, track.namespace(), track.name(), new Parameter.Forward(forward),
            nextObjectFilter());
    }

    @Override
    public final ControlMessage publish(final long requestId, final FullTrackName track, final long trackAlias,
        final Location largest, final List<KeyValuePair> properties, final PeerQuirks quirks,
        final List<? extends Parameter> restated)
    {
        final List<Parameter> parameters = new java.util.ArrayList<>(List.of(quirks.largestObject(largest)));
        parameters.addAll(restated);
        return records().publish(requestId, track.namespace(), track.name(), trackAlias, Properties.of(properties),
            parameters.toArray(new Parameter[0]));
    }

    @Override
    public final ControlMessage forwardUpdate(final long requestId, final boolean forward)
    {
        return records().requestUpdate(requestId, new Parameter.Forward(forward));
    }

    @Override
    public final ControlMessage subscribeOk(final long trackAlias, final Location largest,
        final List<KeyValuePair> properties, final PeerQuirks quirks)
    {
        return records().subscribeOk(trackAlias, Properties.of(properties), quirks.largestObject(largest));
    }

    @Override
    public final ControlMessage trackStatusOk(final Location largest, final List<KeyValuePair> properties,
        final PeerQuirks quirks)
    {
        return records().requestOk(Properties.of(properties), quirks.largestObject(largest));
    }

    @Override
    public final ControlMessage ok()
    {
        return records().requestOk(Properties.EMPTY);
    }

    @Override
    public final ControlMessage namespace(final TrackNamespace suffix)
    {
        return records().namespace(suffix);
    }

    @Override
    public final ControlMessage namespaceDone(final TrackNamespace suffix)
    {
        return records().namespaceDone(suffix);
    }

    @Override
    public final ControlMessage requestError(final RequestErrorCode code, final String reason)
    {
        return records().requestError(wireCode(code), Bytes.utf8(MoqtSession.truncate(reason)));
    }

    @Override
    public final ControlMessage publishDone(final PublishDoneStatus status, final long streamCount,
        final String reason)
    {
        return records().publishDone(wireCode(status), streamCount, Bytes.utf8(MoqtSession.truncate(reason)));
    }
}
