package moq.relay.session;

import moq.relay.session.ingest.SubgroupIngestHandler;
import moq.relay.session.ingest.AliasWaiters;
import moq.relay.session.ingest.PublishDoneGate;
import moq.relay.session.egress.SubgroupStreamWriter;
import moq.relay.session.egress.FetchStreamWriter;

import moq.relay.transport.session.UniStreamClassifier;

import moq.relay.transport.session.ControlMessageReader;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FetchCallback;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.NamespaceListener;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.d14.ClientSetup;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d14.Fetch;
import moq.relay.wire.d14.FetchError;
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
import moq.relay.wire.d14.SubscribeNamespaceOk;
import moq.relay.wire.d14.TrackStatusError;
import moq.relay.wire.d14.Unsubscribe;
import moq.relay.wire.d14.UnsubscribeNamespace;
import moq.relay.wire.d14.UnsubscribeNamespaceRequest;
import moq.relay.wire.d14.VersionNegotiation;
import moq.relay.wire.data.StreamType;

/**
 * A draft-14 MoQT server session over a {@link MoqTransport}: the client's first bidirectional stream is the control
 * stream (CLIENT_SETUP, SERVER_SETUP after version negotiation), every request travels on it with its request id,
 * and MAX_REQUEST_ID bounds both sides' requests. Maps requests onto the engine's {@link Session} and is the
 * engine's {@link Publisher} for what the peer publishes. Error and status codes are mapped from the engine's
 * draft-18 values by {@link Draft14Codes}. Event-loop confined; engine callbacks hop onto the event loop.
 */
