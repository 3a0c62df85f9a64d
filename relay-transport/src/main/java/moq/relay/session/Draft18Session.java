package moq.relay.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.List;
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
import moq.relay.session.request.OfferedTrack;
import moq.relay.session.request.PeerRequest;
import moq.relay.session.request.TrackStatusRequest;
import moq.relay.session.request.UpstreamTrack;
import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.Fetch;
import moq.relay.wire.d18.Goaway;
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
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeNamespace;
import moq.relay.wire.d18.SubscribeTracks;
import moq.relay.wire.d18.TrackStatus;
import moq.relay.wire.data.StreamType;

/**
 * A draft-18 MoQT server session over a {@link MoqTransport}: SETUP on unidirectional control streams both ways, one
 * bidirectional stream per request, responses without request ids. Each request stream's first message makes its
 * request's machine ({@code moq.relay.session.request}), answered on the stream by {@link Draft18Replies}; the session
 * is the engine's {@link Publisher} for what the peer publishes ({@link Draft18UpstreamTrack}: SUBSCRIBE upstream on
 * new request streams; its subgroup streams are ingested by {@link SubgroupIngestHandler}). Event-loop confined;
 * engine callbacks hop onto the event loop.
 */
final class Draft18Session extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Draft18Session.class);
    /** Requests whose only holder is their stream leave no table when they end. */
    private static final Runnable NOTHING = () -> { };

    private final ControlMessages messages = new ControlMessages(Draft18ControlCodec.INSTANCE);
    private final List<Runnable> early = new ArrayList<>();
    private QuicStreamChannel controlOut;
    /** What this peer's implementation needs beyond the draft (known from its SETUP). */
    private PeerQuirks quirks = PeerQuirks.NONE;
    private boolean controlSeen;
    private int earlyStreams;
    /** The client's (even) request ids used so far; out of order is fine (see {@link PeerRequestIds}). */
    private final PeerRequestIds peerRequestIds;
    private long nextOwnRequestId = 1;
    private long nextAlias = 1;

    Draft18Session(final MoqTransport transport, final Session engine, final SessionSettings settings)
    {
        super(transport, engine, settings, Draft.DRAFT_18);
        this.peerRequestIds = new PeerRequestIds(0, settings.peerRequestIdWindow());
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
            controlOut.writeAndFlush(messages.encode(Setup.of(
                KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8(settings.implementation())))));
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
        stream.pipeline().addLast(new ControlMessageReader(Draft18ControlCodec.INSTANCE, request, this::fail,
            controlBytes));
    }

    @Override
    ChannelHandler route(final QuicStreamChannel stream, final long type)
    {
        final StreamType kind = StreamType.of(Draft.DRAFT_18, type);
        if (kind == StreamType.SETUP)
        {
            if (controlSeen)
            {
                fail(SessionError.PROTOCOL_VIOLATION, "a second control stream");
                return null;
            }
            controlSeen = true;
            return new ControlMessageReader(Draft18ControlCodec.INSTANCE, new ControlStream(), this::fail, controlBytes);
        }
        if (kind == StreamType.SUBGROUP)
        {
            return new SubgroupIngestHandler(Draft.DRAFT_18, this, settings.maxObjectProperties(),
                settings.maxObjectPayload(), settings.unknownAliasWaitMillis());
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
        // FETCH streams: the relay sends no upstream FETCH, so none is expected.
        fail(SessionError.PROTOCOL_VIOLATION, "unexpected " + kind + " stream");
        return null;
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
        controlOut.writeAndFlush(messages.encode(Goaway.onControlStream(Bytes.utf8(uri), 0, peerRequestIds.smallestUnused())));
    }

    // ---- the peer's control stream

    private final class ControlStream implements ControlMessageReader.Sink
    {
        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!setupDone)
            {
                if (!(m instanceof Setup))
                {
                    throw WireException.protocolViolation("the control stream must start with SETUP");
                }
                final Setup setup = (Setup)m;
                setup.validateReceivedByServer();
                settings.setupTarget().check(transport.overWebTransport(), setup.path(), setup.authority());
                setupDone = true;
                moq.relay.cluster.PeerRelays.markIfRelay(engine, setup.path()); // cluster hook (docs/cluster.md)
                quirks = PeerQuirks.draft18(setup.implementation());
                LOG.info("MoQT session of peer {}: SETUP done, draft-18, implementation '{}', quirks {}", peer,
                    quirks.implementation(), quirks);
                for (final Runnable r : early)
                {
                    r.run();
                }
                early.clear();
                return;
            }
            if (m instanceof Goaway)
            {
                ((Goaway)m).validateReceivedByServer();
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
        Draft18Replies replies;
        long requestId = -1;
        PeerRequest request;
        /** The track the peer PUBLISHes on this stream, once accepted. */
        Draft18UpstreamTrack published;

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
            if (requestId != -1)
            {
                followUp(m);
                return;
            }
            if (!MessageType.opensRequestStream(m.type()))
            {
                throw WireException.protocolViolation("a request stream must start with a request, not " +
                    m.getClass().getSimpleName());
            }
            final Draft18Replies answers = new Draft18Replies(messages, quirks, stream);
            replies = answers;
            if (m instanceof Subscribe s && open(s.requestId(), answers))
            {
                subscribe(s, answers);
            }
            else if (m instanceof PublishNamespace p && open(p.requestId(), answers))
            {
                final NamespaceRequest r = new NamespaceRequest(Draft18Session.this, requestId, answers, NOTHING);
                request = r;
                r.publishNamespace(p.namespace(), Draft18Session.this);
            }
            else if (m instanceof Publish p && open(p.requestId(), answers))
            {
                publish(p, answers);
            }
            else if (m instanceof TrackStatus t && open(t.requestId(), answers))
            {
                final TrackStatusRequest r = new TrackStatusRequest(Draft18Session.this, answers);
                request = r;
                r.start(new FullTrackName(t.namespace(), t.trackName()));
            }
            else if (m instanceof SubscribeNamespace n && open(n.requestId(), answers))
            {
                final NamespaceRequest r = new NamespaceRequest(Draft18Session.this, requestId, answers, NOTHING);
                request = r;
                r.subscribeNamespace(n.prefix());
            }
            else if (m instanceof Fetch f && open(f.requestId(), answers))
            {
                fetch(f, answers);
            }
            else if (m instanceof SubscribeTracks t && open(t.requestId(), answers))
            {
                final NamespaceRequest r = new NamespaceRequest(Draft18Session.this, requestId, answers, NOTHING);
                request = r;
                r.subscribeTracks(t.prefix(), Draft18Session.this::offer);
            }
            else if (requestId == -1)
            {
                throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName());
            }
            if (engine.requestRateAbused())
            {
                throw new WireException(SessionError.INTERNAL_ERROR, REQUEST_RATE_ABUSED);
            }
        }

        /**
         * Takes the request's id: §"Request ID": a wrong parity or a duplicate is INVALID_REQUEST_ID; a lower id than
         * one already seen is not (request streams arrive in any order). False when refused because going away.
         */
        private boolean open(final long id, final Draft18Replies answers) throws WireException
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

        private void followUp(final ControlMessage m) throws WireException
        {
            if (published != null && m instanceof PublishDone d)
            {
                if (published.state() == UpstreamTrack.State.ESTABLISHED)
                {
                    published.publishDone(d.streamCount(), Codes.publishDone(d.statusCode()), d.reason().toString());
                }
                return;
            }
            if (published != null && (m instanceof RequestOk || m instanceof RequestError))
            {
                return; // the answer to the relay's REQUEST_UPDATE of the Forward State
            }
            if (m instanceof RequestUpdate u)
            {
                // Updates of requests other than subscriptions (namespace prefixes, fetches) are not supported:
                // refused, the request itself stays as it was.
                if (request == null || !request.update(u.parameters().forward().orElse(true),
                    u.parameters().subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY)))
                {
                    replies.updateRefused(RequestErrorCode.NOT_SUPPORTED,
                        "REQUEST_UPDATE of this request is not supported");
                }
                return;
            }
            throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                " on a request stream");
        }

        private void subscribe(final Subscribe s, final Draft18Replies answers)
        {
            final DownstreamSubscribe r = new DownstreamSubscribe(Draft18Session.this, requestId, nextAlias++,
                answers, false, NOTHING);
            request = r;
            r.start(new FullTrackName(s.namespace(), s.trackName()), new SubscribeOptions(
                quirks.subscriptionFilter(Codes.filter(s.filter().orElse(null))), s.forward(),
                s.subscriberPriority(), Codes.groupOrder(s.groupOrder().orElse(null)), true,
                s.rendezvousTimeoutMillis()));
        }

        private void publish(final Publish p, final Draft18Replies answers)
        {
            final UpstreamSubscription up = UpstreamTrack.publish(Draft18Session.this, requestId,
                new FullTrackName(p.namespace(), p.trackName()), p.trackProperties().pairs(),
                p.largestObject().orElse(null), Draft18Session.this, answers);
            if (up == null)
            {
                return;
            }
            published = upstreamTrack(up);
            published.published(requestId, p.trackAlias(), stream);
            // Forward follows downstream demand (raised later by REQUEST_UPDATE), except for a peer that cannot take
            // an update of its own request (PeerQuirks#publishForwardAlways).
            stream.writeAndFlush(messages.encode(new RequestOk(MessageParameters.of(
                new Parameter.Forward(quirks.publishForwardAlways() || up.forward())))));
            aliasKnown(p.trackAlias());
        }

        private void fetch(final Fetch f, final Draft18Replies answers)
        {
            final DownstreamFetch.Type type = f.fetchType() == Fetch.Type.STANDALONE ? DownstreamFetch.Type.STANDALONE
                : f.fetchType() == Fetch.Type.RELATIVE_JOINING ? DownstreamFetch.Type.RELATIVE_JOINING
                : DownstreamFetch.Type.ABSOLUTE_JOINING;
            final FetchRequest fetch = type == DownstreamFetch.Type.STANDALONE
                ? DownstreamFetch.request(type, new FullTrackName(f.standalone().namespace(),
                    f.standalone().trackName()), f.standalone().start(), f.standalone().end(), 0, 0)
                : DownstreamFetch.request(type, null, null, null, f.joining().joiningRequestId(),
                    f.joining().joiningStart());
            final DownstreamFetch r = new DownstreamFetch(Draft18Session.this, requestId, answers, NOTHING);
            request = r;
            r.start(fetch, Codes.groupOrder(f.groupOrder()));
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
                replies = new Draft18Replies(messages, quirks, stream);
            }
            replies.end();
        }
    }

    // ---- tracks offered to the peer (SUBSCRIBE_TRACKS): PUBLISH on a new request stream

    /** Offers {@code track} with PUBLISH on a relay-opened request stream ({@link OfferedTrack}). */
    private void offer(final FullTrackName track, final Location largest, final List<KeyValuePair> properties)
    {
        final long requestId = nextOwnRequestId();
        final long alias = nextAlias++;
        if (closed)
        {
            return;
        }
        final Draft18Replies replies = new Draft18Replies(messages, quirks, null);
        final OfferedTrack offer = new OfferedTrack(this, track, requestId, alias, replies);
        final MessageParameters params = quirks.largestObject(largest);
        transport.openStream(QuicStreamType.BIDIRECTIONAL, new ControlMessageReader(Draft18ControlCodec.INSTANCE,
            new OfferStream(offer), this::fail, controlBytes)).addListener(f ->
            {
                if (f.isSuccess())
                {
                    final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                    replies.stream(stream);
                    stream.writeAndFlush(messages.encode(new Publish(requestId, track.namespace(), track.name(),
                        alias, params, Properties.of(properties))));
                }
            });
    }

    /** The peer's answers on an offered track's stream: PUBLISH_OK or REQUEST_ERROR, then updates. */
    private final class OfferStream implements ControlMessageReader.Sink
    {
        final OfferedTrack offer;

        OfferStream(final OfferedTrack offer)
        {
            this.offer = offer;
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (m instanceof RequestOk ok && offer.state() == OfferedTrack.State.OFFERED)
            {
                ok.validateAs(moq.relay.wire.d18.ParameterContext.PUBLISH_OK);
                offer.accepted(new SubscribeOptions(Codes.filter(ok.filter().orElse(null)), ok.forward(),
                    ok.subscriberPriority(), Codes.groupOrder(ok.groupOrder().orElse(null)), true, 0));
            }
            else if (m instanceof RequestError && offer.declined())
            {
                return;
            }
            else if (!(m instanceof RequestUpdate u && offer.update(u.parameters().forward().orElse(true),
                u.parameters().subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY))))
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
        final Draft18UpstreamTrack track = upstreamTrack(subscription);
        track.subscribe(new ControlMessageReader(Draft18ControlCodec.INSTANCE, track, this::fail, controlBytes));
    }

    private Draft18UpstreamTrack upstreamTrack(final UpstreamSubscription subscription)
    {
        return new Draft18UpstreamTrack(this, upstreams, subscription, messages, quirks, this::nextOwnRequestId);
    }

    private long nextOwnRequestId()
    {
        final long id = nextOwnRequestId;
        nextOwnRequestId += 2;
        return id;
    }
}
