package moq.relay.client;

import moq.relay.transport.session.UniStreamClassifier;

import moq.relay.transport.session.ControlMessageReader;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import moq.relay.transport.session.SessionFactory;
import moq.relay.transport.session.TransportSession;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.SetupOption;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.StreamType;
import moq.relay.wire.data.SubgroupHeader;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Test fixture: a minimal MoqT server peer for one session at a time, built from our codecs on the real server
 * foundation. It answers the setup of either draft, answers PUBLISH_NAMESPACE with OK, answers SUBSCRIBE with
 * SUBSCRIBE_OK then {@link #script} on subgroup streams and PUBLISH_DONE, can SUBSCRIBE to the client's tracks,
 * and records what the client sent: control messages, the raw bytes of its control and request streams, and the
 * objects of its data streams (decoded with {@link DataStreamDecoder}).
 *
 * <p>With {@link #relay} set it behaves like a relay across its sessions instead: namespaces are remembered per
 * publishing session and a SUBSCRIBE is forwarded to the session that published a matching namespace, its answer
 * passed back (no objects are relayed). With {@link #silent} set it answers only the setup.
 */
final class MoqTestPeer implements SessionFactory
{
    /** Alias the peer gives in SUBSCRIBE_OK. */
    static final long ALIAS = 7;
    static final long TRACK_ENDED = 0x2;

    /** Objects the peer sends per group after SUBSCRIBE_OK; each group ends with an End of Group object. */
    volatile List<List<byte[]>> script = List.of();
    /** MAX_REQUEST_ID the draft-14 SERVER_SETUP grants. */
    volatile long maxRequestId = 100;
    /** Whether PUBLISH_NAMESPACE is refused (with code 0x1 UNAUTHORIZED). */
    volatile boolean refuseNamespaces;

    /** Whether SUBSCRIBE is answered without sending the script and PUBLISH_DONE (the subscription stays open). */
    volatile boolean holdSubscriptions;
    /** If above 0: the script's last group sends its first object, then PUBLISH_DONE goes out, and only this many
     *  milliseconds later the group's other objects and FIN (data that trails PUBLISH_DONE, as when retransmitted). */
    volatile long trailingLastGroupMillis;
    /** A payload the peer sends as an OBJECT_DATAGRAM (group 9, object 0) right after SUBSCRIBE_OK, or null. */
    volatile byte[] datagramPayload;

    /** Relay mode (see the class comment); a SUBSCRIBE nobody publishes is refused with DOES_NOT_EXIST. */
    volatile boolean relay;
    /** Relay mode: a SUBSCRIBE nobody publishes waits for a matching PUBLISH_NAMESPACE instead of being refused. */
    volatile boolean holdUnroutedSubscribes;
    /** Whether requests go unanswered (the setup is still answered). */
    volatile boolean silent;
    /** Relay mode: namespaces withdrawn by their publisher (draft-18 request stream ended, draft-14 DONE). */
    final List<TrackNamespace> withdrawnNamespaces = new CopyOnWriteArrayList<>();
    /** Relay mode: SUBSCRIBEs forwarded to a publishing session. */
    final List<ControlMessage> forwardedSubscribes = new CopyOnWriteArrayList<>();
    private final Map<TrackNamespace, Session> publishers = new ConcurrentHashMap<>();
    private final List<PendingSubscribe> pendingSubscribes = new CopyOnWriteArrayList<>();

    final List<ControlMessage> received = new CopyOnWriteArrayList<>();
    /** Draft-18 request streams of the client whose input ended (FIN or reset), e.g. a cancelled SUBSCRIBE. */
    final List<Long> endedRequestStreams = new CopyOnWriteArrayList<>();
    /** Objects the client sent as datagrams. */
    final List<PeerObject> datagrams = new CopyOnWriteArrayList<>();
    /** Bytes the client wrote on its control stream and request streams, by stream id, in order. */
    final Map<Long, ByteArrayOutputStream> rawStreams = new ConcurrentHashMap<>();
    final List<PeerObject> objects = new CopyOnWriteArrayList<>();
    final List<ControlMessage> subscribeResponses = new CopyOnWriteArrayList<>();
    /** Whether the client's fetch streams are left unread (no flow-control credit) until {@link #releaseFetchStreams}. */
    volatile boolean holdFetchStreams;
    /** The client's fetch streams, in the order they opened. */
    final List<FetchStream> fetchStreams = new CopyOnWriteArrayList<>();
    final CompletableFuture<QuicConnectionCloseEvent> clientClose = new CompletableFuture<>();
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    volatile int finishedDataStreams;
    volatile Session current;

    /** How a relayed SUBSCRIBE is answered downstream. */
    private interface SubscribeAnswer
    {
        void ok();

        void error(long code, String reason);
    }

    private record PendingSubscribe(TrackNamespace namespace, Bytes name, SubscribeAnswer answer)
    {
    }

    /** Relay mode: forwards to the publisher of a prefix of {@code ns}, or parks or refuses the SUBSCRIBE. */
    private void routeSubscribe(final TrackNamespace ns, final Bytes name, final SubscribeAnswer answer,
        final long notFound)
    {
        for (final Map.Entry<TrackNamespace, Session> p : publishers.entrySet())
        {
            if (ns.startsWith(p.getKey()))
            {
                p.getValue().forwardSubscribe(ns, name, answer);
                return;
            }
        }
        if (holdUnroutedSubscribes)
        {
            pendingSubscribes.add(new PendingSubscribe(ns, name, answer));
        }
        else
        {
            answer.error(notFound, "no publisher for " + ns);
        }
    }

    private void published(final TrackNamespace ns, final Session publisher)
    {
        publishers.put(ns, publisher);
        for (final PendingSubscribe p : pendingSubscribes)
        {
            if (p.namespace().startsWith(ns) && pendingSubscribes.remove(p))
            {
                publisher.forwardSubscribe(p.namespace(), p.name(), p.answer());
            }
        }
    }

    private void withdrawn(final TrackNamespace ns)
    {
        if (ns != null && publishers.remove(ns) != null)
        {
            withdrawnNamespaces.add(ns);
        }
    }

    record PeerObject(long trackAlias, long groupId, long subgroupId, long objectId, long status, byte[] properties,
        byte[] payload)
    {
    }

    @Override
    public TransportSession open(final QuicChannel connection)
    {
        final String alpn = connection.sslEngine().getApplicationProtocol();
        final Session session = new Session(connection, Draft.DRAFT_18.alpn().equals(alpn) ? Draft.DRAFT_18 :
            Draft.DRAFT_20.alpn().equals(alpn) ? Draft.DRAFT_20 : Draft.DRAFT_14);
        current = session;
        connection.pipeline().addLast(session);
        return session;
    }

    /** Sends a SUBSCRIBE for the client's track, with the peer's next request id (the first is 1). */
    void subscribeToClient(final TrackNamespace ns, final Bytes name)
    {
        final Session s = current;
        s.connection.eventLoop().execute(() -> s.subscribe(ns, name, s.nextRequestId()));
    }

    /** Sends a SUBSCRIBE for the client's track with {@code requestId}, whatever the peer's ids so far. */
    void subscribeToClient(final TrackNamespace ns, final Bytes name, final long requestId)
    {
        final Session s = current;
        s.connection.eventLoop().execute(() -> s.subscribe(ns, name, requestId));
    }

    /**
     * Sends a standalone FETCH of {@code [start, end)} (end in draft 18's encoding) to the client: draft 14 on the
     * control stream, drafts 18 and 20 on a request stream of the peer's; completes with its request id.
     */
    CompletableFuture<Long> fetchFromClient(final TrackNamespace ns, final Bytes name, final Location start,
        final Location end)
    {
        final Session s = current;
        final CompletableFuture<Long> id = new CompletableFuture<>();
        s.connection.eventLoop().execute(() -> id.complete(s.fetch(ns, name, start, end)));
        return id;
    }

    /** Cancels the peer's FETCH {@code requestId}: draft 14 FETCH_CANCEL; drafts 18, 20 its request stream reset. */
    void cancelFetchOfClient(final long requestId)
    {
        final Session s = current;
        s.connection.eventLoop().execute(() -> s.cancelFetch(requestId));
    }

    /** Reads the held fetch streams (and later ones) from now on. */
    void releaseFetchStreams()
    {
        holdFetchStreams = false;
        for (final FetchStream f : fetchStreams)
        {
            f.stream.eventLoop().execute(() ->
            {
                f.stream.config().setAutoRead(true);
                f.stream.read();
            });
        }
    }

    /** Writes {@code bytes} on the peer's control stream (draft-18 SETUP stream, draft-14 control stream). */
    void writeOnControlStream(final byte[] bytes)
    {
        final Session s = current;
        s.connection.eventLoop().execute(() -> s.control.writeAndFlush(Unpooled.wrappedBuffer(bytes)));
    }

    /** Sends a control message on the control stream (GOAWAY, MAX_REQUEST_ID). */
    void sendControl(final ControlMessage message)
    {
        final Session s = current;
        s.connection.eventLoop().execute(() -> s.control.writeAndFlush(s.encode(message)));
    }

    final class Session extends ChannelInboundHandlerAdapter implements TransportSession
    {
        final QuicChannel connection;
        final Draft draft;
        final ControlCodec codec;
        QuicStreamChannel control;
        /** Relay mode: draft-18 PUBLISH_NAMESPACE request streams by id; draft-14 SUBSCRIBEs forwarded by id. */
        private final Map<Long, TrackNamespace> namespaceStreams = new ConcurrentHashMap<>();
        private final Map<Long, SubscribeAnswer> upstream = new ConcurrentHashMap<>();
        /** Drafts 18, 20: the request streams of the peer's FETCHes, by request id. */
        private final Map<Long, QuicStreamChannel> fetchRequests = new ConcurrentHashMap<>();
        private long nextRequestId = 1;
        /** The client closed the connection: its request streams end without withdrawing anything. */
        private volatile boolean closing;

        Session(final QuicChannel connection, final Draft draft)
        {
            this.connection = connection;
            this.draft = draft;
            this.codec = draft == Draft.DRAFT_20 ? Draft20AsDraft18.INSTANCE : draft == Draft.DRAFT_18 ?
                Draft18ControlCodec.INSTANCE : Draft14ControlCodec.INSTANCE;
        }

        @Override
        public void goAway(final String newSessionUri)
        {
        }

        ByteBuf encode(final ControlMessage m)
        {
            final WireWriter w = new WireWriter(draft.varint());
            codec.encode(m, w);
            return Unpooled.copiedBuffer(w.buffer().byteArray(), 0, w.position());
        }

        @Override
        public void channelActive(final ChannelHandlerContext ctx)
        {
            if (draft.atLeast(18))
            {
                connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .addListener(f ->
                    {
                        control = (QuicStreamChannel)f.getNow();
                        control.writeAndFlush(encode(new moq.relay.wire.d18.Setup(List.of(
                            KeyValuePair.ofBytes(SetupOption.MOQT_IMPLEMENTATION, Bytes.utf8("test-peer"))))));
                    });
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof QuicConnectionCloseEvent)
            {
                closing = true;
                publishers.values().removeIf(p -> p == this);
                clientClose.complete((QuicConnectionCloseEvent)evt);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            publishers.values().removeIf(p -> p == this);
            closed.complete(null);
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof QuicStreamChannel)
            {
                final QuicStreamChannel stream = (QuicStreamChannel)msg;
                if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
                {
                    stream.pipeline().addLast(new UniStreamClassifier(draft.varint(), type -> route(stream, type)));
                }
                else
                {
                    stream.pipeline().addLast(new RawRecorder(stream.streamId()), reader(stream, true));
                }
            }
            else if (msg instanceof ByteBuf)
            {
                final ByteBuf b = (ByteBuf)msg;
                try
                {
                    final moq.relay.wire.data.ObjectDatagram d = new moq.relay.wire.data.ObjectDatagram();
                    final byte[] bytes = ByteBufUtil.getBytes(b);
                    if (d.decode(draft, new UnsafeBuffer(bytes), 0, bytes.length))
                    {
                        datagrams.add(new PeerObject(d.trackAlias(), d.groupId(), d.objectId(), d.objectId(),
                            d.hasStatus() ? d.status() : 0, new byte[0],
                            java.util.Arrays.copyOfRange(bytes, d.payloadOffset(), d.payloadOffset() + d.payloadLength())));
                    }
                }
                catch (final WireException e)
                {
                    throw new IllegalStateException(e);
                }
                finally
                {
                    b.release();
                }
                return;
            }
            ctx.fireChannelRead(msg);
        }

        private ChannelHandler route(final QuicStreamChannel stream, final long type)
        {
            if (StreamType.of(draft, type) == StreamType.SETUP)
            {
                // The classifier inserts the returned recorder right after itself, so before the reader.
                stream.pipeline().addLast(reader(stream, false));
                return new RawRecorder(stream.streamId());
            }
            return StreamType.of(draft, type) == StreamType.FETCH ? new FetchStream(stream) : new DataRecorder(draft);
        }

        /** The peer's next request id (odd, ascending); event loop. */
        long nextRequestId()
        {
            final long id = nextRequestId;
            nextRequestId += 2;
            return id;
        }

        /** See {@link MoqTestPeer#fetchFromClient}; event loop. */
        long fetch(final TrackNamespace ns, final Bytes name, final Location start, final Location end)
        {
            final long id = nextRequestId();
            if (!draft.atLeast(18))
            {
                control.writeAndFlush(encode(moq.relay.wire.d14.Fetch.standalone(id, 128,
                    moq.relay.wire.d14.GroupOrder.ASCENDING, new moq.relay.wire.d14.StandaloneFetch(ns, name, start,
                        end), moq.relay.wire.d14.MessageParameters.EMPTY)));
                return id;
            }
            final ControlMessage fetch = (draft == Draft.DRAFT_20 ? Draft20ClientDialect.INSTANCE :
                Draft18ClientDialect.INSTANCE).fetch(id, ns, name, start, end, -1, 0, false, 128, List.of());
            connection.createStream(QuicStreamType.BIDIRECTIONAL, null).addListener(f ->
            {
                final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                fetchRequests.put(id, stream);
                stream.pipeline().addLast(reader(stream, true));
                stream.writeAndFlush(encode(fetch));
            });
            return id;
        }

        /** See {@link MoqTestPeer#cancelFetchOfClient}; event loop. */
        void cancelFetch(final long requestId)
        {
            if (!draft.atLeast(18))
            {
                control.writeAndFlush(encode(new moq.relay.wire.d14.FetchCancel(requestId)));
                return;
            }
            final QuicStreamChannel stream = fetchRequests.remove(requestId);
            stream.shutdownOutput(1); // CANCELLED, with STOP_SENDING (draft-18 §"Fetch State Management")
            stream.shutdownInput(1);
        }

        private ControlMessageReader reader(final QuicStreamChannel stream, final boolean requestStream)
        {
            return new ControlMessageReader(codec, new ControlMessageReader.Sink()
            {
                @Override
                public void onMessage(final ControlMessage m)
                {
                    received.add(m);
                    onClientMessage(stream, requestStream, m);
                }

                @Override
                public void onEnd()
                {
                    if (requestStream)
                    {
                        endedRequestStreams.add(stream.streamId());
                        final TrackNamespace ns = namespaceStreams.remove(stream.streamId());
                        if (!closing && connection.isActive())
                        {
                            withdrawn(ns);
                        }
                    }
                }
            }, e -> connection.close(true, (int)e.error().code(), Unpooled.EMPTY_BUFFER));
        }

        private void onClientMessage(final QuicStreamChannel stream, final boolean bidi, final ControlMessage m)
        {
            if (silent && !(m instanceof moq.relay.wire.d14.ClientSetup) || relay && relayed(stream, m))
            {
                return;
            }
            if (m instanceof moq.relay.wire.d14.ClientSetup)
            {
                control = stream;
                stream.writeAndFlush(encode(new moq.relay.wire.d14.ServerSetup(Draft.DRAFT_14.version(),
                    moq.relay.wire.d14.SetupParameters.builder().maxRequestId(maxRequestId).build())));
            }
            else if (m instanceof moq.relay.wire.d18.PublishNamespace)
            {
                stream.writeAndFlush(encode(refuseNamespaces
                    ? moq.relay.wire.d18.RequestError.of(0x1, 0, Bytes.utf8("refused"))
                    : moq.relay.wire.d18.RequestOk.EMPTY));
            }
            else if (m instanceof moq.relay.wire.d14.PublishNamespace)
            {
                final long id = ((moq.relay.wire.d14.PublishNamespace)m).requestId();
                stream.writeAndFlush(encode(refuseNamespaces
                    ? new moq.relay.wire.d14.PublishNamespaceError(id, 0x1, Bytes.utf8("refused"))
                    : new moq.relay.wire.d14.PublishNamespaceOk(id)));
            }
            else if (m instanceof moq.relay.wire.d18.Subscribe)
            {
                stream.writeAndFlush(encode(new moq.relay.wire.d18.SubscribeOk(ALIAS,
                    moq.relay.wire.d18.MessageParameters.of(
                        new moq.relay.wire.d18.Parameter.LargestObject(new Location(0, 0))),
                    moq.relay.wire.param.Properties.EMPTY)));
                sendDatagram();
                if (holdSubscriptions)
                {
                    return;
                }
                sendScript(() -> stream.writeAndFlush(encode(new moq.relay.wire.d18.PublishDone(TRACK_ENDED,
                    script.size(), Bytes.utf8("done")))).addListener(QuicStreamChannel.SHUTDOWN_OUTPUT));
            }
            else if (m instanceof moq.relay.wire.d14.Subscribe)
            {
                final long id = ((moq.relay.wire.d14.Subscribe)m).requestId();
                stream.writeAndFlush(encode(new moq.relay.wire.d14.SubscribeOk(id, ALIAS, 0,
                    moq.relay.wire.d14.GroupOrder.ASCENDING, new Location(0, 0),
                    moq.relay.wire.d14.MessageParameters.EMPTY)));
                sendDatagram();
                if (holdSubscriptions)
                {
                    return;
                }
                sendScript(() -> stream.writeAndFlush(encode(new moq.relay.wire.d14.PublishDone(id, TRACK_ENDED,
                    script.size(), Bytes.utf8("done")))));
            }
            else if (m instanceof moq.relay.wire.d18.Fetch)
            {
                final long id = ((moq.relay.wire.d18.Fetch)m).requestId();
                stream.writeAndFlush(encode(new moq.relay.wire.d18.FetchOk(false, new Location(0, script.get(0).size()),
                    moq.relay.wire.param.Properties.EMPTY)));
                sendFetchStream(id);
            }
            else if (m instanceof moq.relay.wire.d14.Fetch)
            {
                final long id = ((moq.relay.wire.d14.Fetch)m).requestId();
                stream.writeAndFlush(encode(new moq.relay.wire.d14.FetchOk(id, moq.relay.wire.d14.GroupOrder.ASCENDING,
                    false, new Location(0, script.get(0).size() - 1), moq.relay.wire.d14.MessageParameters.EMPTY)));
                sendFetchStream(id);
            }
            else if (m instanceof moq.relay.wire.d18.Publish)
            {
                stream.writeAndFlush(encode(moq.relay.wire.d18.RequestOk.EMPTY));
            }
            else if (m instanceof moq.relay.wire.d14.Publish)
            {
                stream.writeAndFlush(encode(new moq.relay.wire.d14.PublishOk(
                    ((moq.relay.wire.d14.Publish)m).requestId(), true, 128, moq.relay.wire.d14.GroupOrder.ASCENDING,
                    moq.relay.wire.d14.SubscriptionFilter.largestObject(), moq.relay.wire.d14.MessageParameters.EMPTY)));
            }
            else if (m instanceof moq.relay.wire.d18.SubscribeOk || m instanceof moq.relay.wire.d18.PublishDone ||
                m instanceof moq.relay.wire.d14.SubscribeOk || m instanceof moq.relay.wire.d14.PublishDone ||
                m instanceof moq.relay.wire.d18.RequestError || m instanceof moq.relay.wire.d14.SubscribeError)
            {
                subscribeResponses.add(m);
            }
        }

        /** Relay mode: handles publishing and subscribing across sessions; false for other messages. */
        private boolean relayed(final QuicStreamChannel stream, final ControlMessage m)
        {
            if (m instanceof moq.relay.wire.d18.PublishNamespace)
            {
                final TrackNamespace ns = ((moq.relay.wire.d18.PublishNamespace)m).namespace();
                namespaceStreams.put(stream.streamId(), ns);
                stream.writeAndFlush(encode(moq.relay.wire.d18.RequestOk.EMPTY));
                published(ns, this);
            }
            else if (m instanceof moq.relay.wire.d14.PublishNamespace)
            {
                final moq.relay.wire.d14.PublishNamespace p = (moq.relay.wire.d14.PublishNamespace)m;
                stream.writeAndFlush(encode(new moq.relay.wire.d14.PublishNamespaceOk(p.requestId())));
                published(p.trackNamespace(), this);
            }
            else if (m instanceof moq.relay.wire.d14.PublishNamespaceDone)
            {
                withdrawn(((moq.relay.wire.d14.PublishNamespaceDone)m).trackNamespace());
            }
            else if (m instanceof moq.relay.wire.d18.Subscribe)
            {
                final moq.relay.wire.d18.Subscribe sub = (moq.relay.wire.d18.Subscribe)m;
                routeSubscribe(sub.namespace(), sub.trackName(), new SubscribeAnswer()
                {
                    @Override
                    public void ok()
                    {
                        connection.eventLoop().execute(() -> stream.writeAndFlush(encode(
                            new moq.relay.wire.d18.SubscribeOk(ALIAS, moq.relay.wire.d18.MessageParameters.EMPTY,
                                moq.relay.wire.param.Properties.EMPTY))));
                    }

                    @Override
                    public void error(final long code, final String reason)
                    {
                        connection.eventLoop().execute(() -> stream.writeAndFlush(encode(
                            moq.relay.wire.d18.RequestError.of(code, 0, Bytes.utf8(reason))))
                            .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT));
                    }
                }, moq.relay.wire.d18.RequestErrorCode.DOES_NOT_EXIST);
            }
            else if (m instanceof moq.relay.wire.d14.Subscribe)
            {
                final moq.relay.wire.d14.Subscribe sub = (moq.relay.wire.d14.Subscribe)m;
                final long id = sub.requestId();
                routeSubscribe(sub.trackNamespace(), sub.trackName(), new SubscribeAnswer()
                {
                    @Override
                    public void ok()
                    {
                        connection.eventLoop().execute(() -> control.writeAndFlush(encode(
                            new moq.relay.wire.d14.SubscribeOk(id, ALIAS, 0, moq.relay.wire.d14.GroupOrder.ASCENDING,
                                null, moq.relay.wire.d14.MessageParameters.EMPTY))));
                    }

                    @Override
                    public void error(final long code, final String reason)
                    {
                        connection.eventLoop().execute(() -> control.writeAndFlush(encode(
                            new moq.relay.wire.d14.SubscribeError(id, code, Bytes.utf8(reason)))));
                    }
                }, 0x4);
            }
            else if (m instanceof moq.relay.wire.d14.SubscribeOk
                && upstream.containsKey(((moq.relay.wire.d14.SubscribeOk)m).requestId()))
            {
                upstream.remove(((moq.relay.wire.d14.SubscribeOk)m).requestId()).ok();
            }
            else if (m instanceof moq.relay.wire.d14.SubscribeError
                && upstream.containsKey(((moq.relay.wire.d14.SubscribeError)m).requestId()))
            {
                final moq.relay.wire.d14.SubscribeError e = (moq.relay.wire.d14.SubscribeError)m;
                upstream.remove(e.requestId()).error(e.errorCode(), e.reason().utf8());
            }
            else
            {
                return false;
            }
            return true;
        }

        /** Relay mode: SUBSCRIBE to this (publishing) session on behalf of another one; {@code answer} gets the reply. */
        void forwardSubscribe(final TrackNamespace ns, final Bytes name, final SubscribeAnswer answer)
        {
            connection.eventLoop().execute(() ->
            {
                final long id = nextRequestId;
                nextRequestId += 2;
                if (draft.atLeast(18))
                {
                    final moq.relay.wire.d18.Subscribe sub = new moq.relay.wire.d18.Subscribe(id, ns, name,
                        moq.relay.wire.d18.MessageParameters.EMPTY);
                    forwardedSubscribes.add(sub);
                    connection.createStream(QuicStreamType.BIDIRECTIONAL, null).addListener(f ->
                    {
                        final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                        stream.pipeline().addLast(new ControlMessageReader(codec, new ControlMessageReader.Sink()
                        {
                            private boolean answered;

                            @Override
                            public void onMessage(final ControlMessage m)
                            {
                                if (!answered && m instanceof moq.relay.wire.d18.SubscribeOk)
                                {
                                    answered = true;
                                    answer.ok();
                                }
                                else if (!answered && m instanceof moq.relay.wire.d18.RequestError)
                                {
                                    answered = true;
                                    final moq.relay.wire.d18.RequestError e = (moq.relay.wire.d18.RequestError)m;
                                    answer.error(e.errorCode(), e.reason().utf8());
                                }
                            }

                            @Override
                            public void onEnd()
                            {
                                if (!answered)
                                {
                                    answered = true;
                                    answer.error(moq.relay.wire.d18.RequestErrorCode.INTERNAL_ERROR,
                                        "publisher ended the request stream");
                                }
                            }
                        }, e -> connection.close(true, (int)e.error().code(), Unpooled.EMPTY_BUFFER)));
                        stream.writeAndFlush(encode(sub));
                    });
                }
                else
                {
                    final moq.relay.wire.d14.Subscribe sub = new moq.relay.wire.d14.Subscribe(id, ns, name, 128,
                        moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
                        moq.relay.wire.d14.SubscriptionFilter.largestObject(),
                        moq.relay.wire.d14.MessageParameters.EMPTY);
                    forwardedSubscribes.add(sub);
                    upstream.put(id, answer);
                    control.writeAndFlush(encode(sub));
                }
            });
        }

        private void sendDatagram()
        {
            final byte[] payload = datagramPayload;
            if (payload == null)
            {
                return;
            }
            final UnsafeBuffer b = new UnsafeBuffer(new byte[64 + payload.length]);
            final int n = moq.relay.wire.data.ObjectDatagramEncoder.write(draft, b, 0, ALIAS, 9, 0, 10, false, null, 0,
                0, new UnsafeBuffer(payload), 0, payload.length);
            connection.writeAndFlush(Unpooled.copiedBuffer(b.byteArray(), 0, n));
        }

        /** The first group of the script on a fetch stream, then FIN. */
        private void sendFetchStream(final long requestId)
        {
            connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter()).addListener(f ->
            {
                final QuicStreamChannel out = (QuicStreamChannel)f.getNow();
                final moq.relay.wire.data.FetchStreamEncoder enc = new moq.relay.wire.data.FetchStreamEncoder(draft);
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
                int n = enc.writeHeader(draft, scratch, 0, requestId, false);
                out.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                final List<byte[]> objects = script.get(0);
                ChannelFuture last = null;
                for (int o = 0; o < objects.size(); o++)
                {
                    n = enc.writeObject(scratch, 0, 0, 0, false, o, 10, ObjectStatus.NORMAL, null, 0, 0,
                        objects.get(o).length);
                    out.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                    last = out.writeAndFlush(Unpooled.wrappedBuffer(objects.get(o)));
                }
                last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
            });
        }

        /** One stream per group: objects 0..n-1, then End of Group, FIN; {@code then} after every FIN is out. */
        private void sendScript(final Runnable then)
        {
            final List<List<byte[]>> groups = script;
            final List<ChannelFuture> fins = new ArrayList<>();
            if (groups.isEmpty())
            {
                then.run();
                return;
            }
            final CompletableFuture<Void> all = new CompletableFuture<>();
            final int[] pending = {groups.size()};
            for (int g = 0; g < groups.size(); g++)
            {
                final int group = g;
                connection.createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
                    .addListener(f ->
                    {
                        final QuicStreamChannel out = (QuicStreamChannel)f.getNow();
                        final SubgroupStreamEncoder enc = new SubgroupStreamEncoder(draft);
                        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
                        final int type = SubgroupHeaderType.of(draft, false, SubgroupHeaderType.MODE_ZERO, false,
                            false, false);
                        int n = enc.writeHeader(draft, scratch, 0, type, ALIAS, group, 0, 10);
                        out.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                        final List<byte[]> objects = groups.get(group);
                        final long trailing = group == groups.size() - 1 ? trailingLastGroupMillis : 0;
                        final int first = trailing > 0 ? Math.min(1, objects.size()) : objects.size();
                        writeObjects(out, enc, scratch, objects, 0, first);
                        if (trailing > 0)
                        {
                            out.flush();
                            if (--pending[0] == 0)
                            {
                                all.complete(null);
                            }
                            out.eventLoop().schedule(() ->
                            {
                                writeObjects(out, enc, scratch, objects, first, objects.size());
                                final int e = enc.writeObject(scratch, 0, objects.size(), ObjectStatus.END_OF_GROUP,
                                    null, 0, 0, 0);
                                out.writeAndFlush(Unpooled.copiedBuffer(scratch.byteArray(), 0, e))
                                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
                            }, trailing, java.util.concurrent.TimeUnit.MILLISECONDS);
                            return;
                        }
                        n = enc.writeObject(scratch, 0, objects.size(), ObjectStatus.END_OF_GROUP, null, 0, 0, 0);
                        out.writeAndFlush(Unpooled.copiedBuffer(scratch.byteArray(), 0, n))
                            .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)
                            .addListener(x ->
                            {
                                if (--pending[0] == 0)
                                {
                                    all.complete(null);
                                }
                            });
                    });
            }
            all.thenRun(then);
        }

        private void writeObjects(final QuicStreamChannel out, final SubgroupStreamEncoder enc,
            final UnsafeBuffer scratch, final List<byte[]> objects, final int from, final int to)
        {
            for (int o = from; o < to; o++)
            {
                final int n = enc.writeObject(scratch, 0, o, ObjectStatus.NORMAL, null, 0, 0, objects.get(o).length);
                out.write(Unpooled.copiedBuffer(scratch.byteArray(), 0, n));
                out.write(Unpooled.wrappedBuffer(objects.get(o)));
            }
        }

        void subscribe(final TrackNamespace ns, final Bytes name, final long requestId)
        {
            if (draft.atLeast(18))
            {
                connection.createStream(QuicStreamType.BIDIRECTIONAL, null).addListener(f ->
                {
                    final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                    stream.pipeline().addLast(reader(stream, true));
                    stream.writeAndFlush(encode(new moq.relay.wire.d18.Subscribe(requestId, ns, name,
                        moq.relay.wire.d18.MessageParameters.EMPTY)));
                });
            }
            else
            {
                control.writeAndFlush(encode(new moq.relay.wire.d14.Subscribe(requestId, ns, name, 128,
                    moq.relay.wire.d14.GroupOrder.PUBLISHER_DEFAULT, true,
                    moq.relay.wire.d14.SubscriptionFilter.largestObject(),
                    moq.relay.wire.d14.MessageParameters.EMPTY)));
            }
        }
    }

    /** Copies what the client writes on a stream into {@link #rawStreams}, then passes it on. */
    private final class RawRecorder extends ChannelInboundHandlerAdapter
    {
        private final long streamId;

        RawRecorder(final long streamId)
        {
            this.streamId = streamId;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof ByteBuf)
            {
                final ByteBuf b = (ByteBuf)msg;
                rawStreams.computeIfAbsent(streamId, id -> new ByteArrayOutputStream())
                    .writeBytes(ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes(), true));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * One fetch stream of the client: the bytes read and how it ended ("fin", or "reset " and the code), left unread
     * (no flow-control credit for the client) while {@link #holdFetchStreams}.
     */
    final class FetchStream extends ChannelInboundHandlerAdapter
    {
        final QuicStreamChannel stream;
        final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        final CompletableFuture<String> end = new CompletableFuture<>();

        FetchStream(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            if (holdFetchStreams)
            {
                ctx.channel().config().setAutoRead(false);
            }
            fetchStreams.add(this);
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            bytes.addAndGet(b.readableBytes());
            b.release();
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent)
            {
                end.complete("fin");
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
            {
                end.complete("reset " +
                    ((io.netty.handler.codec.quic.QuicStreamResetException)cause).applicationProtocolCode());
                ctx.close();
                return;
            }
            ctx.fireExceptionCaught(cause);
        }
    }

    /** Decodes a client data stream with our decoder and records whole objects and the FIN. */
    private final class DataRecorder extends ChannelInboundHandlerAdapter implements DataStreamHandler
    {
        private final DataStreamDecoder decoder;
        private final moq.relay.wire.data.ByteBufChunks chunks = new moq.relay.wire.data.ByteBufChunks(0);
        private long alias;
        private ObjectHeader header;
        private long group;
        private long subgroup;
        private long object;
        private long status;
        private byte[] properties;
        private ByteArrayOutputStream payload;

        DataRecorder(final Draft draft)
        {
            decoder = new DataStreamDecoder(draft, this, 65_535);
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                chunks.feed(b, decoder);
            }
            catch (final WireException e)
            {
                throw new IllegalStateException(e);
            }
            finally
            {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent)
            {
                try
                {
                    decoder.onFin();
                }
                catch (final WireException e)
                {
                    throw new IllegalStateException(e);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void onSubgroupHeader(final SubgroupHeader h)
        {
            alias = h.trackAlias();
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            return false;
        }

        @Override
        public void onObjectHeader(final ObjectHeader h)
        {
            header = h;
            group = h.groupId();
            subgroup = h.subgroupId();
            object = h.objectId();
            status = h.status();
            properties = new byte[h.propertiesLength()];
            if (properties.length > 0)
            {
                h.propertiesBuffer().getBytes(h.propertiesOffset(), properties);
            }
            payload = new ByteArrayOutputStream();
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] b = new byte[length];
            buffer.getBytes(offset, b);
            payload.writeBytes(b);
        }

        @Override
        public void onObjectEnd()
        {
            objects.add(new PeerObject(alias, group, subgroup, object, status, properties, payload.toByteArray()));
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
        }

        @Override
        public void onStreamEnd()
        {
            finishedDataStreams++;
        }
    }
}
