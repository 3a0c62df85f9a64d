package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.ingest.SubgroupIngestHandler;
import moq.relay.session.request.DownstreamFetch;
import moq.relay.session.request.DownstreamSubscribe;
import moq.relay.session.request.NamespaceRequest;
import moq.relay.session.request.SessionAuth;
import moq.relay.session.request.TrackStatusRequest;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.Fetch;
import moq.relay.wire.d14.FetchType;
import moq.relay.wire.d14.Goaway;
import moq.relay.wire.d14.MaxRequestId;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.Publish;
import moq.relay.wire.d14.PublishDone;
import moq.relay.wire.d14.PublishError;
import moq.relay.wire.d14.PublishNamespace;
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
import moq.relay.wire.d14.SubscribeOk;
import moq.relay.wire.d14.TrackStatus;
import moq.relay.wire.d14.Unsubscribe;
import moq.relay.wire.d14.UnsubscribeNamespace;
import moq.relay.wire.d14.UnsubscribeNamespaceRequest;
import moq.relay.wire.d14.VersionNegotiation;
import moq.relay.wire.data.StreamType;

/**
 * A draft-14 MoQT server session over a {@link MoqTransport}: the client's first bidirectional stream is the control
 * stream (CLIENT_SETUP, SERVER_SETUP after version negotiation), every request travels on it with its request id,
 * and MAX_REQUEST_ID bounds both sides' requests ({@link Draft14RequestIds}, {@link OwnRequests}). It routes each
 * message onto its request's machine ({@code moq.relay.session.request}), answered by {@link Draft14Replies}, and is
 * the engine's {@link Publisher} for what the peer publishes ({@link Draft14UpstreamTrack}). Event-loop confined;
 * engine callbacks hop onto the event loop.
 */