final class Draft14Session extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Draft14Session.class);
    /** Relay-side requests waiting for the peer's MAX_REQUEST_ID, at most. */
    private static final int MAX_BLOCKED_REQUESTS = 1024;

    private final ControlMessages messages = new ControlMessages(Draft14ControlCodec.INSTANCE);
    /** The peer's requests by request id: downstream subscriptions, published namespaces and tracks. */
    private final Map<Long, Object> peerRequests = new HashMap<>();
    private final Map<TrackNamespace, Long> namespaces = new HashMap<>();
    private final Map<Long, UpstreamLink> upstreamByAlias = new HashMap<>();
    private final Map<Long, UpstreamLink> upstreamByRequestId = new HashMap<>();
    private final Map<UpstreamSubscription, UpstreamLink> upstreams = new HashMap<>();
    /** The relay's own requests (SUBSCRIBE, SUBSCRIBE_UPDATE, PUBLISH_NAMESPACE) waiting for the peer's MAX_REQUEST_ID. */
    private final OwnRequests ownRequests = new OwnRequests(MAX_BLOCKED_REQUESTS,
        max -> send(new RequestsBlocked(max)));
    /**
     * The peer's SUBSCRIBE_NAMESPACE requests by prefix: draft-14 UNSUBSCRIBE_NAMESPACE names the prefix, not the id
     * (@moq/lite's names the id, and is looked up by value: a few entries).
     */
    private final Map<TrackNamespace, Long> namespaceSubscriptions = new HashMap<>();
    /** Namespaces the relay announces to the peer for its SUBSCRIBE_NAMESPACE (sent, or queued for a request id). */
    private final Map<TrackNamespace, Announcement> announced = new HashMap<>();
    private QuicStreamChannel control;
    /** Reads the control stream; its codec becomes the peer's ({@link PeerQuirks#draft14Codec()}) at CLIENT_SETUP. */
    private ControlMessageReader controlReader;
    private boolean setupDone;
    /** What this peer's implementation needs beyond the draft (known from its CLIENT_SETUP). */
    private PeerQuirks quirks = PeerQuirks.NONE;
    private long nextPeerRequestId;
    /**
     * {@link PeerQuirks#lateRequestIds()} (@moq/lite): ids the peer skipped stay usable once, within the granted
     * window. Null for every other peer, which get draft-14's INVALID_REQUEST_ID for any id below one received.
     */
    private java.util.TreeSet<Long> skippedPeerRequestIds;
    private long grantedToPeer;
    private long nextAlias = 1;

    Draft14Session(final MoqTransport transport, final Session engine, final SessionSettings settings)
    {
        super(transport, engine, settings, Draft.DRAFT_14);
        this.grantedToPeer = 2L * settings.requestWindow();
    }

    void start()
    {
        LOG.info("MoQT session open: peer {} draft-14", peer);
    }

    @Override
    boolean setupComplete()
    {
        return setupDone;
    }

    // ---- transport events

    @Override
    public void streamOpened(final QuicStreamChannel stream)
    {
        if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
        {
            stream.pipeline().addLast(new UniStreamClassifier(Draft.DRAFT_14.varint(), type -> route(type)));
            return;
        }
        if (control != null)
        {
            fail(SessionError.PROTOCOL_VIOLATION, "a second bidirectional stream");
            return;
        }
        control = stream;
        controlReader = new ControlMessageReader(Draft14ControlCodec.INSTANCE, new ControlStream(), this::fail,
            controlBytes);
        stream.pipeline().addLast(controlReader);
    }

    private ChannelHandler route(final long type)
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
                quirks = PeerQuirks.draft14(setup.parameters().implementation());
                controlReader.codec(quirks.draft14Codec()); // from the next message on
                if (quirks.lateRequestIds())
                {
                    skippedPeerRequestIds = new java.util.TreeSet<>();
                }
                setupDone = true;
                LOG.info("MoQT session of peer {}: CLIENT_SETUP done, draft-14 (version 0x{}), implementation '{}', " +
                    "quirks {}", peer, Long.toHexString(version), quirks.implementation(), quirks);
                send(new ServerSetup(version, SetupParameters.builder().maxRequestId(grantedToPeer).build()));
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
        if (m instanceof Subscribe)
        {
            final Subscribe s = (Subscribe)m;
            if (admit(s.requestId()))
            {
                subscribe(s);
            }
        }
        else if (m instanceof PublishNamespace)
        {
            final PublishNamespace p = (PublishNamespace)m;
            if (admit(p.requestId()))
            {
                publishNamespace(p);
            }
        }
        else if (m instanceof Publish)
        {
            final Publish p = (Publish)m;
            if (admit(p.requestId()))
            {
                publish(p);
            }
        }
        else if (m instanceof Unsubscribe)
        {
            final long id = ((Unsubscribe)m).requestId();
            final Object state = peerRequests.remove(id);
            if (state instanceof SubgroupStreamWriter)
            {
                engine.cancel(id);
                ((SubgroupStreamWriter)state).cancelAll();
            }
        }
        else if (m instanceof moq.relay.wire.d14.SubscribeUpdate)
        {
            // Forward state and subscriber priority are applied; filter changes are not (the engine has none yet).
            final moq.relay.wire.d14.SubscribeUpdate u = (moq.relay.wire.d14.SubscribeUpdate)m;
            if (admit(u.requestId()) && peerRequests.get(u.subscriptionRequestId()) instanceof SubgroupStreamWriter)
            {
                engine.updateSubscription(u.subscriptionRequestId(), u.forward(), u.subscriberPriority(),
                    new RequestCallback()
                    {
                        @Override
                        public void ok()
                        {
                        }

                        @Override
                        public void error(final RequestErrorCode code, final String why)
                        {
                            // draft-14 SUBSCRIBE_UPDATE has no answer
                        }
                    });
            }
        }
        else if (m instanceof PublishNamespaceDone)
        {
            final Long id = namespaces.remove(((PublishNamespaceDone)m).trackNamespace());
            if (id != null)
            {
                peerRequests.remove(id);
                engine.cancel(id);
            }
        }
        else if (m instanceof PublishDone)
        {
            final PublishDone d = (PublishDone)m;
            final Object state = peerRequests.get(d.requestId());
            final UpstreamLink link = state instanceof UpstreamLink ? (UpstreamLink)state :
                upstreamByRequestId.get(d.requestId());
            if (link != null)
            {
                link.publishDone(d);
            }
        }
        else if (m instanceof SubscribeOk)
        {
            final SubscribeOk ok = (SubscribeOk)m;
            final UpstreamLink link = upstreamByRequestId.get(ok.requestId());
            if (link != null && !link.established)
            {
                link.accepted(ok.trackAlias(), ok.largestLocation());
            }
        }
        else if (m instanceof SubscribeError)
        {
            final SubscribeError e = (SubscribeError)m;
            final UpstreamLink link = upstreamByRequestId.get(e.requestId());
            if (link != null && !link.established)
            {
                link.end();
                link.subscription.reject(Draft14Codes.fromSubscribeError(e.errorCode()), e.reason().toString());
            }
        }
        else if (m instanceof MaxRequestId)
        {
            ownRequests.maxRequestId(((MaxRequestId)m).requestId());
        }
        else if (m instanceof Goaway)
        {
            goAway("");
        }
        else if (m instanceof Fetch)
        {
            final Fetch f = (Fetch)m;
            if (admit(f.requestId()))
            {
                fetch(f);
            }
        }
        else if (m instanceof moq.relay.wire.d14.FetchCancel)
        {
            final long id = ((moq.relay.wire.d14.FetchCancel)m).requestId();
            final Object state = peerRequests.remove(id);
            if (state instanceof FetchStreamWriter)
            {
                ((FetchStreamWriter)state).cancel();
                engine.cancel(id);
            }
        }
        else if (m instanceof TrackStatus)
        {
            final TrackStatus t = (TrackStatus)m;
            if (admit(t.requestId()))
            {
                trackStatus(t);
            }
        }
        else if (m instanceof SubscribeNamespace)
        {
            final SubscribeNamespace s = (SubscribeNamespace)m;
            if (admit(s.requestId()))
            {
                subscribeNamespace(s);
            }
        }
        else if (m instanceof UnsubscribeNamespace)
        {
            unsubscribeNamespace(((UnsubscribeNamespace)m).trackNamespacePrefix());
        }
        else if (m instanceof UnsubscribeNamespaceRequest)
        {
            // Only @moq/lite's codec reads this form (PeerQuirks#draft14Codec): the prefix its request id subscribed.
            // An id that names no namespace subscription is ignored, as an unknown prefix is.
            final long id = ((UnsubscribeNamespaceRequest)m).requestId();
            namespaceSubscriptions.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey)
                .findFirst().ifPresent(this::unsubscribeNamespace);
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
        final Long id = namespaceSubscriptions.remove(prefix);
        if (id != null)
        {
            engine.cancel(id);
            announced.keySet().removeIf(ns -> ns.startsWith(prefix));
        }
    }

    /** Checks a new peer request id (parity, order, MAX_REQUEST_ID) and extends the window; false when refused. */
    private boolean admit(final long requestId) throws WireException
    {
        if ((requestId & 1) == 0 && requestId < nextPeerRequestId && skippedPeerRequestIds != null &&
            skippedPeerRequestIds.remove(requestId))
        {
            return true; // a skipped id, arriving late (quirk above); the grant already covers it
        }
        if ((requestId & 1) != 0 || requestId < nextPeerRequestId)
        {
            throw new WireException(SessionError.INVALID_REQUEST_ID, "request id " + requestId +
                ((requestId & 1) != 0 ? " is odd" : " was used or skipped back"));
        }
        if (requestId >= grantedToPeer)
        {
            throw new WireException(SessionError.TOO_MANY_REQUESTS, "request id " + requestId +
                " beyond MAX_REQUEST_ID " + grantedToPeer);
        }
        if (skippedPeerRequestIds != null)
        {
            for (long skipped = nextPeerRequestId; skipped < requestId; skipped += 2)
            {
                skippedPeerRequestIds.add(skipped);
            }
            while (skippedPeerRequestIds.size() > settings.requestWindow())
            {
                skippedPeerRequestIds.pollFirst(); // bounded: the oldest skipped ids expire first
            }
        }
        nextPeerRequestId = requestId + 2;
        if (grantedToPeer - nextPeerRequestId < settings.requestWindow())
        {
            grantedToPeer = nextPeerRequestId + 2L * settings.requestWindow();
            send(new MaxRequestId(grantedToPeer));
        }
        return true;
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
        final long alias = nextAlias++;
        final SubgroupStreamWriter writer = new SubgroupStreamWriter(transport, engine.egressLoop(), Draft.DRAFT_14,
            alias, (status, streamCount, why) ->
            {
                peerRequests.remove(id);
                send(new PublishDone(id, Draft14Codes.publishDone(status), streamCount, reason(why)));
            });
        peerRequests.put(id, writer);
        final SubscribeOptions options = new SubscribeOptions(quirks.subscriptionFilter(Codes.filter(s.filter())),
            s.forward(), s.subscriberPriority(), Codes.groupOrder(s.groupOrder()), true, 0);
        engine.subscribe(id, new FullTrackName(s.trackNamespace(), s.trackName()), options, writer,
            new SubscribeCallback()
            {
                @Override
                public void ok(final DownstreamSubscription sub, final Location largest,
                    final List<KeyValuePair> properties)
                {
                    onLoop(() ->
                    {
                        send(new SubscribeOk(id, alias, 0, moq.relay.wire.d14.GroupOrder.ASCENDING, largest,
                            MessageParameters.EMPTY));
                        writer.start(sub);
                    });
                }

                @Override
                public void error(final RequestErrorCode code, final String why)
                {
                    onLoop(() ->
                    {
                        peerRequests.remove(id);
                        send(new SubscribeError(id, Draft14Codes.subscribeError(code), reason(why)));
                    });
                }
            });
    }

    private void fetch(final Fetch f)
    {
        final long id = f.requestId();
        final GroupOrder order = Codes.groupOrder(f.groupOrder());
        final FetchRequest request;
        if (f.fetchType() == moq.relay.wire.d14.FetchType.STANDALONE)
        {
            final moq.relay.wire.d14.StandaloneFetch s = f.standalone();
            request = FetchRequest.standalone(new FullTrackName(s.trackNamespace(), s.trackName()), s.start(),
                s.end());
        }
        else if (f.fetchType() == moq.relay.wire.d14.FetchType.RELATIVE_JOINING)
        {
            request = FetchRequest.relativeJoining(f.joining().joiningRequestId(), f.joining().joiningStart());
        }
        else
        {
            request = FetchRequest.absoluteJoining(f.joining().joiningRequestId(), f.joining().joiningStart());
        }
        final FetchStreamWriter writer = new FetchStreamWriter(transport, engine.egressLoop(), Draft.DRAFT_14, id,
            order == GroupOrder.DESCENDING, complete ->
            {
                // A finished (or failed) fetch is released in the engine.
                if (peerRequests.remove(id) != null)
                {
                    engine.cancel(id);
                }
            });
        peerRequests.put(id, writer);
        engine.fetch(id, request.withGroupOrder(order), writer, new FetchCallback()
        {
            @Override
            public void ok(final boolean endOfTrack, final Location endLocation, final List<KeyValuePair> properties)
            {
                onLoop(() ->
                {
                    send(new moq.relay.wire.d14.FetchOk(id, order == GroupOrder.DESCENDING ?
                        moq.relay.wire.d14.GroupOrder.DESCENDING : moq.relay.wire.d14.GroupOrder.ASCENDING,
                        endOfTrack, endLocation, MessageParameters.EMPTY));
                    writer.start();
                });
            }

            @Override
            public void error(final RequestErrorCode code, final String why)
            {
                onLoop(() ->
                {
                    peerRequests.remove(id);
                    send(new FetchError(id, fetchError(code), reason(why)));
                });
            }
        });
    }

    /** FETCH_ERROR has its own table in draft-14 (INVALID_JOINING_REQUEST_ID 0x7, ...). */
    private static long fetchError(final RequestErrorCode code)
    {
        switch (code)
        {
            case INVALID_JOINING_REQUEST_ID:
                return 0x7;
            case MALFORMED_TRACK:
                return 0x9;
            default:
                return Draft14Codes.subscribeError(code);
        }
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
            send(new SubscribeNamespaceError(id, Draft14Codes.namespaceError(RequestErrorCode.NOT_SUPPORTED),
                reason("an empty namespace prefix is not allowed in draft-14")));
            return;
        }
        namespaceSubscriptions.putIfAbsent(prefix, id);
        engine.subscribeNamespace(id, prefix, new NamespaceListener()
        {
            @Override
            public void namespace(final TrackNamespace suffix)
            {
                onLoop(() -> announce(prefix.append(suffix)));
            }

            @Override
            public void namespaceDone(final TrackNamespace suffix)
            {
                onLoop(() -> withdrawAnnouncement(prefix.append(suffix)));
            }
        }, new RequestCallback()
        {
            @Override
            public void ok()
            {
                onLoop(() -> send(new SubscribeNamespaceOk(id)));
            }

            @Override
            public void error(final RequestErrorCode code, final String why)
            {
                onLoop(() ->
                {
                    namespaceSubscriptions.remove(prefix, id);
                    send(new SubscribeNamespaceError(id, Draft14Codes.namespaceError(code), reason(why)));
                });
            }
        });
    }

    /** A namespace announced to the peer; {@code sent} once its PUBLISH_NAMESPACE got a request id and went out. */
    private static final class Announcement
    {
        boolean sent;
    }

    private void announce(final TrackNamespace namespace)
    {
        if (closed || announced.containsKey(namespace))
        {
            return;
        }
        final Announcement a = new Announcement();
        announced.put(namespace, a);
        final boolean queued = ownRequests.submit(new OwnRequests.Request()
        {
            @Override
            public boolean obsolete()
            {
                return announced.get(namespace) != a; // withdrawn (or unsubscribed) before it could be sent
            }

            @Override
            public void send(final long requestId)
            {
                a.sent = true;
                Draft14Session.this.send(new PublishNamespace(requestId, namespace, MessageParameters.EMPTY));
            }
        });
        if (!queued)
        {
            announced.remove(namespace);
        }
    }

    private void withdrawAnnouncement(final TrackNamespace namespace)
    {
        final Announcement a = announced.remove(namespace);
        if (a != null && a.sent)
        {
            send(new PublishNamespaceDone(namespace));
        }
    }

    private void trackStatus(final TrackStatus t)
    {
        final long id = t.requestId();
        engine.trackStatus(new FullTrackName(t.trackNamespace(), t.trackName()), new TrackStatusCallback()
        {
            @Override
            public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
            {
                onLoop(() -> send(new moq.relay.wire.d14.TrackStatusOk(id, 0, 0,
                    moq.relay.wire.d14.GroupOrder.ASCENDING, largest, MessageParameters.EMPTY)));
            }

            @Override
            public void error(final RequestErrorCode code, final String why)
            {
                onLoop(() -> send(new TrackStatusError(id, Draft14Codes.subscribeError(code), reason(why))));
            }
        });
    }

    private void publishNamespace(final PublishNamespace p)
    {
        final long id = p.requestId();
        if (goingAway)
        {
            send(new PublishNamespaceError(id, 0x0, reason("going away")));
            return;
        }
        peerRequests.put(id, p.trackNamespace());
        namespaces.put(p.trackNamespace(), id);
        engine.publishNamespace(id, p.trackNamespace(), this, new RequestCallback()
        {
            @Override
            public void ok()
            {
                onLoop(() -> send(new PublishNamespaceOk(id)));
            }

            @Override
            public void error(final RequestErrorCode code, final String why)
            {
                onLoop(() ->
                {
                    peerRequests.remove(id);
                    namespaces.remove(p.trackNamespace(), id);
                    send(new PublishNamespaceError(id, Draft14Codes.namespaceError(code), reason(why)));
                });
            }
        });
    }

    private void publish(final Publish p)
    {
        final long id = p.requestId();
        final UpstreamSubscription up = engine.publish(id, new FullTrackName(p.trackNamespace(), p.trackName()),
            List.of(), p.largestLocation(), this, new RequestCallback()
            {
                @Override
                public void ok()
                {
                }

                @Override
                public void error(final RequestErrorCode code, final String why)
                {
                    onLoop(() -> send(new PublishError(id, Draft14Codes.namespaceError(code), reason(why))));
                }
            });
        if (up == null)
        {
            return;
        }
        final UpstreamLink link = new UpstreamLink(up, id);
        link.established = true;
        link.alias = p.trackAlias();
        link.sentForward = link.wantForward;
        if (p.largestLocation() != null)
        {
            link.start = new Location(p.largestLocation().group(), p.largestLocation().object() + 1);
        }
        upstreamByAlias.put(link.alias, link);
        upstreams.put(up, link);
        peerRequests.put(id, link);
        // Forward follows downstream demand: 0 while nobody subscribes, then SUBSCRIBE_UPDATE as demand changes.
        send(new PublishOk(id, link.sentForward, 128, moq.relay.wire.d14.GroupOrder.ASCENDING,
            moq.relay.wire.d14.SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
        aliasWaiters.known(link.alias);
    }

    // ---- the engine as subscriber of what the peer publishes

    /** The relay's subscription to one of the peer's tracks (its SUBSCRIBE, or the peer's PUBLISH). */
    private final class UpstreamLink
    {
        final UpstreamSubscription subscription;
        final long requestId;
        long alias = -1;
        boolean established;
        boolean ended;
        /** When the PUBLISH_DONE below may take effect: the data streams it counts, and any still open. */
        final PublishDoneGate doneGate = new PublishDoneGate();
        PublishDoneStatus doneStatus;
        String doneReason;
        boolean graceScheduled;
        /** The Forward state the engine wants, and the one the publisher was last told (SUBSCRIBE or SUBSCRIBE_UPDATE). */
        boolean wantForward;
        boolean sentForward;
        /** The subscription's Start Location (LargestObject filter: the object after SUBSCRIBE_OK's largest). */
        Location start = new Location(0, 0);

        UpstreamLink(final UpstreamSubscription subscription, final long requestId)
        {
            this.subscription = subscription;
            this.requestId = requestId;
            this.wantForward = subscription.forward();
        }

        /**
         * Tells the publisher a changed Forward state with SUBSCRIBE_UPDATE once the subscription is established (an
         * update before SUBSCRIBE_OK could name a subscription the publisher has not accepted yet). Start Location and
         * End Group are restated unchanged: an update may only narrow, and this one only flips Forward.
         */
        void syncForward()
        {
            if (!established || ended || requestId < 0 || wantForward == sentForward)
            {
                return;
            }
            sentForward = wantForward;
            ownRequests.submit(new OwnRequests.Request()
            {
                @Override
                public boolean obsolete()
                {
                    return ended;
                }

                @Override
                public void send(final long id)
                {
                    Draft14Session.this.send(new moq.relay.wire.d14.SubscribeUpdate(id, requestId, start, 0, 128,
                        sentForward, MessageParameters.EMPTY));
                }
            });
        }

        void accepted(final long trackAlias, final Location largest) throws WireException
        {
            established = true;
            alias = trackAlias;
            if (upstreamByAlias.putIfAbsent(alias, this) != null)
            {
                throw new WireException(SessionError.DUPLICATE_TRACK_ALIAS, "track alias " + alias + " in use");
            }
            if (largest != null)
            {
                start = new Location(largest.group(), largest.object() + 1);
            }
            subscription.accept(largest, List.of());
            aliasWaiters.known(alias);
            syncForward();
        }

        void publishDone(final PublishDone d)
        {
            doneGate.done(d.streamCount() == PublishDone.UNKNOWN_STREAM_COUNT ? 0 : d.streamCount());
            doneStatus = Draft14Codes.fromPublishDone(d.statusCode());
            doneReason = d.reason().toString();
            maybeDone();
        }

        /**
         * PUBLISH_DONE takes effect once every data stream it counts has ended (data may trail the message), or, when
         * some never show up, after the grace period; either way not before every stream that started has ended
         * ({@link PublishDoneGate}).
         */
        void maybeDone()
        {
            if (!ended && doneStatus != null && doneGate.waitingForCountedStreams() && !graceScheduled)
            {
                graceScheduled = true;
                transport.eventLoop().schedule(() ->
                {
                    if (!ended && !closed)
                    {
                        doneGate.graceOver();
                        maybeDone();
                    }
                }, settings.publishDoneGraceMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            if (!ended && doneStatus != null && doneGate.ready())
            {
                end();
                subscription.done(doneStatus, doneReason);
            }
        }

        void end()
        {
            ended = true;
            upstreams.remove(subscription);
            upstreamByRequestId.remove(requestId, this);
            peerRequests.remove(requestId, this);
            if (alias != -1)
            {
                upstreamByAlias.remove(alias, this);
            }
        }
    }

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        onLoop(() ->
        {
            if (closed)
            {
                subscription.reject(RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
                return;
            }
            final UpstreamLink pending = new UpstreamLink(subscription, -1);
            upstreams.put(subscription, pending);
            final boolean queued = ownRequests.submit(new OwnRequests.Request()
            {
                @Override
                public boolean obsolete()
                {
                    return pending.ended;
                }

                @Override
                public void send(final long id)
                {
                    final UpstreamLink link = new UpstreamLink(pending.subscription, id);
                    link.wantForward = pending.wantForward;
                    link.sentForward = link.wantForward;
                    upstreams.put(link.subscription, link);
                    upstreamByRequestId.put(id, link);
                    final FullTrackName track = link.subscription.track();
                    Draft14Session.this.send(new Subscribe(id, track.namespace(), track.name(), 128,
                        moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, link.sentForward,
                        moq.relay.wire.d14.SubscriptionFilter.largestObject(), MessageParameters.EMPTY));
                }
            });
            if (!queued)
            {
                upstreams.remove(subscription);
                subscription.reject(RequestErrorCode.EXCESSIVE_LOAD, "too many requests wait for MAX_REQUEST_ID");
            }
        });
    }

    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        onLoop(() ->
        {
            final UpstreamLink link = upstreams.get(subscription);
            if (link != null && !link.ended)
            {
                link.wantForward = forward;
                link.syncForward();
            }
        });
    }

    @Override
    public void unsubscribe(final UpstreamSubscription subscription)
    {
        onLoop(() ->
        {
            final UpstreamLink link = upstreams.get(subscription);
            if (link == null)
            {
                return;
            }
            link.end();
            if (link.requestId >= 0 && (link.requestId & 1) == 1)
            {
                send(new Unsubscribe(link.requestId));
            }
        });
    }

    // ---- data streams of the peer

    /**
     * Only an alias a SUBSCRIBE_OK or PUBLISH established routes a stream: one that arrives first waits for that
     * message ({@link AliasWaiters}), whatever its alias looks like. (@moq/lite uses the relay's request id as alias,
     * and says so in its SUBSCRIBE_OK; ingesting before that answer would put objects in the track log before the
     * subscribers waiting for it are established, and an alias equal to another subscription's request id in the
     * wrong track.)
     */
    @Override
    public TrackIngest ingestFor(final long trackAlias)
    {
        final UpstreamLink link = upstreamByAlias.get(trackAlias);
        return link == null ? null : link.subscription.ingest();
    }

    @Override
    public void streamStarted(final long trackAlias)
    {
        final UpstreamLink link = upstreamByAlias.get(trackAlias);
        if (link != null)
        {
            link.doneGate.streamStarted();
        }
    }

    @Override
    public void streamEnded(final long trackAlias)
    {
        final UpstreamLink link = upstreamByAlias.get(trackAlias);
        if (link != null)
        {
            link.doneGate.streamEnded();
            link.maybeDone();
        }
    }

    @Override
    UpstreamSubscription upstreamFor(final long trackAlias)
    {
        UpstreamLink link = upstreamByAlias.get(trackAlias);
        if (link == null)
        {
            link = upstreamByRequestId.get(trackAlias); // as in ingestFor: @moq/lite's request id in the alias field
        }
        return link == null ? null : link.subscription;
    }
}
