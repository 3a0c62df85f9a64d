package moq.relay.session;

import java.util.List;
import java.util.Optional;
import moq.relay.auth.AuthFailure;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
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
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.Fetch;
import moq.relay.wire.d14.FetchCancel;
import moq.relay.wire.d14.FetchError;
import moq.relay.wire.d14.FetchOk;
import moq.relay.wire.d14.FetchType;
import moq.relay.wire.d14.Goaway;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MaxRequestId;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.MessageType;
import moq.relay.wire.d14.Publish;
import moq.relay.wire.d14.PublishDone;
import moq.relay.wire.d14.PublishError;
import moq.relay.wire.d14.PublishNamespace;
import moq.relay.wire.d14.PublishNamespaceCancel;
import moq.relay.wire.d14.PublishNamespaceDone;
import moq.relay.wire.d14.PublishNamespaceError;
import moq.relay.wire.d14.PublishNamespaceOk;
import moq.relay.wire.d14.PublishOk;
import moq.relay.wire.d14.RequestsBlocked;
import moq.relay.wire.d14.ServerSetup;
import moq.relay.wire.d14.SetupParameters;
import moq.relay.wire.d14.Subscribe;
import moq.relay.wire.d14.SubscribeError;
import moq.relay.wire.d14.SubscribeNamespace;
import moq.relay.wire.d14.SubscribeNamespaceError;
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.d14.SubscribeUpdate;
import moq.relay.wire.d14.SubscriptionFilter;
import moq.relay.wire.d14.TrackStatus;
import moq.relay.wire.d14.TrackStatusError;
import moq.relay.wire.d14.TrackStatusOk;
import moq.relay.wire.d14.Unsubscribe;
import moq.relay.wire.d14.UnsubscribeNamespace;
import moq.relay.wire.d14.UnsubscribeNamespaceRequest;
import moq.relay.wire.d14.VersionNegotiation;

/**
 * Draft 14 ({@code moq-00}, version negotiation in CLIENT_SETUP) as a {@link ControlStreamDialect}:
 * {@code moq.relay.wire.d14}'s records, an OK and ERROR message with its own code table per request kind
 * ({@link Draft14Codes}), no answer to SUBSCRIBE_UPDATE. What it varies per peer is the codec
 * ({@link PeerQuirks#draft14Codec()}) and the empty SUBSCRIBE_NAMESPACE prefix ({@link PeerQuirks#emptyNamespacePrefix()}).
 */
final class Draft14Dialect implements ControlStreamDialect
{
    static final Draft14Dialect INSTANCE = new Draft14Dialect();
    /** The relay's subscriber priority in its own SUBSCRIBE, SUBSCRIBE_UPDATE and PUBLISH_OK. */
    private static final int PRIORITY = 128;

    private Draft14Dialect()
    {
    }

    @Override
    public Draft draft()
    {
        return Draft.DRAFT_14;
    }

    @Override
    public PeerQuirks quirks(final Optional<Bytes> implementation)
    {
        return PeerQuirks.draft14(implementation);
    }

    @Override
    public ControlCodec codec()
    {
        return Draft14ControlCodec.INSTANCE;
    }

    @Override
    public ControlCodec codec(final PeerQuirks quirks)
    {
        return quirks.draft14Codec();
    }

    // ---- setup and session-wide messages

    @Override
    public PeerSetup acceptSetup(final ControlMessage m) throws WireException
    {
        if (!(m instanceof ClientSetup setup))
        {
            throw WireException.protocolViolation("the control stream must start with CLIENT_SETUP");
        }
        final SetupParameters p = setup.parameters();
        return new PeerSetup(VersionNegotiation.select(setup), p.path(), p.authority(), p.implementation(),
            p.maxRequestId(), SessionAuth.draft14(p.authorizationTokens()));
    }

    @Override
    public ControlMessage serverSetup(final long version, final long maxRequestId, final long authTokenCacheBytes)
    {
        return new ServerSetup(version, SetupParameters.builder().maxRequestId(maxRequestId)
            .maxAuthTokenCacheSize(authTokenCacheBytes).build());
    }

