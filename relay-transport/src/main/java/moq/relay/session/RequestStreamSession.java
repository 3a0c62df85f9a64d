package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.List;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.session.ingest.SubgroupIngestHandler;
import moq.relay.session.request.UpstreamFetchStream;
import moq.relay.engine.UpstreamFetch;
import moq.relay.session.request.NamespaceRequest;
import moq.relay.session.request.OfferedTrack;
import moq.relay.session.request.PublisherSide;
import moq.relay.session.request.PeerRequest;
import moq.relay.session.request.SessionAuth;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.data.StreamType;

/**
 * A MoQT server session of a request-stream draft (18 or 20, its {@link RequestStreamDialect}) over a
 * {@link MoqTransport}: SETUP on unidirectional control streams both ways, one bidirectional stream per request,
 * responses without request ids. It keeps setup, stream routing and request-id checks; the dialect reads each request
 * stream's messages into {@link RequestMessage}s. A stream's first message makes its request's machine
 * ({@code moq.relay.session.request}), answered on the stream by {@link StreamReplies}; the session is the engine's
 * {@link Publisher} for what the peer publishes ({@link RequestStreamUpstreamTrack}: SUBSCRIBE upstream on new request
 * streams; its subgroup streams are ingested by {@link SubgroupIngestHandler}). Event-loop confined; engine callbacks
 * hop onto the event loop.
 */
