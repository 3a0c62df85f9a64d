package moq.relay.session;

import moq.relay.transport.session.UniStreamClassifier;

import moq.relay.transport.session.ControlMessageReader;
import moq.relay.transport.session.RequestStreamEnd;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.engine.FetchCallback;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.NamespaceListener;
import moq.relay.engine.PublishDoneStatus;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.SubscribeCallback;
import moq.relay.engine.SubscribeOptions;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.TrackStatusCallback;
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
import moq.relay.wire.d18.Draft18ControlCodec;
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
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscriptionFilter;
import moq.relay.wire.d18.TrackStatus;
import moq.relay.wire.data.StreamType;

/**
 * A draft-18 MoQT server session over a {@link MoqTransport}: SETUP on unidirectional control streams both ways, one
 * bidirectional stream per request, responses without request ids. Maps requests onto the engine's {@link Session}
 * and is the engine's {@link Publisher} for what the peer publishes (SUBSCRIBE upstream on new request streams, its
 * subgroup streams ingested by {@link SubgroupIngestHandler}). Event-loop confined; engine callbacks hop onto the
 * event loop.
 */
final class Draft18Session extends MoqtSession
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Draft18Session.class);
    private static final long CANCELLED = 0x1;

    private final ControlMessages messages = new ControlMessages(Draft18ControlCodec.INSTANCE);
    private final List<Runnable> early = new ArrayList<>();
    private final Map<Long, UpstreamLink> upstreamByAlias = new HashMap<>();
    private final Map<UpstreamSubscription, UpstreamLink> upstreams = new HashMap<>();
    private QuicStreamChannel controlOut;
    private boolean setupReceived;
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
        LOG.info("MoQT session open: peer {} draft-18", peer);
    }

    @Override
    boolean setupComplete()
    {
        return setupReceived;
    }

    // ---- transport events

    @Override
    public void streamOpened(final QuicStreamChannel stream)
    {
        if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
        {
            stream.pipeline().addLast(new UniStreamClassifier(Draft.DRAFT_18.varint(), type -> route(stream, type)));
            return;
        }
        if (!setupReceived && ++earlyStreams > settings.maxEarlyStreams())
        {
            fail(SessionError.PROTOCOL_VIOLATION, "too many request streams before SETUP");
            return;
        }
        final RequestStream request = new RequestStream(stream);
        stream.pipeline().addLast(new ControlMessageReader(Draft18ControlCodec.INSTANCE, request, this::fail,
            controlBytes));
    }

    private ChannelHandler route(final QuicStreamChannel stream, final long type)
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

    /**
     * REQUEST_UPDATE of a subscription (§"Updating Subscriptions"): Forward and Subscriber Priority go to the engine,
     * the answer goes back on the request's own stream through {@code answer}; a refused update leaves the
     * subscription as it was.
     */
    private void updateSubscription(
        final long requestId, final RequestUpdate update, final java.util.function.Consumer<ControlMessage> answer)
    {
        engine.updateSubscription(requestId, update.parameters().forward().orElse(true),
            update.parameters().subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY),
            new RequestCallback()
            {
                @Override
                public void ok()
                {
                    onLoop(() -> answer.accept(RequestOk.EMPTY));
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    onLoop(() -> answer.accept(RequestError.of(code.code(), 0, Bytes.utf8(truncate(reason)))));
                }
            });
    }

    // ---- the peer's control stream

    private final class ControlStream implements ControlMessageReader.Sink
    {
        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!setupReceived)
            {
                if (!(m instanceof Setup))
                {
                    throw WireException.protocolViolation("the control stream must start with SETUP");
                }
                final Setup setup = (Setup)m;
                setup.validateReceivedByServer();
                settings.setupTarget().check(transport.overWebTransport(), setup.path(), setup.authority());
                setupReceived = true;
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

    private final class RequestStream implements ControlMessageReader.Sink, SubgroupStreamWriter.Done
    {
        final QuicStreamChannel stream;
        long requestId = -1;
        SubgroupStreamWriter writer;
        FetchStreamWriter fetchWriter;
        UpstreamLink published;
        boolean live;
        boolean outputDone;

        RequestStream(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!setupReceived)
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
                if (published != null && m instanceof PublishDone)
                {
                    published.onMessage(m);
                    return;
                }
                if (published != null && (m instanceof RequestOk || m instanceof RequestError))
                {
                    return; // the answer to the relay's REQUEST_UPDATE of the Forward State
                }
                if (m instanceof RequestUpdate && writer != null)
                {
                    updateSubscription(requestId, (RequestUpdate)m, this::send);
                    return;
                }
                if (m instanceof RequestUpdate)
                {
                    // Updates of other requests (namespace prefixes, fetches) are not supported: refused, the
                    // request itself stays as it was.
                    send(RequestError.of(RequestErrorCode.NOT_SUPPORTED.code(), 0,
                        Bytes.utf8("REQUEST_UPDATE of this request is not supported")));
                    return;
                }
                throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                    " on a request stream");
            }
            if (!MessageType.opensRequestStream(m.type()))
            {
                throw WireException.protocolViolation("a request stream must start with a request, not " +
                    m.getClass().getSimpleName());
            }
            requestId = requestIdOf(m);
            // §"Request ID": a wrong parity or a duplicate is INVALID_REQUEST_ID; a lower id than one already seen is
            // not (request streams arrive in any order).
            peerRequestIds.use(requestId);
            if (goingAway)
            {
                reject(RequestErrorCode.GOING_AWAY, "going away");
                return;
            }
            live = true;
            if (m instanceof Subscribe)
            {
                subscribe((Subscribe)m);
            }
            else if (m instanceof PublishNamespace)
            {
                engine.publishNamespace(requestId, ((PublishNamespace)m).namespace(), Draft18Session.this,
                    requestCallback());
            }
            else if (m instanceof Publish)
            {
                publish((Publish)m);
            }
            else if (m instanceof TrackStatus)
            {
                trackStatus((TrackStatus)m);
            }
            else if (m instanceof SubscribeNamespace)
            {
                subscribeNamespace((SubscribeNamespace)m);
            }
            else if (m instanceof moq.relay.wire.d18.Fetch)
            {
                fetch((moq.relay.wire.d18.Fetch)m);
            }
            else if (m instanceof moq.relay.wire.d18.SubscribeTracks)
            {
                engine.subscribeTracks(requestId, ((moq.relay.wire.d18.SubscribeTracks)m).prefix(),
                    new moq.relay.engine.TrackListener()
                    {
                        @Override
                        public void track(final FullTrackName track, final Location largest,
                            final List<KeyValuePair> properties)
                        {
                            onLoop(() -> new OfferedTrack(track).offer(largest, properties));
                        }

                        @Override
                        public void trackDone(final FullTrackName track)
                        {
                            // an accepted offer ends with its subscription's PUBLISH_DONE
                        }
                    }, requestCallback());
            }
            else
            {
                live = false;
                reject(RequestErrorCode.NOT_SUPPORTED, "not supported by this relay yet");
            }
            if (engine.requestRateAbused())
            {
                throw new WireException(SessionError.INTERNAL_ERROR, REQUEST_RATE_ABUSED);
            }
        }

        private long requestIdOf(final ControlMessage m)
        {
            if (m instanceof Subscribe)
            {
                return ((Subscribe)m).requestId();
            }
            if (m instanceof PublishNamespace)
            {
                return ((PublishNamespace)m).requestId();
            }
            if (m instanceof Publish)
            {
                return ((Publish)m).requestId();
            }
            if (m instanceof TrackStatus)
            {
                return ((TrackStatus)m).requestId();
            }
            if (m instanceof SubscribeNamespace)
            {
                return ((SubscribeNamespace)m).requestId();
            }
            if (m instanceof moq.relay.wire.d18.SubscribeTracks)
            {
                return ((moq.relay.wire.d18.SubscribeTracks)m).requestId();
            }
            return ((moq.relay.wire.d18.Fetch)m).requestId();
        }

        private void subscribe(final Subscribe s)
        {
            final long alias = nextAlias++;
            writer = new SubgroupStreamWriter(transport, engine.egressLoop(), Draft.DRAFT_18, alias, this);
            final SubscribeOptions options = new SubscribeOptions(
                quirks.subscriptionFilter(Codes.filter(s.filter().orElse(null))), s.forward(),
                s.subscriberPriority(), Codes.groupOrder(s.groupOrder().orElse(null)), true,
                s.rendezvousTimeoutMillis());
            final SubgroupStreamWriter w = writer;
            engine.subscribe(requestId, new FullTrackName(s.namespace(), s.trackName()), options, w,
                new SubscribeCallback()
                {
                    @Override
                    public void ok(final DownstreamSubscription sub, final Location largest,
                        final List<KeyValuePair> properties)
                    {
                        onLoop(() ->
                        {
                            if (!outputDone)
                            {
                                final MessageParameters params = quirks.largestObject(largest);
                                stream.writeAndFlush(messages.encode(new SubscribeOk(alias, params,
                                    Properties.of(properties))));
                            }
                            w.start(sub);
                        });
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        onLoop(() ->
                        {
                            live = false;
                            reject(code, reason);
                        });
                    }
                });
        }

        private void publish(final Publish p)
        {
            final UpstreamLink link = new UpstreamLink(null);
            final UpstreamSubscription up = engine.publish(requestId, new FullTrackName(p.namespace(), p.trackName()),
                p.trackProperties().pairs(), p.largestObject().orElse(null), Draft18Session.this,
                new RequestCallback()
                {
                    @Override
                    public void ok()
                    {
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        onLoop(() ->
                        {
                            live = false;
                            reject(code, reason);
                        });
                    }
                });
            if (up == null)
            {
                return;
            }
            link.subscription = up;
            link.alias = p.trackAlias();
            link.requestId = requestId;
            link.publishStream = this;
            link.established = true;
            published = link;
            upstreamByAlias.put(link.alias, link);
            upstreams.put(up, link);
            // Forward follows downstream demand (raised later by REQUEST_UPDATE), except for a peer that cannot take
            // an update of its own request (PeerQuirks#publishForwardAlways).
            stream.writeAndFlush(messages.encode(new RequestOk(MessageParameters.of(
                new Parameter.Forward(quirks.publishForwardAlways() || up.forward())))));
            aliasWaiters.known(link.alias);
        }

        private void fetch(final moq.relay.wire.d18.Fetch f)
        {
            final moq.relay.engine.GroupOrder order = Codes.groupOrder(f.groupOrder());
            final FetchRequest request;
            if (f.fetchType() == moq.relay.wire.d18.Fetch.Type.STANDALONE)
            {
                final moq.relay.wire.d18.Fetch.Standalone s = f.standalone();
                request = FetchRequest.standalone(new FullTrackName(s.namespace(), s.trackName()), s.start(), s.end());
            }
            else if (f.fetchType() == moq.relay.wire.d18.Fetch.Type.RELATIVE_JOINING)
            {
                request = FetchRequest.relativeJoining(f.joining().joiningRequestId(), f.joining().joiningStart());
            }
            else
            {
                request = FetchRequest.absoluteJoining(f.joining().joiningRequestId(), f.joining().joiningStart());
            }
            final long id = requestId;
            final FetchStreamWriter w = new FetchStreamWriter(transport, engine.egressLoop(), Draft.DRAFT_18, id,
                order == moq.relay.engine.GroupOrder.DESCENDING, complete ->
                {
                    // A finished (or failed) fetch is released in the engine; the request stream ends with it.
                    if (live)
                    {
                        live = false;
                        engine.cancel(id);
                    }
                    if (!outputDone && stream.isActive())
                    {
                        outputDone = true;
                        stream.shutdownOutput();
                    }
                });
            fetchWriter = w;
            engine.fetch(id, request.withGroupOrder(order), w, new FetchCallback()
            {
                @Override
                public void ok(final boolean endOfTrack, final Location endLocation,
                    final List<KeyValuePair> properties)
                {
                    onLoop(() ->
                    {
                        send(new moq.relay.wire.d18.FetchOk(endOfTrack, endLocation, Properties.of(properties)));
                        w.start();
                    });
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    onLoop(() ->
                    {
                        live = false;
                        reject(code, reason);
                    });
                }
            });
        }

        private void trackStatus(final TrackStatus t)
        {
            engine.trackStatus(new FullTrackName(t.namespace(), t.trackName()), new TrackStatusCallback()
            {
                @Override
                public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> properties)
                {
                    onLoop(() ->
                    {
                        live = false;
                        final MessageParameters params = quirks.largestObject(largest);
                        finish(new RequestOk(params, Properties.of(properties)));
                    });
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    onLoop(() ->
                    {
                        live = false;
                        reject(code, reason);
                    });
                }
            });
        }

        private void subscribeNamespace(final SubscribeNamespace s)
        {
            engine.subscribeNamespace(requestId, s.prefix(), new NamespaceListener()
            {
                @Override
                public void namespace(final TrackNamespace suffix)
                {
                    onLoop(() -> send(new moq.relay.wire.d18.Namespace(suffix)));
                }

                @Override
                public void namespaceDone(final TrackNamespace suffix)
                {
                    onLoop(() -> send(new moq.relay.wire.d18.NamespaceDone(suffix)));
                }
            }, requestCallback());
        }

        private RequestCallback requestCallback()
        {
            return new RequestCallback()
            {
                @Override
                public void ok()
                {
                    onLoop(() -> send(RequestOk.EMPTY));
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    onLoop(() ->
                    {
                        live = false;
                        reject(code, reason);
                    });
                }
            };
        }

        private void send(final ControlMessage m)
        {
            if (!outputDone)
            {
                stream.writeAndFlush(messages.encode(m));
            }
        }

        /** The last message of the request: write it, then FIN. */
        private void finish(final ControlMessage m)
        {
            if (!outputDone)
            {
                outputDone = true;
                stream.writeAndFlush(messages.encode(m)).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        }

        private void reject(final RequestErrorCode code, final String reason)
        {
            finish(RequestError.of(code.code(), 0, Bytes.utf8(truncate(reason))));
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
        {
            live = false;
            finish(new PublishDone(status.code(), streamCount, Bytes.utf8(truncate(reason))));
        }

        @Override
        public void onEnd()
        {
            // The peer closed or reset its side: the request is cancelled (a PUBLISH_NAMESPACE is withdrawn).
            if (requestId != -1 && !closed)
            {
                if (published != null)
                {
                    published.onEnd();
                }
                else if (live)
                {
                    engine.cancel(requestId);
                }
                // After PUBLISH_DONE the subscriber closing its side is no cancel: data streams still delivering
                // the last objects are left to finish.
                if (writer != null && live)
                {
                    writer.cancelAll();
                }
                if (fetchWriter != null)
                {
                    fetchWriter.cancel();
                }
            }
            live = false;
            if (!outputDone && stream.isActive())
            {
                outputDone = true;
                stream.shutdownOutput();
            }
        }
    }

    // ---- tracks offered to the peer (SUBSCRIBE_TRACKS): PUBLISH on a new request stream

    /**
     * One track offered with PUBLISH on a relay-opened request stream; the peer's PUBLISH_OK subscribes it in the
     * engine with the offered alias, and the subscription's objects and PUBLISH_DONE follow as for a SUBSCRIBE.
     */
    private final class OfferedTrack implements ControlMessageReader.Sink, SubgroupStreamWriter.Done
    {
        final FullTrackName track;
        final long requestId;
        final long alias;
        QuicStreamChannel stream;
        SubgroupStreamWriter writer;
        boolean answered;
        boolean live;
        boolean outputDone;

        OfferedTrack(final FullTrackName track)
        {
            this.track = track;
            this.requestId = nextOwnRequestId;
            nextOwnRequestId += 2;
            this.alias = nextAlias++;
        }

        void offer(final Location largest, final List<KeyValuePair> properties)
        {
            if (closed)
            {
                return;
            }
            final MessageParameters params = quirks.largestObject(largest);
            transport.openStream(QuicStreamType.BIDIRECTIONAL,
                new ControlMessageReader(Draft18ControlCodec.INSTANCE, this, Draft18Session.this::fail, controlBytes))
                .addListener(f ->
                {
                    if (f.isSuccess())
                    {
                        stream = (QuicStreamChannel)f.getNow();
                        stream.writeAndFlush(messages.encode(new Publish(requestId, track.namespace(), track.name(),
                            alias, params, Properties.of(properties))));
                    }
                });
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!answered && m instanceof RequestOk)
            {
                answered = true;
                final RequestOk ok = (RequestOk)m;
                ok.validateAs(moq.relay.wire.d18.ParameterContext.PUBLISH_OK);
                live = true;
                final SubgroupStreamWriter w = new SubgroupStreamWriter(transport, engine.egressLoop(),
                    Draft.DRAFT_18, alias, this);
                writer = w;
                final SubscribeOptions options = new SubscribeOptions(Codes.filter(ok.filter().orElse(null)),
                    ok.forward(), ok.subscriberPriority(), Codes.groupOrder(ok.groupOrder().orElse(null)), true, 0);
                engine.subscribe(requestId, track, options, w, new SubscribeCallback()
                {
                    @Override
                    public void ok(final DownstreamSubscription sub, final Location largest,
                        final List<KeyValuePair> properties)
                    {
                        onLoop(() -> w.start(sub));
                    }

                    @Override
                    public void error(final RequestErrorCode code, final String reason)
                    {
                        onLoop(() -> publishDone(PublishDoneStatus.INTERNAL_ERROR, 0, reason));
                    }
                });
            }
            else if (!answered && m instanceof RequestError)
            {
                answered = true;
                end();
            }
            else if (answered && m instanceof RequestUpdate && live)
            {
                updateSubscription(requestId, (RequestUpdate)m, this::send);
            }
            else
            {
                throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                    " on a PUBLISH stream");
            }
        }

        private void send(final ControlMessage m)
        {
            if (!outputDone && stream != null)
            {
                stream.writeAndFlush(messages.encode(m));
            }
        }

        private void end()
        {
            if (!outputDone && stream != null && stream.isActive())
            {
                outputDone = true;
                stream.shutdownOutput();
            }
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final long streamCount, final String reason)
        {
            live = false;
            if (!outputDone && stream != null)
            {
                outputDone = true;
                stream.writeAndFlush(messages.encode(new PublishDone(status.code(), streamCount,
                    Bytes.utf8(truncate(reason))))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            }
        }

        @Override
        public void onEnd()
        {
            if (live && !closed)
            {
                engine.cancel(requestId);
            }
            live = false;
            if (writer != null)
            {
                writer.cancelAll();
            }
            end();
        }
    }

    // ---- the engine as subscriber of what the peer publishes

    /** The relay's subscription to one of the peer's tracks: its request stream and track alias. */
    private final class UpstreamLink implements ControlMessageReader.Sink
    {
        UpstreamSubscription subscription;
        QuicStreamChannel stream;
        RequestStream publishStream;
        long requestId;
        long alias = -1;
        boolean established;
        boolean ended;
        /** When the PUBLISH_DONE below may take effect: the data streams it counts, and any still open. */
        final PublishDoneGate doneGate = new PublishDoneGate();
        PublishDoneStatus doneStatus;
        String doneReason;
        boolean graceScheduled;

        UpstreamLink(final UpstreamSubscription subscription)
        {
            this.subscription = subscription;
        }

        @Override
        public void onMessage(final ControlMessage m) throws WireException
        {
            if (!established && m instanceof SubscribeOk)
            {
                final SubscribeOk ok = (SubscribeOk)m;
                established = true;
                alias = ok.trackAlias();
                if (upstreamByAlias.putIfAbsent(alias, this) != null)
                {
                    throw new WireException(SessionError.DUPLICATE_TRACK_ALIAS, "track alias " + alias + " in use");
                }
                subscription.accept(ok.largestObject().orElse(null), ok.trackProperties().pairs());
                aliasWaiters.known(alias);
            }
            else if (!established && m instanceof RequestError)
            {
                ended = true;
                upstreams.remove(subscription);
                subscription.reject(Codes.requestError(((RequestError)m).errorCode()),
                    ((RequestError)m).reason().toString());
            }
            else if (established && m instanceof PublishDone)
            {
                final PublishDone d = (PublishDone)m;
                doneGate.done(d.streamCount());
                doneStatus = Codes.publishDone(d.statusCode());
                doneReason = d.reason().toString();
                maybeDone();
            }
            else if (!(m instanceof RequestOk))
            {
                throw WireException.protocolViolation("unexpected " + m.getClass().getSimpleName() +
                    " on a SUBSCRIBE stream");
            }
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
            if (alias != -1)
            {
                upstreamByAlias.remove(alias, this);
            }
        }

        @Override
        public void onEnd()
        {
            // The publisher ended its side (after REQUEST_ERROR or PUBLISH_DONE, or cancelling): end ours, so the
            // stream is freed and the publisher's stream credit comes back.
            RequestStreamEnd.finishOwnSide(stream);
            // Streams end before the connection reports its close: decide once the close had its chance to run,
            // so a publisher that leaves ends its tracks with the engine's TRACK_ENDED, not an error.
            transport.eventLoop().execute(this::ended);
        }

        private void ended()
        {
            if (ended || closed || transport.closeFuture().isDone())
            {
                return;
            }
            if (!established)
            {
                ended = true;
                upstreams.remove(subscription);
                subscription.reject(RequestErrorCode.INTERNAL_ERROR, "request stream closed");
            }
            else if (doneStatus == null)
            {
                end();
                subscription.done(PublishDoneStatus.INTERNAL_ERROR, "request stream closed without PUBLISH_DONE");
            }
        }
    }

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        onLoop(() -> openUpstream(subscription));
    }

    private void openUpstream(final UpstreamSubscription subscription)
    {
        if (closed)
        {
            subscription.reject(RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
            return;
        }
        final UpstreamLink link = new UpstreamLink(subscription);
        link.requestId = nextOwnRequestId;
        nextOwnRequestId += 2;
        upstreams.put(subscription, link);
        final ControlMessageReader reader = new ControlMessageReader(Draft18ControlCodec.INSTANCE, link, this::fail,
            controlBytes);
        transport.openStream(QuicStreamType.BIDIRECTIONAL, reader).addListener(f ->
        {
            if (!f.isSuccess())
            {
                link.ended = true;
                upstreams.remove(subscription);
                subscription.reject(RequestErrorCode.EXCESSIVE_LOAD, "cannot open a request stream");
                return;
            }
            link.stream = (QuicStreamChannel)f.getNow();
            if (link.ended)
            {
                transport.resetStream(link.stream, CANCELLED); // unsubscribed while the stream was opening
                return;
            }
            final FullTrackName track = subscription.track();
            link.stream.writeAndFlush(messages.encode(new Subscribe(link.requestId, track.namespace(), track.name(),
                MessageParameters.of(new Parameter.Forward(subscription.forward()),
                    new Parameter.Filter(SubscriptionFilter.largestObject())))));
        });
    }

    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        onLoop(() ->
        {
            final UpstreamLink link = upstreams.get(subscription);
            final QuicStreamChannel s = link == null ? null : link.stream != null ? link.stream :
                link.publishStream != null && !quirks.publishForwardAlways() ? link.publishStream.stream : null;
            if (s != null && s.isActive())
            {
                final long id = nextOwnRequestId;
                nextOwnRequestId += 2;
                s.writeAndFlush(messages.encode(new RequestUpdate(id,
                    MessageParameters.of(new Parameter.Forward(forward)))));
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
            if (link.stream != null && link.stream.isActive())
            {
                transport.resetStream(link.stream, CANCELLED);
            }
            else if (link.publishStream != null && link.publishStream.stream.isActive())
            {
                transport.resetStream(link.publishStream.stream, CANCELLED);
            }
        });
    }

    // ---- data streams of the peer

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
        final UpstreamLink link = upstreamByAlias.get(trackAlias);
        return link == null ? null : link.subscription;
    }
}