    @Override
    public ControlMessage goaway(final String newSessionUri)
    {
        return new Goaway(Bytes.utf8(newSessionUri));
    }

    @Override
    public ControlMessage maxRequestId(final long maxRequestId)
    {
        return new MaxRequestId(maxRequestId);
    }

    @Override
    public ControlMessage requestsBlocked(final long maxRequestId)
    {
        return new RequestsBlocked(maxRequestId);
    }

    @Override
    public ControlStreamMessage read(final ControlMessage m, final PeerQuirks quirks) throws WireException
    {
        if (m instanceof Subscribe s)
        {
            return request(new RequestMessage.Subscribe(s.requestId(),
                new FullTrackName(s.trackNamespace(), s.trackName()), new SubscribeOptions(
                    quirks.subscriptionFilter(Codes.filter(s.filter())), s.forward(), s.subscriberPriority(),
                    Codes.groupOrder(s.groupOrder()), true, 0),
                SessionAuth.draft14(s.parameters().authorizationTokens(MessageType.SUBSCRIBE))));
        }
        if (m instanceof PublishNamespace p)
        {
            return request(new RequestMessage.PublishNamespace(p.requestId(),
                p.trackNamespace(), SessionAuth.draft14(p.parameters().authorizationTokens(
                    MessageType.PUBLISH_NAMESPACE))));
        }
        if (m instanceof Publish p)
        {
            return request(new RequestMessage.Publish(p.requestId(),
                new FullTrackName(p.trackNamespace(), p.trackName()), p.trackAlias(), List.of(), p.largestLocation(),
                true, SessionAuth.draft14(p.parameters().authorizationTokens(MessageType.PUBLISH))));
        }
        if (m instanceof Fetch f)
        {
            return request(new RequestMessage.Fetch(f.requestId(), fetch(f), Codes.groupOrder(f.groupOrder()),
                SessionAuth.draft14(f.parameters().authorizationTokens(MessageType.FETCH))));
        }
        if (m instanceof TrackStatus t)
        {
            return request(new RequestMessage.TrackStatus(t.requestId(),
                new FullTrackName(t.trackNamespace(), t.trackName()),
                SessionAuth.draft14(t.parameters().authorizationTokens(MessageType.TRACK_STATUS))));
        }
        if (m instanceof SubscribeNamespace n)
        {
            if (n.trackNamespacePrefix().size() == 0 && !quirks.emptyNamespacePrefix())
            {
                // Draft-14 has no empty prefix (it says close the session); one bad request must not end a call.
                return request(new RequestMessage.Refused(n.requestId(),
                    RequestKind.SUBSCRIBE_NAMESPACE, RequestErrorCode.NOT_SUPPORTED,
                    "an empty namespace prefix is not allowed in draft-14"));
            }
            return request(new RequestMessage.SubscribeNamespace(n.requestId(),
                n.trackNamespacePrefix(), SessionAuth.draft14(n.parameters().authorizationTokens(
                    MessageType.SUBSCRIBE_NAMESPACE))));
        }
        if (m instanceof SubscribeUpdate u)
        {
            // Forward state and subscriber priority are applied; filter changes are not (the engine has none yet).
            return new ControlStreamMessage.Update(u.requestId(), u.subscriptionRequestId(), u.forward(),
                u.subscriberPriority(), SessionAuth.draft14(u.parameters().authorizationTokens(
                    MessageType.SUBSCRIBE_UPDATE)));
        }
        if (m instanceof Unsubscribe u)
        {
            return new ControlStreamMessage.Cancel(RequestKind.SUBSCRIBE, u.requestId());
        }
        if (m instanceof FetchCancel c)
        {
            return new ControlStreamMessage.Cancel(RequestKind.FETCH, c.requestId());
        }
        if (m instanceof UnsubscribeNamespaceRequest u)
        {
            // Only @moq/lite's codec reads this form (PeerQuirks#draft14Codec): the request id it subscribed with.
            return new ControlStreamMessage.Cancel(RequestKind.SUBSCRIBE_NAMESPACE, u.requestId());
        }
        if (m instanceof PublishNamespaceDone d)
        {
            return new ControlStreamMessage.CancelNamespace(RequestKind.PUBLISH_NAMESPACE, d.trackNamespace());
        }
        if (m instanceof UnsubscribeNamespace u)
        {
            return new ControlStreamMessage.CancelNamespace(RequestKind.SUBSCRIBE_NAMESPACE, u.trackNamespacePrefix());
        }
        if (m instanceof PublishDone d)
        {
            return new ControlStreamMessage.Answer(d.requestId(), new RequestMessage.Done(
                d.streamCount() == PublishDone.UNKNOWN_STREAM_COUNT ? 0 : d.streamCount(),
                Draft14Codes.fromPublishDone(d.statusCode()), d.reason().toString()));
        }
        if (m instanceof SubscribeOk ok)
        {
            return new ControlStreamMessage.Answer(ok.requestId(), new RequestMessage.SubscribeOk(ok.trackAlias(),
                ok.largestLocation(), List.of()));
        }
        if (m instanceof FetchOk ok)
        {
            return new ControlStreamMessage.Answer(ok.requestId(), new RequestMessage.FetchOk(ok.endOfTrack(),
                ok.endLocation(), List.of()));
        }
        if (m instanceof FetchError e)
        {
            return new ControlStreamMessage.Answer(e.requestId(), new RequestMessage.Error(
                Draft14Codes.fromSubscribeError(e.errorCode()), e.reason().toString()));
        }
        if (m instanceof SubscribeError e)
        {
            return new ControlStreamMessage.Answer(e.requestId(), new RequestMessage.Error(
                Draft14Codes.fromSubscribeError(e.errorCode()), e.reason().toString()));
        }
        if (m instanceof MaxRequestId max)
        {
            return new ControlStreamMessage.MaxRequestId(max.requestId());
        }
        if (m instanceof Goaway)
        {
            return new ControlStreamMessage.Goaway();
        }
        return new ControlStreamMessage.Ignored(m.getClass().getSimpleName());
    }