final class Draft14Session extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Draft14Session.class);
    /** Relay-side requests waiting for the peer's MAX_REQUEST_ID, at most. */
    private static final int MAX_BLOCKED_REQUESTS = 1024;

    private final ControlMessages messages = new ControlMessages(Draft14ControlCodec.INSTANCE, controlLog);
    /** The peer's subscriptions by request id (UNSUBSCRIBE and SUBSCRIBE_UPDATE name it). */
    private final Map<Long, DownstreamSubscribe> subscriptions = new HashMap<>();
    /** The peer's fetches by request id (FETCH_CANCEL names it). */
    private final Map<Long, DownstreamFetch> fetches = new HashMap<>();
    /** The peer's PUBLISH_NAMESPACEs by namespace (PUBLISH_NAMESPACE_DONE names it). */
    private final Map<TrackNamespace, NamespaceRequest> namespaces = new HashMap<>();
    /** The relay's own requests (SUBSCRIBE, SUBSCRIBE_UPDATE, PUBLISH_NAMESPACE) waiting for the peer's MAX_REQUEST_ID. */
    private final OwnRequests ownRequests = new OwnRequests(MAX_BLOCKED_REQUESTS,
        max -> send(new RequestsBlocked(max)));
    /**
     * The peer's SUBSCRIBE_NAMESPACE requests by prefix: draft-14 UNSUBSCRIBE_NAMESPACE names the prefix, not the id
     * (@moq/lite's names the id, and is looked up by value: a few entries).
     */
    private final Map<TrackNamespace, NamespaceRequest> namespaceSubscriptions = new HashMap<>();
    /** Namespaces the relay announces to the peer for its SUBSCRIBE_NAMESPACE (sent, or queued for a request id). */
    private final Draft14Announcements announcements = new Draft14Announcements(ownRequests, this::send,
        () -> closed);
    /** The peer's request ids under the MAX_REQUEST_ID the relay grants. */
    private final Draft14RequestIds peerRequestIds;
    private QuicStreamChannel control;
    /** Reads the control stream; its codec becomes the peer's ({@link PeerQuirks#draft14Codec()}) at CLIENT_SETUP. */
    private ControlMessageReader controlReader;
    /** What this peer's implementation needs beyond the draft (known from its CLIENT_SETUP). */
    private PeerQuirks quirks = PeerQuirks.NONE;
    private long nextAlias = 1;

    Draft14Session(final MoqTransport transport, final Session engine, final SessionSettings settings)
    {
        super(transport, engine, settings, Draft14Dialect.INSTANCE.draft());
        this.peerRequestIds = new Draft14RequestIds(settings.requestWindow(), max -> send(new MaxRequestId(max)));
    }

    void start()
    {
        logOpen();
    }

    // ---- transport events

    @Override
    void bidirectionalStreamOpened(final QuicStreamChannel stream)
    {
        if (control != null)
        {
            fail(SessionError.PROTOCOL_VIOLATION, "a second bidirectional stream");
            return;
        }
        control = stream;
        controlReader = new ControlMessageReader(Draft14ControlCodec.INSTANCE, new ControlStream(), this::fail,
            controlBytes, controlLog);
        stream.pipeline().addLast(controlReader);
    }

    @Override
    ChannelHandler route(final QuicStreamChannel stream, final long type)
    {
        final StreamType kind = StreamType.of(Draft.DRAFT_14, type);
        if (kind == StreamType.SUBGROUP)
        {
            return new SubgroupIngestHandler(Draft.DRAFT_14, this, settings.maxObjectProperties(),
                settings.maxObjectPayload(), settings.unknownAliasWaitMillis());
        }
        fail(SessionError.PROTOCOL_VIOLATION, (kind == StreamType.UNKNOWN ? "unknown stream type 0x" :
            "unexpected stream type 0x") + Long.toHexString(type));
        return null;
    }

    @Override
    public void goAway(final String newSessionUri)
    {
        if (!goingAway)
        {
            goingAway = true;
            if (setupDone)
            {
                send(new Goaway(Bytes.utf8(newSessionUri)));
            }
        }
    }

    private void send(final ControlMessage m)
    {
        if (!closed && control != null && control.isActive())
        {
            control.writeAndFlush(messages.encode(m));
        }
    }

    private static Bytes reason(final String reason)
    {
        return Bytes.utf8(truncate(reason));
    }

    // ---- the control stream

    private final class ControlStream implements ControlMessageReader.Sink
    {
        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (closed)
            {
                return;
            }
            if (!setupDone)
            {
                if (!(m instanceof ClientSetup))
                {
                    throw WireException.protocolViolation("the control stream must start with CLIENT_SETUP");
                }
                final ClientSetup setup = (ClientSetup)m;
                final long version = VersionNegotiation.select(setup);
                settings.setupTarget().check(transport.overWebTransport(), setup.parameters().path(),
                    setup.parameters().authority());
                authorizeSetup(setup.parameters().path(), SessionAuth.draft14(setup.parameters().authorizationTokens()));
                quirks = Draft14Dialect.INSTANCE.quirks(setup.parameters().implementation());
                controlReader.codec(Draft14Dialect.INSTANCE.codec(quirks)); // from the next message on
                if (quirks.lateRequestIds())
                {
                    peerRequestIds.allowLateIds();
                }
                setupDone = true;
                LOG.info("MoQT session of peer {}: CLIENT_SETUP done, draft-14 (version 0x{}), implementation '{}', " +
                    "quirks {}", peer, Long.toHexString(version), quirks.implementation(), quirks);
                send(new ServerSetup(version, SetupParameters.builder().maxRequestId(peerRequestIds.granted())
                    .maxAuthTokenCacheSize(auth().advertisedCacheBytes()).build()));
                ownRequests.open(setup.parameters().maxRequestId());
                if (goingAway)
                {
                    send(new Goaway(Bytes.EMPTY));
                }
                return;
            }
            handle(m);
        }

        @Override
        public void onEnd()
        {
            if (!closed)
            {
                fail(SessionError.PROTOCOL_VIOLATION, "control stream closed");
            }
        }
    }

    private void handle(final ControlMessage m) throws WireException
    {
        if (m instanceof Subscribe s)
        {
            peerRequestIds.admit(s.requestId());
            subscribe(s);
        }
        else if (m instanceof PublishNamespace p)
        {
            peerRequestIds.admit(p.requestId());
            publishNamespace(p);
        }
        else if (m instanceof Publish p)
        {
            peerRequestIds.admit(p.requestId());
            publish(p);
        }
        else if (m instanceof Unsubscribe u)
        {
            final DownstreamSubscribe subscription = subscriptions.get(u.requestId());
            if (subscription != null)
            {
                subscription.cancel();
            }
        }
        else if (m instanceof moq.relay.wire.d14.SubscribeUpdate u)
        {
            // Forward state and subscriber priority are applied; filter changes are not (the engine has none yet).
            peerRequestIds.admit(u.requestId());
            final DownstreamSubscribe subscription = subscriptions.get(u.subscriptionRequestId());
            if (subscription != null && subscription.updateAuthorized(SessionAuth.draft14(
                u.parameters().authorizationTokens(moq.relay.wire.d14.MessageType.SUBSCRIBE_UPDATE))))
            {
                subscription.update(u.forward(), u.subscriberPriority());
            }
        }
        else if (m instanceof PublishNamespaceDone d)
        {
            final NamespaceRequest namespace = namespaces.remove(d.trackNamespace());
            if (namespace != null)
            {
                namespace.cancel();
            }
        }
        else if (m instanceof PublishDone d)
        {
            final UpstreamTrack track = upstreams.byRequestId(d.requestId());
            if (track != null)
            {
                track.publishDone(d.streamCount() == PublishDone.UNKNOWN_STREAM_COUNT ? 0 : d.streamCount(),
                    Draft14Codes.fromPublishDone(d.statusCode()), d.reason().toString());
            }
        }
        else if (m instanceof SubscribeOk ok)
        {
            final UpstreamTrack track = upstreams.byRequestId(ok.requestId());
            if (track != null && track.state() == UpstreamTrack.State.REQUESTED)
            {
                track.accepted(ok.trackAlias(), ok.largestLocation(), List.of());
            }
        }
        else if (m instanceof SubscribeError e)
        {
            final UpstreamTrack track = upstreams.byRequestId(e.requestId());
            if (track != null && track.state() == UpstreamTrack.State.REQUESTED)
            {
                track.rejected(Draft14Codes.fromSubscribeError(e.errorCode()), e.reason().toString());
            }
        }
        else if (m instanceof MaxRequestId max)
        {
            ownRequests.maxRequestId(max.requestId());
        }
        else if (m instanceof Goaway)
        {
            goAway("");
        }
        else if (m instanceof Fetch f)
        {
            peerRequestIds.admit(f.requestId());
            fetch(f);
        }
        else if (m instanceof moq.relay.wire.d14.FetchCancel c)
        {
            final DownstreamFetch fetch = fetches.get(c.requestId());
            if (fetch != null)
            {
                fetch.cancel();
            }
        }
        else if (m instanceof TrackStatus t)
        {
            peerRequestIds.admit(t.requestId());
            new TrackStatusRequest(this, new Draft14Replies(this::send, Draft14Replies.Kind.TRACK_STATUS,
                t.requestId())).tokens(SessionAuth.draft14(t.parameters().authorizationTokens(
                    moq.relay.wire.d14.MessageType.TRACK_STATUS))).start(new FullTrackName(t.trackNamespace(), t.trackName()));
        }
        else if (m instanceof SubscribeNamespace n)
        {
            peerRequestIds.admit(n.requestId());
            subscribeNamespace(n);
        }
        else if (m instanceof UnsubscribeNamespace u)
        {
            unsubscribeNamespace(u.trackNamespacePrefix());
        }
        else if (m instanceof UnsubscribeNamespaceRequest u)
        {
            // Only @moq/lite's codec reads this form (PeerQuirks#draft14Codec): the prefix its request id subscribed.
            // An id that names no namespace subscription is ignored, as an unknown prefix is.
            namespaceSubscriptions.entrySet().stream().filter(e -> e.getValue().requestId() == u.requestId())
                .map(Map.Entry::getKey).findFirst().ifPresent(this::unsubscribeNamespace);
        }
        else if (m instanceof RequestsBlocked || m instanceof PublishOk || m instanceof PublishError ||
            m instanceof PublishNamespaceOk || m instanceof PublishNamespaceError)
        {
            // nothing to do: an announcement the peer refuses is simply not used; blocked peers get MAX_REQUEST_ID anyway
        }
        else
        {
            LOG.debug("draft-14 peer {}: ignoring {}", peer, m.getClass().getSimpleName());
        }
        if (engine.requestRateAbused())
        {
            throw new WireException(SessionError.INTERNAL_ERROR, REQUEST_RATE_ABUSED);
        }
    }

    /** Ends the peer's SUBSCRIBE_NAMESPACE of {@code prefix}, if it has one: no more announcements under it. */
    private void unsubscribeNamespace(final TrackNamespace prefix)
    {
        final NamespaceRequest subscription = namespaceSubscriptions.remove(prefix);
        if (subscription != null)
        {
            subscription.cancel();
            announcements.forgetUnder(prefix);
        }
    }

    // ---- the peer's requests

    private void subscribe(final Subscribe s)
    {
        final long id = s.requestId();
        if (goingAway)
        {
            send(new SubscribeError(id, 0x0, reason("going away")));
            return;
        }
        final DownstreamSubscribe subscription = new DownstreamSubscribe(this, id, nextAlias++,
            new Draft14Replies(this::send, Draft14Replies.Kind.SUBSCRIBE, id), false, () -> subscriptions.remove(id));
        subscriptions.put(id, subscription);
        subscription.tokens(SessionAuth.draft14(s.parameters().authorizationTokens(
            moq.relay.wire.d14.MessageType.SUBSCRIBE)));
        subscription.start(new FullTrackName(s.trackNamespace(), s.trackName()), new SubscribeOptions(
            quirks.subscriptionFilter(Codes.filter(s.filter())), s.forward(), s.subscriberPriority(),
            Codes.groupOrder(s.groupOrder()), true, 0));
    }

    private void fetch(final Fetch f)
    {
        final long id = f.requestId();
        final DownstreamFetch.Type type = f.fetchType() == FetchType.STANDALONE ? DownstreamFetch.Type.STANDALONE
            : f.fetchType() == FetchType.RELATIVE_JOINING ? DownstreamFetch.Type.RELATIVE_JOINING
            : DownstreamFetch.Type.ABSOLUTE_JOINING;
        final FetchRequest request = type == DownstreamFetch.Type.STANDALONE
            ? DownstreamFetch.request(type, new FullTrackName(f.standalone().trackNamespace(),
                f.standalone().trackName()), f.standalone().start(), f.standalone().end(), 0, 0)
            : DownstreamFetch.request(type, null, null, null, f.joining().joiningRequestId(),
                f.joining().joiningStart());
        final DownstreamFetch fetch = new DownstreamFetch(this, id,
            new Draft14Replies(this::send, Draft14Replies.Kind.FETCH, id), () -> fetches.remove(id));
        fetches.put(id, fetch);
        fetch.tokens(SessionAuth.draft14(f.parameters().authorizationTokens(moq.relay.wire.d14.MessageType.FETCH)));
        fetch.start(request, Codes.groupOrder(f.groupOrder()));
    }

    /**
     * SUBSCRIBE_NAMESPACE (draft-14 §"SUBSCRIBE_NAMESPACE"): SUBSCRIBE_NAMESPACE_OK, then PUBLISH_NAMESPACE for every
     * matching namespace, now and later, and PUBLISH_NAMESPACE_DONE when one is withdrawn. Each PUBLISH_NAMESPACE is a
     * request of the relay's own, so it waits for the peer's MAX_REQUEST_ID like the relay's SUBSCRIBEs. The engine
     * refuses a prefix that overlaps another of this session's (NAMESPACE_PREFIX_OVERLAP).
     */
    private void subscribeNamespace(final SubscribeNamespace s)
    {
        final long id = s.requestId();
        final TrackNamespace prefix = s.trackNamespacePrefix();
        if (prefix.size() == 0 && !quirks.emptyNamespacePrefix())
        {
            // Draft-14 has no empty prefix (it says close the session); one bad request must not end a call.
            refusedBeforeEngine(s, RequestErrorCode.NOT_SUPPORTED);
            send(new SubscribeNamespaceError(id, Draft14Codes.namespaceError(RequestErrorCode.NOT_SUPPORTED),
                reason("an empty namespace prefix is not allowed in draft-14")));
            return;
        }
        final NamespaceRequest[] holder = new NamespaceRequest[1];
        final NamespaceRequest subscription = new NamespaceRequest(this, id, new Draft14Replies(this::send,
            Draft14Replies.Kind.SUBSCRIBE_NAMESPACE, id, prefix, announcements),
            () -> namespaceSubscriptions.remove(prefix, holder[0]));
        holder[0] = subscription;
        namespaceSubscriptions.putIfAbsent(prefix, subscription);
        subscription.tokens(SessionAuth.draft14(s.parameters().authorizationTokens(
            moq.relay.wire.d14.MessageType.SUBSCRIBE_NAMESPACE)));
        subscription.subscribeNamespace(prefix);
    }

    private void publishNamespace(final PublishNamespace p)
    {
        final long id = p.requestId();
        if (goingAway)
        {
            send(new PublishNamespaceError(id, 0x0, reason("going away")));
            return;
        }
        final TrackNamespace namespace = p.trackNamespace();
        final NamespaceRequest[] holder = new NamespaceRequest[1];
        final NamespaceRequest registration = new NamespaceRequest(this, id,
            new Draft14Replies(this::send, Draft14Replies.Kind.PUBLISH_NAMESPACE, id),
            () -> namespaces.remove(namespace, holder[0]));
        holder[0] = registration;
        namespaces.put(namespace, registration);
        registration.tokens(SessionAuth.draft14(p.parameters().authorizationTokens(
            moq.relay.wire.d14.MessageType.PUBLISH_NAMESPACE)));
        registration.publishNamespace(namespace, this);
    }

    private void publish(final Publish p)
    {
        final long id = p.requestId();
        final UpstreamSubscription up = UpstreamTrack.publish(this, id,
            new FullTrackName(p.trackNamespace(), p.trackName()), List.of(), p.largestLocation(), this,
            new Draft14Replies(this::send, Draft14Replies.Kind.PUBLISH, id),
            SessionAuth.draft14(p.parameters().authorizationTokens(moq.relay.wire.d14.MessageType.PUBLISH)));
        if (up == null)
        {
            return;
        }
        final Draft14UpstreamTrack track = new Draft14UpstreamTrack(this, upstreams, up, ownRequests, this::send);
        final boolean forward = track.published(id, p.trackAlias(), p.largestLocation());
        // Forward follows downstream demand: 0 while nobody subscribes, then SUBSCRIBE_UPDATE as demand changes.
        send(new PublishOk(id, forward, 128, moq.relay.wire.d14.GroupOrder.ASCENDING,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
        aliasKnown(p.trackAlias());
    }

    // ---- the engine as subscriber of what the peer publishes

    @Override
    void subscribeUpstream(final UpstreamSubscription subscription)
    {
        final Draft14UpstreamTrack track = new Draft14UpstreamTrack(this, upstreams, subscription, ownRequests,
            this::send);
        if (!track.subscribe())
        {
            track.end();
            subscription.reject(RequestErrorCode.EXCESSIVE_LOAD, "too many requests wait for MAX_REQUEST_ID");
        }
    }

    /**
     * As {@link #ingestFor}: an alias routes only once established, but @moq/lite puts the relay's request id in the
     * alias field, so an object it drops is looked up by request id too.
     */
    @Override
    UpstreamSubscription upstreamFor(final long trackAlias)
    {
        UpstreamTrack track = upstreams.byAlias(trackAlias);
        if (track == null)
        {
            track = upstreams.byRequestId(trackAlias);
        }
        return track == null ? null : track.subscription();
    }
}