final class RequestStreamSession extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestStreamSession.class);
    /** Requests whose only holder is their stream leave no table when they end. */
    private static final Runnable NOTHING = () -> { };

    private final RequestStreamDialect dialect;
    private final ControlMessages messages;
    private final List<Runnable> early = new ArrayList<>();
    private QuicStreamChannel controlOut;
    /** What this peer's implementation needs beyond the draft (known from its SETUP). */
    private PeerQuirks quirks = PeerQuirks.NONE;
    /** Reads request streams in the peer's form once its SETUP named it ({@link RequestStreamDialect#codec}). */
    private final PeerControlCodec peerCodec;
    /** The relay's upstream FETCHes whose fetch stream has not begun, by request id. */
    private final java.util.Map<Long, UpstreamFetch> upstreamFetches = new java.util.HashMap<>();
    private boolean controlSeen;
    private int earlyStreams;
    /** The client's (even) request ids used so far; out of order is fine (see {@link PeerRequestIds}). */
    private final PeerRequestIds peerRequestIds;
    private long nextOwnRequestId = 1;
    /** Unanswered REQUEST_UPDATEs the peer accepts per request stream (draft 20's MAX_REQUEST_UPDATES). */
    private long peerMaxRequestUpdates = Long.MAX_VALUE;

    RequestStreamSession(final MoqTransport transport, final Session engine, final SessionSettings settings,
        final RequestStreamDialect dialect)
    {
        super(transport, engine, settings, dialect.draft());
        this.dialect = dialect;
        this.messages = new ControlMessages(dialect.codec(), controlLog);
        this.peerCodec = new PeerControlCodec(dialect, () -> quirks);
        this.peerRequestIds = new PeerRequestIds(0, settings.peerRequestIdWindow());
        if (dialect.severalSubscriptionsPerTrack())
        {
            engine.allowSeveralSubscriptionsPerTrack();
        }
    }

    /** Opens the relay's control stream and sends SETUP. */
    void start()
    {
        transport.openStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter()).addListener(f ->
        {
            if (!f.isSuccess())
            {
                fail(SessionError.INTERNAL_ERROR, "cannot open the control stream");
                return;
            }
            controlOut = (QuicStreamChannel)f.getNow();
            controlOut.writeAndFlush(messages.encode(dialect.setup(settings.implementation(),
                auth().advertisedCacheBytes())));
            if (goingAway)
            {
                sendGoaway("");
            }
        });
        logOpen();
    }

    // ---- transport events

    @Override
    void bidirectionalStreamOpened(final QuicStreamChannel stream)
    {
        if (!setupDone && ++earlyStreams > settings.maxEarlyStreams())
        {
            fail(SessionError.PROTOCOL_VIOLATION, "too many request streams before SETUP");
            return;
        }
        final RequestStream request = new RequestStream(stream);
        stream.pipeline().addLast(new ControlMessageReader(peerCodec, request, this::fail, controlBytes,
            controlLog));
    }

    @Override
    ChannelHandler route(final QuicStreamChannel stream, final long type)
    {
        final StreamType kind = StreamType.of(dialect.draft(), type);
        if (kind == StreamType.SETUP)
        {
            if (controlSeen)
            {
                fail(SessionError.PROTOCOL_VIOLATION, "a second control stream");
                return null;
            }
            controlSeen = true;
            return new ControlMessageReader(dialect.codec(), new ControlStream(), this::fail, controlBytes, controlLog);
        }
        if (kind == StreamType.SUBGROUP)
        {
            return subgroupIngest();
        }
        if (kind == StreamType.PADDING)
        {
            return new ChannelInboundHandlerAdapter()
            {
                @Override
                public void channelRead(final io.netty.channel.ChannelHandlerContext ctx, final Object msg)
                {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            };
        }
        if (kind == StreamType.UNKNOWN)
        {
            fail(SessionError.PROTOCOL_VIOLATION, "unknown stream type 0x" + Long.toHexString(type));
            return null;
        }
        // FETCH streams answer the relay's upstream FETCHes; one for no such fetch is stopped.
        return new UpstreamFetchStream(dialect.draft(), upstreamFetches::remove, settings.maxObjectProperties(),
            settings.maxObjectPayload(), this::reserveGathered, this::releaseGathered);
    }

    @Override
    public void goAway(final String newSessionUri)
    {
        if (goingAway)
        {
            return;
        }
        goingAway = true;
        if (controlOut != null)
        {
            sendGoaway(newSessionUri);
        }
    }

    private void sendGoaway(final String uri)
    {
        controlOut.writeAndFlush(messages.encode(dialect.goaway(uri, peerRequestIds.smallestUnused())));
    }

    // ---- the peer's control stream

    private final class ControlStream implements ControlMessageReader.Sink
    {
        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!setupDone)
            {
                final RequestStreamDialect.PeerSetup setup = dialect.acceptSetup(m);
                settings.setupTarget().check(transport.overWebTransport(), setup.path(), setup.authority());
                authorizeSetup(setup.path(), setup.tokens());
                setupDone = true;
                moq.relay.cluster.PeerRelays.markIfRelay(engine, setup.path()); // cluster hook (docs/cluster.md)
                quirks = dialect.quirks(setup.implementation());
                peerMaxRequestUpdates = setup.maxRequestUpdates();
                LOG.info("MoQT session of peer {}: SETUP done, draft-{}, implementation '{}', quirks {}", peer,
                    dialect.draft().number(), quirks.implementation(), quirks);
                for (final Runnable r : early)
                {
                    r.run();
                }
                early.clear();
                return;
            }
            if (dialect.isGoaway(m))
            {
                goAway("");
                return;
            }
            throw WireException.protocolViolation("unexpected message on the control stream: " +
                m.getClass().getSimpleName());
        }

        @Override
        public void onEnd()
        {
            fail(SessionError.PROTOCOL_VIOLATION, "control stream closed");
        }
    }

    // ---- requests the peer opens

    /**
     * One request stream the peer opened: its first message makes the request's machine, later ones are its updates
     * (or, for a PUBLISH, its PUBLISH_DONE); the peer closing its side cancels the request.
     */
    private final class RequestStream implements ControlMessageReader.Sink
    {
        final QuicStreamChannel stream;
        /** The request's answers; made with its first message, when the peer's quirks are known. */
        StreamReplies replies;
        long requestId = -1;
        PeerRequest request;
        /** Whether the peer sent GOAWAY on this stream (draft 20: at most once). */
        boolean goaway;
        /** The subscription's Forward state and priority as the peer last set them (an update may leave either). */
        boolean forward = true;
        int priority = moq.relay.wire.d18.Subscribe.DEFAULT_SUBSCRIBER_PRIORITY;
        /** The track the peer PUBLISHes on this stream, once accepted. */
        RequestStreamUpstreamTrack published;
        /**
         * The SUBSCRIBE_TRACKS this stream carries, as its REQUEST_UPDATEs left it (draft 20: Forward for the tracks
         * offered from then on); read when a track is offered, null once refused or for other requests.
         */
        volatile RequestMessage.SubscribeTracks tracks;

        RequestStream(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!setupDone)
            {
                if (early.size() >= settings.maxEarlyStreams() * 4)
                {
                    throw WireException.protocolViolation("too many requests before SETUP");
                }
                early.add(() ->
                {
                    try
                    {
                        handle(m);
                    }
                    catch (final WireException e)
                    {
                        fail(e);
                    }
                });
                return;
            }
            handle(m);
        }

        private void handle(final ControlMessage m) throws WireException
        {
            if (closed)
            {
                return;
            }
            final RequestMessage r = dialect.read(m, quirks);
            if (requestId != -1)
            {
                followUp(m, r);
                return;
            }
            if (!(r instanceof RequestMessage.Opening opening))
            {
                throw WireException.protocolViolation("a request stream must start with a request, not " +
                    m.getClass().getSimpleName());
            }
            final StreamReplies answers = new StreamReplies(dialect, messages, quirks, stream);
            replies = answers;
            if (open(opening.requestId(), answers))
            {
                if (opening instanceof RequestMessage.Refused refused)
                {
                    refusedBeforeEngine(opening.kind(), refused.code());
                }
                start(opening, answers);
            }
            else
            {
                refusedBeforeEngine(opening.kind(), RequestErrorCode.GOING_AWAY);
            }
            if (engine.requestRateAbused())
            {
                throw new WireException(SessionError.INTERNAL_ERROR, REQUEST_RATE_ABUSED);
            }
        }

        /** Makes the machine of the request {@code r} opens; the stream holds it, so no table does. */
        private void start(final RequestMessage.Opening r, final StreamReplies answers)
        {
            if (r instanceof RequestMessage.Publish p)
            {
                publish(p, answers);
            }
            else if (r instanceof RequestMessage.SubscribeTracks t)
            {
                final NamespaceRequest ns = new NamespaceRequest(RequestStreamSession.this, requestId, answers,
                    NOTHING);
                request = ns;
                tracks = t;
                ns.tokens(t.tokens());
                ns.subscribeTracks(t.prefix(), (track, largest, properties) ->
                {
                    final RequestMessage.SubscribeTracks now = tracks; // as the latest REQUEST_UPDATE left it
                    if (now != null && now.offers(properties)) // draft 20's TRACK_PROPERTY_FILTER
                    {
                        offer(track, largest, properties, now);
                    }
                });
            }
            else
            {
                if (r instanceof RequestMessage.Subscribe s)
                {
                    forward = s.options().forward();
                    priority = s.options().subscriberPriority();
                }
                PeerRequests.start(RequestStreamSession.this, r, answers, (opening, machine) ->
                {
                    request = machine;
                    return NOTHING;
                });
            }
        }

        /**
         * Takes the request's id: §"Request ID": a wrong parity or a duplicate is INVALID_REQUEST_ID; a lower id than
         * one already seen is not (request streams arrive in any order). False when refused because going away.
         */
        private boolean open(final long id, final StreamReplies answers) throws WireException
        {
            requestId = id;
            peerRequestIds.use(id);
            if (goingAway)
            {
                answers.error(RequestErrorCode.GOING_AWAY, "going away");
                return false;
            }
            return true;
        }

        private void followUp(final ControlMessage m, final RequestMessage r) throws WireException
        {
            if (published != null && r instanceof RequestMessage.Done d)
            {
                if (published.state() == UpstreamTrack.State.ESTABLISHED)
                {
                    published.publishDone(d.streamCount(), d.status(), d.reason());
                }
                return;
            }
            if (published != null && (r instanceof RequestMessage.Ok || r instanceof RequestMessage.Error))
            {
                published.updateAnswered(); // the answer to the relay's REQUEST_UPDATE of the Forward State
                return;
            }
            if (published != null && r instanceof RequestMessage.StateNotify)
            {
                return; // from the publisher, never answered; the relay keeps no publisher state yet
            }
            if (r instanceof RequestMessage.Goaway)
            {
                // The peer migrates this request: it ends it itself; a second GOAWAY is PROTOCOL_VIOLATION.
                if (goaway)
                {
                    throw WireException.protocolViolation("a second GOAWAY on a request stream");
                }
                goaway = true;
                return;
            }
            if (r instanceof RequestMessage.Update u)
            {
                peerRequestIds.use(u.requestId()); // it consumes a Request ID like any request (§"Request ID")
                if (request != null && !request.updateAuthorized(u.tokens()))
                {
                    return; // refused (REQUEST_ERROR), or the session closed by the token cache
                }
                if (tracks != null && tracks.subscription() != null)
                {
                    updateTracks(m);
                    return;
                }
                if (dialect.unexpectedUpdateIsViolation() &&
                    (published != null || request != null && request.updateIsViolation()))
                {
                    throw WireException.protocolViolation("REQUEST_UPDATE of a " +
                        (published != null ? "PUBLISH from its publisher" : "TRACK_STATUS"));
                }
                final String problem = request == null ? null :
                    request.stageUpdate(u.requestId(), u.filters(), u.fill());
                if (problem != null)
                {
                    refusedBeforeEngine(moq.relay.engine.RequestKind.REQUEST_UPDATE, RequestErrorCode.INVALID_FILTER);
                    request.updateFailed(RequestErrorCode.INVALID_FILTER, problem);
                    return;
                }
                // Updates of requests other than subscriptions (namespace prefixes, fetches) are not supported:
                // refused, the request itself stays as it was.
                final boolean nextForward = u.forward(forward);
                final int nextPriority = u.subscriberPriority(priority);
                if (request != null && request.update(nextForward, nextPriority))
                {
                    forward = nextForward;
                    priority = nextPriority;
                    request.deliveryTimeouts(dialect.objectDeliveryTimeoutUpdate(m),
                        dialect.subgroupDeliveryTimeoutUpdate(m));
                }
                else
                {
                    refusedBeforeEngine(moq.relay.engine.RequestKind.REQUEST_UPDATE, RequestErrorCode.NOT_SUPPORTED);
                    replies.updateRefused(RequestErrorCode.NOT_SUPPORTED,
                        "REQUEST_UPDATE of this request is not supported");
                }
                return;
            }
            throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                " on a request stream");
        }

        /**
         * REQUEST_UPDATE of a draft-20 SUBSCRIBE_TRACKS (draft-21 §9.20.19): its FORWARD is the Forwarding State of the
         * subscriptions of the tracks offered from now on ("Existing subscriptions are unaffected"), which their
         * PUBLISH restates; omitted, it is unchanged (§9.5). A parameter no such update may carry is
         * PROTOCOL_VIOLATION (§9.20.1). Its TRACK_PROPERTY_FILTER chooses the tracks offered from now on (§3.3.2). One
         * the relay does not apply (TRACK_NAMESPACE_PREFIX), or a filter beyond MAX_FILTER_RANGES, fails the update:
         * REQUEST_ERROR (NOT_SUPPORTED, INVALID_FILTER) and the stream closed, the SUBSCRIBE_TRACKS ended (§9.5.1:
         * "When a REQUEST_UPDATE fails for a ... SUBSCRIBE_TRACKS ... the responder MUST close the bidi stream").
         */
        private void updateTracks(final ControlMessage m) throws WireException
        {
            final RequestMessage.TracksUpdate update = dialect.subscribeTracksUpdate(m);
            if (update.refusal() != null)
            {
                refusedBeforeEngine(moq.relay.engine.RequestKind.REQUEST_UPDATE, update.code());
                tracks = null;
                replies.error(update.code(), update.refusal());
                final PeerRequest ended = request;
                request = null;
                ended.cancel();
                return;
            }
            RequestMessage.SubscribeTracks next = tracks;
            if (update.forward() != null)
            {
                next = next.withForward(update.forward());
            }
            if (update.filterReplaced())
            {
                next = next.withTrackFilter(update.trackFilter());
            }
            tracks = next;
            replies.updated();
        }

        private void publish(final RequestMessage.Publish p, final StreamReplies answers)
        {
            final UpstreamSubscription up = UpstreamTrack.publish(RequestStreamSession.this, requestId, p.track(),
                p.properties(), p.largest(), RequestStreamSession.this, answers, p.tokens());
            if (up == null)
            {
                return;
            }
            published = upstreamTrack(up);
            published.published(requestId, p.trackAlias(), stream);
            // Forward follows downstream demand (raised later by REQUEST_UPDATE), except for a peer that cannot take
            // an update of its own request (PeerQuirks#publishForwardAlways).
            final boolean forward = quirks.publishForwardAlways() || up.forward();
            stream.writeAndFlush(messages.encode(dialect.publishAccepted(forward)));
            if (!dialect.forwardInPublishOk() && forward != p.forward())
            {
                published.forward(forward); // draft 20: PUBLISH_OK has no Forward, REQUEST_UPDATE follows it
            }
            aliasKnown(p.trackAlias());
        }

        @Override
        public void onEnd()
        {
            // The peer closed or reset its side: the request is cancelled (a PUBLISH_NAMESPACE is withdrawn, a
            // PUBLISHed track ends once the close had its chance to run: see UpstreamTrack#lost).
            if (requestId != -1 && !closed)
            {
                if (published != null)
                {
                    transport.eventLoop().execute(published::lost);
                }
                else if (request != null)
                {
                    request.cancel();
                }
            }
            if (replies == null)
            {
                replies = new StreamReplies(dialect, messages, quirks, stream);
            }
            replies.end();
        }
    }

    // ---- tracks offered to the peer (SUBSCRIBE_TRACKS): PUBLISH on a new request stream

    /**
     * Offers {@code track} with PUBLISH on a relay-opened request stream ({@link OfferedTrack}); its subscription, once
     * accepted, has the subscription parameters of the SUBSCRIBE_TRACKS {@code from} (draft 20), which its PUBLISH
     * restates.
     */
    private void offer(final FullTrackName track, final Location largest, final List<KeyValuePair> properties,
        final RequestMessage.SubscribeTracks from)
    {
        final long requestId = nextOwnRequestId();
        final long alias = nextAlias();
        if (closed)
        {
            return;
        }
        final StreamReplies replies = new StreamReplies(dialect, messages, quirks, null);
        final OfferedTrack offer = new OfferedTrack(this, track, requestId, alias, replies);
        final ControlMessage publish = dialect.publish(requestId, track, alias, largest,
            from.includeProperties() ? properties : List.of(), quirks, from.restated());
        transport.openStream(QuicStreamType.BIDIRECTIONAL, new ControlMessageReader(peerCodec,
            new OfferStream(offer, from.subscription()), this::fail, controlBytes, controlLog)).addListener(f ->
            {
                if (f.isSuccess())
                {
                    final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                    replies.stream(stream);
                    stream.writeAndFlush(messages.encode(publish));
                }
            });
    }

    /** The peer's answers on an offered track's stream: PUBLISH_OK or REQUEST_ERROR, then updates. */
    private final class OfferStream implements ControlMessageReader.Sink
    {
        final OfferedTrack offer;
        /** The SUBSCRIBE_TRACKS' subscription parameters (draft 20), null for none (PUBLISH_OK's then). */
        final RequestMessage.Subscribe initial;
        /** The subscription's Forward state and priority (PUBLISH_OK's, then as updated). */
        boolean forward = true;
        int priority = moq.relay.wire.d18.Subscribe.DEFAULT_SUBSCRIBER_PRIORITY;

        OfferStream(final OfferedTrack offer, final RequestMessage.Subscribe initial)
        {
            this.offer = offer;
            this.initial = initial;
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            final RequestMessage r = dialect.read(m, quirks);
            if (r instanceof RequestMessage.Update u)
            {
                peerRequestIds.use(u.requestId()); // the subscriber's update consumes a Request ID of its own
            }
            if (r instanceof RequestMessage.Ok ok && offer.state() == PublisherSide.State.OFFERED)
            {
                final moq.relay.engine.SubscribeOptions answered = dialect.publishOk(ok);
                // Draft 20's PUBLISH_OK carries no subscription parameters: the SUBSCRIBE_TRACKS' are the
                // subscription's (draft-21 §9.18.1), as its SUBSCRIBE would have them; the offered track is there,
                // so no rendezvous.
                final moq.relay.engine.SubscribeOptions options = initial == null ? answered :
                    initial.options().withRendezvousTimeout(0);
                forward = options.forward();
                priority = options.subscriberPriority();
                if (initial != null)
                {
                    offer.initial(initial.fill(), initial.objectDeliveryTimeoutMillis(),
                        initial.subgroupDeliveryTimeoutMillis());
                }
                offer.accepted(options);
            }
            else if (r instanceof RequestMessage.Error && offer.declined())
            {
                return;
            }
            else if (r instanceof RequestMessage.Update u && u.filters() != null && !offer.stageFilters(u.filters()))
            {
                return; // refused: INVALID_FILTER, then PUBLISH_DONE UPDATE_FAILED
            }
            else if (r instanceof RequestMessage.Update u && !offer.stageFill(u.requestId(), u.fill()))
            {
                return; // its fill's Range Filters refused: INVALID_FILTER, then PUBLISH_DONE UPDATE_FAILED
            }
            else if (r instanceof RequestMessage.Update u && offer.update(u.forward(forward),
                u.subscriberPriority(priority)))
            {
                forward = u.forward(forward);
                priority = u.subscriberPriority(priority);
                offer.deliveryTimeouts(dialect.objectDeliveryTimeoutUpdate(m),
                    dialect.subgroupDeliveryTimeoutUpdate(m));
            }
            else
            {
                throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                    " on a PUBLISH stream");
            }
        }

        @Override
        public void onEnd()
        {
            offer.cancel();
        }
    }

    // ---- the engine as subscriber of what the peer publishes

    @Override
    void subscribeUpstream(final UpstreamSubscription subscription)
    {
        final RequestStreamUpstreamTrack track = upstreamTrack(subscription);
        track.subscribe(new ControlMessageReader(peerCodec, track, this::fail, controlBytes, controlLog));
    }

    /** The engine's upstream FETCH of what the peer publishes: a FETCH on a request stream of the relay's own. */
    @Override
    public boolean fetch(final UpstreamFetch fetch)
    {
        onLoop(() ->
        {
            if (closed)
            {
                fetch.reject(moq.relay.engine.RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
                return;
            }
            final RequestStreamUpstreamFetch f = new RequestStreamUpstreamFetch(this, dialect, messages, quirks, fetch,
                upstreamFetches, nextOwnRequestId());
            f.send(new ControlMessageReader(peerCodec, f, this::fail, controlBytes, controlLog));
        });
        return true;
    }

    private RequestStreamUpstreamTrack upstreamTrack(final UpstreamSubscription subscription)
    {
        return new RequestStreamUpstreamTrack(this, upstreams, subscription, dialect, messages, quirks,
            peerMaxRequestUpdates, this::nextOwnRequestId);
    }

    private long nextOwnRequestId()
    {
        final long id = nextOwnRequestId;
        nextOwnRequestId += 2;
        return id;
    }
}