    private static ControlStreamMessage request(final RequestMessage.Opening opening)
    {
        return new ControlStreamMessage.Request(opening);
    }

    private static FetchRequest fetch(final Fetch f)
    {
        if (f.fetchType() == FetchType.STANDALONE)
        {
            return DownstreamFetch.request(DownstreamFetch.Type.STANDALONE, new FullTrackName(
                f.standalone().trackNamespace(), f.standalone().trackName()), f.standalone().start(),
                f.standalone().end(), 0, 0);
        }
        final DownstreamFetch.Type type = f.fetchType() == FetchType.RELATIVE_JOINING ?
            DownstreamFetch.Type.RELATIVE_JOINING : DownstreamFetch.Type.ABSOLUTE_JOINING;
        return DownstreamFetch.request(type, null, null, null, f.joining().joiningRequestId(),
            f.joining().joiningStart());
    }

    /** Draft 14 refuses new subscriptions and namespaces once going away; fetches and the rest are still served. */
    @Override
    public boolean refusedWhenGoingAway(final RequestKind kind)
    {
        return kind == RequestKind.SUBSCRIBE || kind == RequestKind.PUBLISH_NAMESPACE;
    }

    // ---- the relay's own requests

    @Override
    public ControlMessage subscribe(final long requestId, final FullTrackName track, final boolean forward)
    {
        return new Subscribe(requestId, track.namespace(), track.name(), PRIORITY, GroupOrder.PUBLISHER_DEFAULT,
            forward, SubscriptionFilter.largestObject(), MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage forwardUpdate(final long requestId, final long subscriptionRequestId, final Location start,
        final boolean forward)
    {
        return new SubscribeUpdate(requestId, subscriptionRequestId, start, 0, PRIORITY, forward,
            MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage unsubscribe(final long subscriptionRequestId)
    {
        return new Unsubscribe(subscriptionRequestId);
    }

    @Override
    public ControlMessage fetch(final long requestId, final moq.relay.engine.UpstreamFetch fetch)
    {
        return Fetch.standalone(requestId, fetch.subscriberPriority(), GroupOrder.ASCENDING,
            new moq.relay.wire.d14.StandaloneFetch(fetch.track().namespace(), fetch.track().name(), fetch.start(),
                fetch.end()), MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage fetchCancel(final long requestId)
    {
        return new FetchCancel(requestId);
    }

    @Override
    public ControlMessage publishNamespace(final long requestId, final TrackNamespace namespace)
    {
        return new PublishNamespace(requestId, namespace, MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage publishNamespaceDone(final TrackNamespace namespace)
    {
        return new PublishNamespaceDone(namespace);
    }

    @Override
    public ControlMessage publishAccepted(final long requestId, final boolean forward)
    {
        return new PublishOk(requestId, forward, PRIORITY, GroupOrder.ASCENDING, SubscriptionFilter.largestObject(),
            MessageParameters.EMPTY);
    }

    // ---- answers

    @Override
    public ControlMessage subscribeOk(final long requestId, final long trackAlias, final Location largest,
        final List<KeyValuePair> properties)
    {
        return new SubscribeOk(requestId, trackAlias, 0, GroupOrder.ASCENDING, largest, MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage fetchOk(final long requestId, final moq.relay.engine.GroupOrder order,
        final boolean endOfTrack, final Location end, final List<KeyValuePair> properties)
    {
        return new FetchOk(requestId, order == moq.relay.engine.GroupOrder.DESCENDING ? GroupOrder.DESCENDING :
            GroupOrder.ASCENDING, endOfTrack, end, MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage trackStatusOk(final long requestId, final Location largest,
        final List<KeyValuePair> properties)
    {
        return new TrackStatusOk(requestId, 0, 0, GroupOrder.ASCENDING, largest, MessageParameters.EMPTY);
    }

    @Override
    public ControlMessage ok(final RequestKind kind, final long requestId)
    {
        return kind == RequestKind.PUBLISH_NAMESPACE ? new PublishNamespaceOk(requestId) :
            new SubscribeNamespaceOk(requestId);
    }

    @Override
    public ControlMessage error(final RequestKind kind, final long requestId, final RequestErrorCode code,
        final String why)
    {
        switch (kind)
        {
            case SUBSCRIBE:
                return new SubscribeError(requestId, Draft14Codes.subscribeError(code), reason(why));
            case FETCH:
                return new FetchError(requestId, Draft14Codes.fetchError(code), reason(why));
            case TRACK_STATUS:
                return new TrackStatusError(requestId, Draft14Codes.subscribeError(code), reason(why));
            case PUBLISH:
                return new PublishError(requestId, Draft14Codes.publishError(code), reason(why));
            case PUBLISH_NAMESPACE:
                return new PublishNamespaceError(requestId, Draft14Codes.namespaceError(code), reason(why));
            case SUBSCRIBE_NAMESPACE:
                return new SubscribeNamespaceError(requestId, Draft14Codes.namespaceError(code), reason(why));
            default:
                throw new IllegalArgumentException(kind + " has no answer of its own in draft 14");
        }
    }

    @Override
    public ControlMessage publishDone(final long requestId, final PublishDoneStatus status, final long streamCount,
        final String why)
    {
        return new PublishDone(requestId, Draft14Codes.publishDone(status), streamCount, reason(why));
    }

    @Override
    public ControlMessage namespaceGrantExpired(final TrackNamespace namespace)
    {
        return new PublishNamespaceCancel(namespace,
            AuthFailure.EXPIRED_AUTH_TOKEN.requestErrorCode(Draft.DRAFT_14, false), reason("authorization expired"));
    }

    private static Bytes reason(final String reason)
    {
        return Bytes.utf8(MoqtSession.truncate(reason));
    }
}
