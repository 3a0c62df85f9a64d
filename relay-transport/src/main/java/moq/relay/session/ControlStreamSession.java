package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.HashMap;
import java.util.Map;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.Session;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.request.PeerRequest;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.data.StreamType;

/**
 * A MoQT server session of a control-stream draft (14, its {@link ControlStreamDialect}) over a {@link MoqTransport}:
 * the client's first bidirectional stream is the control stream (CLIENT_SETUP, SERVER_SETUP after version
 * negotiation), every request travels on it with its request id, and MAX_REQUEST_ID bounds both sides' requests
 * ({@link ControlStreamRequestIds}, {@link OwnRequests}). It keeps setup, stream routing and request-id checks: the dialect
 * reads each message into a {@link ControlStreamMessage}, a request becomes its machine ({@link PeerRequests},
 * answered by {@link ControlStreamReplies}), the rest is routed by request id or namespace. It is the engine's
 * {@link Publisher} for what the peer publishes ({@link ControlStreamUpstreamTrack}). Event-loop confined; engine
 * callbacks hop onto the event loop.
 */
final class ControlStreamSession extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlStreamSession.class);
    /** Relay-side requests waiting for the peer's MAX_REQUEST_ID, at most. */
    private static final int MAX_BLOCKED_REQUESTS = 1024;

    /** A SUBSCRIBE_NAMESPACE of the peer's, kept by prefix; @moq/lite's UNSUBSCRIBE_NAMESPACE names its id. */
    private record NamespaceSubscription(long requestId, PeerRequest request)
    {
    }

    private final ControlStreamDialect dialect;
    private final ControlMessages messages;
    /** The peer's subscriptions by request id (UNSUBSCRIBE and SUBSCRIBE_UPDATE name it). */
    private final Map<Long, PeerRequest> subscriptions = new HashMap<>();
    /** The peer's fetches by request id (FETCH_CANCEL names it). */
    private final Map<Long, PeerRequest> fetches = new HashMap<>();
    /** The relay's upstream FETCHes awaiting FETCH_OK / FETCH_ERROR, and those whose fetch stream has not begun. */
    private final Map<Long, ControlStreamUpstreamFetch> upstreamFetchAnswers = new HashMap<>();
    private final Map<Long, moq.relay.engine.UpstreamFetch> upstreamFetchStreams = new HashMap<>();
    /** The peer's PUBLISH_NAMESPACEs by namespace (PUBLISH_NAMESPACE_DONE names it). */
    private final Map<TrackNamespace, PeerRequest> namespaces = new HashMap<>();
    /**
     * The peer's SUBSCRIBE_NAMESPACE requests by prefix: draft-14 UNSUBSCRIBE_NAMESPACE names the prefix, not the id
     * (@moq/lite's names the id, and is looked up by value: a few entries).
     */
    private final Map<TrackNamespace, NamespaceSubscription> namespaceSubscriptions = new HashMap<>();
    /** The relay's own requests (SUBSCRIBE, its updates, PUBLISH_NAMESPACE) waiting for the peer's MAX_REQUEST_ID. */
    private final OwnRequests ownRequests;
    /** Namespaces the relay announces to the peer for its SUBSCRIBE_NAMESPACE (sent, or queued for a request id). */
    private final ControlStreamAnnouncements announcements;
    /** The peer's request ids under the MAX_REQUEST_ID the relay grants. */
    private final ControlStreamRequestIds peerRequestIds;
    /** Keeps each request the peer opens in the table its cancel message looks up. */
    private final PeerRequests.Table table = this::keep;
    private QuicStreamChannel control;
    /** Reads the control stream; its codec becomes the peer's ({@link ControlStreamDialect#codec(PeerQuirks)}) at setup. */
    private ControlMessageReader controlReader;
    /** What this peer's implementation needs beyond the draft (known from its CLIENT_SETUP). */
    private PeerQuirks quirks = PeerQuirks.NONE;

    ControlStreamSession(final MoqTransport transport, final Session engine, final SessionSettings settings,
        final ControlStreamDialect dialect)
    {
        super(transport, engine, settings, dialect.draft());
        this.dialect = dialect;
        this.messages = new ControlMessages(dialect.codec(), controlLog);
        this.ownRequests = new OwnRequests(MAX_BLOCKED_REQUESTS, max -> send(dialect.requestsBlocked(max)));
        this.announcements = new ControlStreamAnnouncements(dialect, ownRequests, this::send, () -> closed);
        this.peerRequestIds = new ControlStreamRequestIds(settings.requestWindow(),
            max -> send(dialect.maxRequestId(max)));
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
        controlReader = new ControlMessageReader(dialect.codec(), new ControlStream(), this::fail, controlBytes,
            controlLog);
        stream.pipeline().addLast(controlReader);
    }

    @Override
    ChannelHandler route(final QuicStreamChannel stream, final long type)
    {
        final StreamType kind = StreamType.of(dialect.draft(), type);
        if (kind == StreamType.SUBGROUP)
        {
            return subgroupIngest();
        }
        if (kind == StreamType.FETCH)
        {
            // The answer to one of the relay's upstream FETCHes; one for no such fetch is stopped.
            return new moq.relay.session.request.UpstreamFetchStream(dialect.draft(), upstreamFetchStreams::remove,
                settings.maxObjectProperties(), settings.maxObjectPayload(), this::reserveGathered,
                this::releaseGathered);
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
                send(dialect.goaway(newSessionUri));
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
                setup(dialect.acceptSetup(m));
                return;
            }
            handle(dialect.read(m, quirks));
            if (engine.requestRateAbused())
            {
                throw new WireException(SessionError.INTERNAL_ERROR, REQUEST_RATE_ABUSED);
            }
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

    private void setup(final ControlStreamDialect.PeerSetup setup) throws WireException
    {
        settings.setupTarget().check(transport.overWebTransport(), setup.path(), setup.authority());
        authorizeSetup(setup.path(), setup.tokens());
        moq.relay.cluster.PeerRelays.markIfRelay(engine, setup.path()); // cluster hook (docs/cluster.md)
        quirks = dialect.quirks(setup.implementation());
        controlReader.codec(dialect.codec(quirks)); // from the next message on
        if (quirks.lateRequestIds())
        {
            peerRequestIds.allowLateIds();
        }
        setupDone = true;
        LOG.info("MoQT session of peer {}: CLIENT_SETUP done, draft-{} (version 0x{}), implementation '{}', " +
            "quirks {}", peer, dialect.draft().number(), Long.toHexString(setup.version()), quirks.implementation(),
            quirks);
        send(dialect.serverSetup(setup.version(), peerRequestIds.granted(), auth().advertisedCacheBytes()));
        ownRequests.open(setup.maxRequestId());
        if (goingAway)
        {
            send(dialect.goaway(""));
        }
    }

    private void handle(final ControlStreamMessage m) throws WireException
    {
        if (m instanceof ControlStreamMessage.Request r)
        {
            peerRequestIds.admit(r.opening().requestId());
            request(r.opening());
        }
        else if (m instanceof ControlStreamMessage.Update u)
        {
            if (peerRequestIds.neverUsed(u.subscriptionRequestId()))
            {
                // draft-14 §"SUBSCRIBE_UPDATE": "a request ID that has not existed within the Session"
                throw WireException.protocolViolation("SUBSCRIBE_UPDATE of request " + u.subscriptionRequestId() +
                    ", an id the peer never used");
            }
            peerRequestIds.admit(u.requestId()); // its own Request ID: the next one, as for any request
            final PeerRequest subscription = subscriptions.get(u.subscriptionRequestId());
            if (subscription != null && subscription.updateAuthorized(u.tokens()))
            {
                subscription.update(u.forward(), u.subscriberPriority());
            }
        }
        else if (m instanceof ControlStreamMessage.Cancel c)
        {
            cancel(c);
        }
        else if (m instanceof ControlStreamMessage.CancelNamespace c)
        {
            if (c.kind() == RequestKind.PUBLISH_NAMESPACE)
            {
                final PeerRequest namespace = namespaces.remove(c.namespace());
                if (namespace != null)
                {
                    namespace.cancel();
                }
            }
            else
            {
                unsubscribeNamespace(c.namespace());
            }
        }
        else if (m instanceof ControlStreamMessage.Answer a)
        {
            answer(a.requestId(), a.answer());
        }
        else if (m instanceof ControlStreamMessage.MaxRequestId max)
        {
            ownRequests.maxRequestId(max.maxRequestId());
        }
        else if (m instanceof ControlStreamMessage.Goaway)
        {
            goAway("");
        }
        else if (m instanceof ControlStreamMessage.Ignored i)
        {
            LOG.debug("draft-{} peer {}: ignoring {}", dialect.draft().number(), peer, i.name());
        }
    }

    /** UNSUBSCRIBE, FETCH_CANCEL, and @moq/lite's UNSUBSCRIBE_NAMESPACE by request id; an unknown id is ignored. */
    private void cancel(final ControlStreamMessage.Cancel c)
    {
        if (c.kind() == RequestKind.SUBSCRIBE_NAMESPACE)
        {
            namespaceSubscriptions.entrySet().stream().filter(e -> e.getValue().requestId() == c.requestId())
                .map(Map.Entry::getKey).findFirst().ifPresent(this::unsubscribeNamespace);
            return;
        }
        final PeerRequest request = (c.kind() == RequestKind.FETCH ? fetches : subscriptions)
            .get(c.requestId());
        if (request != null)
        {
            request.cancel();
        }
    }

    /** SUBSCRIBE_OK or SUBSCRIBE_ERROR of the relay's SUBSCRIBE, PUBLISH_DONE of a track the peer sends. */
    private void answer(final long requestId, final RequestMessage answer) throws WireException
    {
        final ControlStreamUpstreamFetch fetch = upstreamFetchAnswers.get(requestId);
        if (fetch != null)
        {
            fetch.answered(answer);
            return;
        }
        final UpstreamTrack track = upstreams.byRequestId(requestId);
        if (track == null)
        {
            return;
        }
        if (answer instanceof RequestMessage.Done d)
        {
            track.publishDone(d.streamCount(), d.status(), d.reason());
        }
        else if (answer instanceof RequestMessage.SubscribeOk ok && track.state() == UpstreamTrack.State.REQUESTED)
        {
            track.accepted(ok.trackAlias(), ok.largest(), ok.properties());
        }
        else if (answer instanceof RequestMessage.Error e && track.state() == UpstreamTrack.State.REQUESTED)
        {
            track.rejected(e.code(), e.reason());
        }
    }

    /** Ends the peer's SUBSCRIBE_NAMESPACE of {@code prefix}, if it has one: no more announcements under it. */
    private void unsubscribeNamespace(final TrackNamespace prefix)
    {
        final NamespaceSubscription subscription = namespaceSubscriptions.remove(prefix);
        if (subscription != null)
        {
            subscription.request().cancel();
            announcements.forgetUnder(prefix);
        }
    }

    // ---- the peer's requests

    private void request(final RequestMessage.Opening r)
    {
        final RequestKind kind = r.kind();
        final long id = r.requestId();
        final ControlStreamReplies replies = r instanceof RequestMessage.SubscribeNamespace n ?
            new ControlStreamReplies(dialect, this::send, kind, id, n.prefix(), announcements) :
            new ControlStreamReplies(dialect, this::send, kind, id);
        if (goingAway && dialect.refusedWhenGoingAway(kind))
        {
            refusedBeforeEngine(r.kind(), RequestErrorCode.GOING_AWAY);
            replies.error(RequestErrorCode.GOING_AWAY, "going away");
        }
        else if (r instanceof RequestMessage.Refused refused)
        {
            refusedBeforeEngine(refused.kind(), refused.code());
            PeerRequests.start(this, r, replies, table);
        }
        else if (r instanceof RequestMessage.Publish p)
        {
            publish(p, replies);
        }
        else
        {
            PeerRequests.start(this, r, replies, table);
        }
    }

    /**
     * Keeps a request in the table its cancel names: subscriptions and fetches by id, PUBLISH_NAMESPACE by namespace,
     * SUBSCRIBE_NAMESPACE by prefix (draft-14 §"SUBSCRIBE_NAMESPACE": the relay then announces each match with a
     * PUBLISH_NAMESPACE of its own, {@link ControlStreamAnnouncements}).
     */
    private Runnable keep(final RequestMessage.Opening r, final PeerRequest request)
    {
        final long id = r.requestId();
        if (r instanceof RequestMessage.Subscribe)
        {
            subscriptions.put(id, request);
            return () -> subscriptions.remove(id);
        }
        if (r instanceof RequestMessage.Fetch)
        {
            fetches.put(id, request);
            return () -> fetches.remove(id);
        }
        if (r instanceof RequestMessage.PublishNamespace p)
        {
            namespaces.put(p.namespace(), request);
            return () -> namespaces.remove(p.namespace(), request);
        }
        if (r instanceof RequestMessage.SubscribeNamespace n)
        {
            final NamespaceSubscription subscription = new NamespaceSubscription(id, request);
            namespaceSubscriptions.putIfAbsent(n.prefix(), subscription);
            return () -> namespaceSubscriptions.remove(n.prefix(), subscription);
        }
        return () -> { }; // TRACK_STATUS: answered once
    }

    private void publish(final RequestMessage.Publish p, final ControlStreamReplies replies)
    {
        final long id = p.requestId();
        final UpstreamSubscription up = UpstreamTrack.publish(this, id, p.track(), p.properties(), p.largest(), this,
            replies, p.tokens());
        if (up == null)
        {
            return;
        }
        final ControlStreamUpstreamTrack track = upstreamTrack(up);
        final boolean forward = track.published(id, p.trackAlias(), p.largest());
        // Forward follows downstream demand: 0 while nobody subscribes, then an update as demand changes.
        send(dialect.publishAccepted(id, forward));
        aliasKnown(p.trackAlias());
    }

    // ---- the engine as subscriber of what the peer publishes

    @Override
    void subscribeUpstream(final UpstreamSubscription subscription)
    {
        final ControlStreamUpstreamTrack track = upstreamTrack(subscription);
        if (!track.subscribe())
        {
            track.end();
            subscription.reject(RequestErrorCode.EXCESSIVE_LOAD, "too many requests wait for MAX_REQUEST_ID");
        }
    }

    /** The engine's upstream FETCH of what the peer publishes: a FETCH on the control stream. */
    @Override
    public boolean fetch(final moq.relay.engine.UpstreamFetch fetch)
    {
        onLoop(() ->
        {
            if (closed || !new ControlStreamUpstreamFetch(this, dialect, fetch, this::send,
                upstreamFetchAnswers, upstreamFetchStreams).send(ownRequests))
            {
                fetch.reject(RequestErrorCode.EXCESSIVE_LOAD, closed ? "publisher session closed" :
                    "too many requests wait for MAX_REQUEST_ID");
            }
        });
        return true;
    }

    private ControlStreamUpstreamTrack upstreamTrack(final UpstreamSubscription subscription)
    {
        return new ControlStreamUpstreamTrack(this, upstreams, subscription, dialect, ownRequests, this::send);
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
