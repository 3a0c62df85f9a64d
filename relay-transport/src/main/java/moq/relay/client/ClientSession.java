package moq.relay.client;

import moq.relay.auth.TokenRef;
import moq.relay.transport.session.UniStreamClassifier;

import moq.relay.transport.session.ControlMessageReader;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import moq.relay.session.PublisherDialect;
import moq.relay.session.ingest.PublishDoneGate;
import moq.relay.session.request.RequesterSide;
import moq.relay.session.request.PublisherSide;
import moq.relay.session.request.SubscriberSide;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.ObjectDatagram;
import moq.relay.wire.data.StreamType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one MoqT session over raw QUIC: everything both drafts share (data streams, datagrams,
 * subscriptions by alias, published tracks, request ids, close). {@link RequestStreamClientSession} (drafts 18 and
 * 20, through a {@link ClientDialect}) and {@link Draft14ClientSession} speak the control plane. Every field is confined to the connection's event loop; public
 * entry points hop there with {@link #execute}.
 */
abstract class ClientSession extends ChannelInboundHandlerAdapter implements DataStreamReader.Target
{
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    /** Objects kept for track aliases not (yet) known from SUBSCRIBE_OK, before further ones are dropped. */
    static final int MAX_EARLY_OBJECTS = 4096;
    static final int MAX_PROPERTIES_LENGTH = 65_535;
    /** Stream reset / STOP_SENDING code CANCELLED (0x1 in both drafts). */
    static final int CANCELLED = 0x1;

    final Draft draft;
    final ControlCodec codec;
    /** The relay's dialect of the draft as publisher: the peer's FETCH read, SUBSCRIBE and FETCH answered. */
    final PublisherDialect publisher;
    final ClientConfig config;
    final CompletableFuture<Void> setupDone = new CompletableFuture<>();
    final CompletableFuture<SessionClose> closed = new CompletableFuture<>();
    QuicChannel connection;
    StreamOpener opener;
    /** Object bytes the application wrote that QUIC has not taken yet (flow control, stream credit). */
    final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();

    final Map<Long, SubscribeState> subscriptions = new HashMap<>();
    final Map<Long, SubscribeState> subscriptionsByAlias = new HashMap<>();
    final Map<Long, FetchState> fetches = new HashMap<>();
    /** What FETCHes from the peer are answered from ({@link MoqClient#serveFetches}); null: refused. */
    volatile FetchSource fetchSource;
    /** The peer's FETCHes being answered, by request id, until each is written, refused or cancelled. */
    final Map<Long, FetchServing> servedFetches = new HashMap<>();
    /**
     * The peer's requests (FETCHes and SUBSCRIBEs) served at once, beyond which one is refused with EXCESSIVE_LOAD
     * ({@link MoqClient#maxServedRequests}); by default the relay's {@code moq.relay.session.max.requests}.
     */
    volatile int maxServedRequests = moq.relay.config.RelayConfiguration.SESSION_MAX_REQUESTS_DEFAULT;
    final Map<Long, NamespaceState> namespaces = new HashMap<>();
    /** Concurrent: registered from the caller's thread so a SUBSCRIBE right after {@code track()} finds it. */
    final Map<TrackKey, TrackPublisher> tracks = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<Long, OutgoingSubscription> outgoing = new HashMap<>();
    /** Open SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS requests of this client. */
    final List<PrefixSubscription> prefixes = new ArrayList<>();
    private final Map<Long, List<ReceivedObject>> earlyObjects = new HashMap<>();
    private final Set<Long> retiredAliases = new HashSet<>();
    /**
     * Per track alias not known yet (data overtook SUBSCRIBE_OK): the streams that started and ended, handed to the
     * subscription's {@link SubscriberSide} once its SUBSCRIBE_OK names the alias.
     */
    private final Map<Long, PublishDoneGate> earlyStreams = new HashMap<>();
    /** How long a PUBLISH_DONE waits for the streams it counts. */
    static final long PUBLISH_DONE_GRACE_MILLIS = 2000;
    private int earlyObjectCount;
    private long nextTrackAlias = 1;
    long nextRequestId;
    /** AUTHORIZATION TOKENs attached to each request sent from now on ({@link MoqClient#requestTokens}). */
    volatile List<TokenRef> requestTokens = List.of();

    private final UnsafeBuffer scratch = new UnsafeBuffer(
        new byte[SubgroupStreamEncoder.maxObjectHeaderLength(MAX_PROPERTIES_LENGTH) + 64]);
    private final ByteBufChunks datagramView = new ByteBufChunks(65_535);
    private final ObjectDatagram datagram = new ObjectDatagram();
    private SessionClose closeInfo;

    ClientSession(final ClientConfig config, final ControlCodec codec)
    {
        this.config = config;
        this.draft = config.draft();
        this.codec = codec;
        this.publisher = PublisherDialect.of(draft);
    }

    // ---- draft-specific control plane

    /** Opens the control stream(s) and sends the client's setup message. */
    abstract void startSetup();

    abstract void sendSubscribe(SubscribeState state);

    abstract void sendUnsubscribe(SubscribeState state);

    abstract void sendPublishNamespace(NamespaceState state);

    abstract void sendWithdrawNamespace(NamespaceState state);

    abstract void sendFetch(FetchState state);

    /** Our PUBLISH of {@code subscription}'s track, answered through {@link #publishAccepted} / {@code Declined}. */
    abstract void sendPublish(OutgoingSubscription subscription);

    abstract void sendPublishDone(OutgoingSubscription subscription, long statusCode, String reason);

    /** A peer-opened bidirectional stream (draft-18 requests; draft-14 allows none). */
    abstract void onPeerBidiStream(QuicStreamChannel stream);

    /** The handler for a peer-opened draft-18 SETUP stream; draft-14 has none. */
    abstract ChannelHandler controlStreamReader();

    /** Runs {@code sender} with the next request id, or queues it while the peer's request limit blocks it. */
    abstract void withRequestId(java.util.function.LongConsumer sender);

    // ---- connection lifecycle

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        connection = (QuicChannel)ctx.channel();
        opener = new StreamOpener(connection);
        startSetup();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof QuicStreamChannel)
        {
            final QuicStreamChannel stream = (QuicStreamChannel)msg;
            if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
            {
                stream.pipeline().addLast(new UniStreamClassifier(draft.varint(), this::routeUniStream));
            }
            else
            {
                onPeerBidiStream(stream);
            }
            // The pipeline tail registers the stream: always pass it on.
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof ByteBuf)
        {
            onDatagram((ByteBuf)msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof QuicStreamLimitChangedEvent)
        {
            opener.drain();
        }
        else if (evt instanceof QuicConnectionCloseEvent && closeInfo == null)
        {
            final QuicConnectionCloseEvent e = (QuicConnectionCloseEvent)evt;
            closeInfo = new SessionClose(false, e.isApplicationClose() ? e.error() & 0xFFFFFFFFL : -1,
                new String(e.reason(), StandardCharsets.UTF_8));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (closeInfo == null)
        {
            closeInfo = new SessionClose(false, -1, "connection closed");
        }
        terminated();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("connection error", cause);
    }

    /** Closes the session: CONNECTION_CLOSE with an application error code and reason. */
    void close(final long code, final String reason)
    {
        if (closeInfo != null)
        {
            return;
        }
        closeInfo = new SessionClose(true, code, reason);
        LOG.debug("closing session: {}", closeInfo);
        final byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        connection.close(true, (int)code, Unpooled.wrappedBuffer(r, 0, Math.min(r.length, 1024)));
    }

    @Override
    public void fail(final WireException e)
    {
        LOG.debug("malformed input from the server: {}", e.toString());
        close(e.error().code(), e.getMessage() == null ? "" : e.getMessage());
    }

    void protocolViolation(final String why)
    {
        fail(WireException.protocolViolation(why));
    }

    private void terminated()
    {
        opener.close();
        final SessionClose info = closeInfo;
        final SessionClosedException failure = new SessionClosedException(info);
        setupDone.completeExceptionally(failure);
        for (final SubscribeState s : new ArrayList<>(subscriptions.values()))
        {
            s.result.completeExceptionally(failure);
            s.listener.onSessionClosed(info);
            if (s.handle != null)
            {
                s.handle.ended.complete(null);
            }
        }
        subscriptions.clear();
        subscriptionsByAlias.clear();
        for (final FetchState f : fetches.values())
        {
            f.result.completeExceptionally(failure);
            f.listener.onAborted("session " + info);
        }
        fetches.clear();
        servedFetches.clear(); // their streams end with the connection
        for (final NamespaceState n : namespaces.values())
        {
            n.result.completeExceptionally(failure);
            if (n.handle != null)
            {
                n.handle.ended.complete(null);
            }
        }
        namespaces.clear();
        for (final PrefixSubscription p : prefixes)
        {
            p.result.completeExceptionally(failure);
            p.ended.complete(null);
            p.closed.complete(null);
        }
        prefixes.clear();
        for (final OutgoingSubscription s : outgoing.values())
        {
            if (s.offer != null)
            {
                s.offer.completeExceptionally(failure);
            }
        }
        outgoing.clear();
        for (final List<ReceivedObject> objects : earlyObjects.values())
        {
            objects.forEach(o -> o.payload().release());
        }
        earlyObjects.clear();
        closed.complete(info);
        config.listener().onClosed(info);
    }

    // ---- helpers shared by both drafts

    Draft draft()
    {
        return draft;
    }

    ByteBufAllocator alloc()
    {
        return connection.alloc();
    }

    StreamOpener opener()
    {
        return opener;
    }

    UnsafeBuffer scratch()
    {
        return scratch;
    }

    /** {@code ref} as draft 18 writes a Token structure. */
    static moq.relay.wire.param.AuthToken draft18Token(final TokenRef ref)
    {
        return new moq.relay.wire.param.AuthToken(moq.relay.wire.param.AuthToken.AliasType.valueOf(ref.kind().name()),
            ref.alias(), ref.tokenType(), ref.value());
    }

    /** {@code ref} as draft 14 writes a Token structure. */
    static moq.relay.wire.d14.AuthorizationToken draft14Token(final TokenRef ref)
    {
        return new moq.relay.wire.d14.AuthorizationToken(
            moq.relay.wire.d14.AuthorizationToken.AliasType.valueOf(ref.kind().name()), ref.alias(), ref.tokenType(),
            ref.value());
    }

    void execute(final Runnable task)
    {
        if (connection.eventLoop().inEventLoop())
        {
            task.run();
        }
        else
        {
            connection.eventLoop().execute(task);
        }
    }

    boolean isClosed()
    {
        return closeInfo != null;
    }

    /** Encodes one framed control message into a new direct buffer (ownership to the caller). */
    ByteBuf encode(final ControlMessage message)
    {
        final WireWriter writer = new WireWriter(draft.varint());
        codec.encode(message, writer);
        return alloc().directBuffer(writer.position()).writeBytes(writer.buffer().byteArray(), 0, writer.position());
    }

    ControlMessageReader newReader(final ControlMessageReader.Sink sink)
    {
        return new ControlMessageReader(codec, sink, this::fail);
    }

    long allocateTrackAlias()
    {
        return nextTrackAlias++;
    }

    void sendDatagram(final ByteBuf datagramBytes)
    {
        connection.writeAndFlush(datagramBytes);
    }

    void goaway(final Bytes uri)
    {
        config.listener().onGoaway(uri.utf8());
    }

    // ---- incoming unidirectional streams and datagrams

    private ChannelHandler routeUniStream(final long type)
    {
        switch (StreamType.of(draft, type))
        {
            case SUBGROUP:
            case FETCH:
                return new DataStreamReader(draft, this, MAX_PROPERTIES_LENGTH);
            case SETUP:
                return controlStreamReader();
            case PADDING:
                return null;
            default:
                protocolViolation("unknown unidirectional stream type 0x" + Long.toHexString(type));
                return null;
        }
    }

    private void onDatagram(final ByteBuf buf)
    {
        try
        {
            if (!datagram.decode(draft, datagramView.view(buf), 0, buf.readableBytes()))
            {
                return;
            }
            final ByteBuf payload = buf.retainedSlice(buf.readerIndex() + datagram.payloadOffset(),
                datagram.payloadLength());
            final byte[] properties = datagram.propertiesLength() == 0
                ? DataStreamReader.NO_PROPERTIES
                : new byte[datagram.propertiesLength()];
            datagram.buffer().getBytes(datagram.propertiesOffset(), properties);
            final long status = datagram.hasStatus() ? datagram.status() : 0;
            onSubgroupObject(datagram.trackAlias(), new ReceivedObject(datagram.groupId(), datagram.objectId(),
                datagram.objectId(), status, datagram.publisherPriority(), properties, payload, true));
        }
        catch (final WireException e)
        {
            fail(e);
        }
        finally
        {
            buf.release();
        }
    }

    /** Takes ownership of the object's payload. */
    @Override
    public void onSubgroupObject(final long trackAlias, final ReceivedObject object)
    {
        final SubscribeState s = subscriptionsByAlias.get(trackAlias);
        if (s == null)
        {
            if (retiredAliases.contains(trackAlias) || earlyObjectCount >= MAX_EARLY_OBJECTS || isClosed())
            {
                object.payload().release();
                return;
            }
            // Data may overtake SUBSCRIBE_OK (different streams): keep it until the alias is known.
            earlyObjects.computeIfAbsent(trackAlias, a -> new ArrayList<>()).add(object);
            earlyObjectCount++;
            return;
        }
        deliver(s, object);
    }

    private static void deliver(final SubscribeState s, final ReceivedObject object)
    {
        try
        {
            s.listener.onObject(object);
        }
        catch (final RuntimeException e)
        {
            LOG.warn("subscription listener failed", e);
        }
        finally
        {
            object.payload().release();
        }
    }

    @Override
    public FetchListener fetchListener(final long requestId)
    {
        final FetchState f = fetches.get(requestId);
        return f == null ? null : f.listener;
    }

    // ---- subscriber side

    void subscribe(final SubscribeState state)
    {
        state.side = new SubscriberSide(new SubscriberOutcomes(state));
        withRequestId(id ->
        {
            state.requestId = id;
            subscriptions.put(id, state);
            if (state.fillListener != null)
            {
                // The fill stream's FETCH_HEADER carries the SUBSCRIBE's Request ID (draft-21 §3.4).
                fetches.put(id, new FetchState(state.namespace, state.name, null, null, -1, 0,
                    state.options.subscriberPriority(), state.fillListener));
            }
            sendSubscribe(state);
        });
    }

    /** SUBSCRIBE_OK arrived for {@code state}. */
    void subscribeAccepted(final SubscribeState state, final long trackAlias, final Location largest)
    {
        subscribeAccepted(state, trackAlias, largest, List.of());
    }

    /** SUBSCRIBE_OK arrived for {@code state}, with the track's properties. */
    void subscribeAccepted(final SubscribeState state, final long trackAlias, final Location largest,
        final List<moq.relay.wire.KeyValuePair> trackProperties)
    {
        if (subscriptionsByAlias.containsKey(trackAlias))
        {
            fail(new WireException(SessionError.DUPLICATE_TRACK_ALIAS, "track alias " + trackAlias + " in use"));
            return;
        }
        state.handle = new Subscription(this, state.requestId, state.namespace, state.name, trackAlias, largest,
            trackProperties);
        subscriptionsByAlias.put(trackAlias, state);
        final PublishDoneGate streams = earlyStreams.remove(trackAlias);
        state.side.established(streams != null ? streams : new PublishDoneGate());
        state.result.complete(state.handle);
        final List<ReceivedObject> early = earlyObjects.remove(trackAlias);
        if (early != null)
        {
            earlyObjectCount -= early.size();
            for (final ReceivedObject o : early)
            {
                deliver(state, o);
            }
        }
    }

    void subscribeRejected(final SubscribeState state, final long code, final long retry, final Bytes reason)
    {
        state.side.end();
        subscriptions.remove(state.requestId);
        state.result.completeExceptionally(new RequestRejectedException("SUBSCRIBE", code, retry, reason.utf8()));
    }

    /**
     * PUBLISH_DONE can overtake the data streams it counts (they are separate streams): it is delivered when the
     * subscription's {@link SubscriberSide} says it takes effect, the rule the relay's upstream subscriptions follow.
     */
    void publishDone(final SubscribeState state, final long status, final long streamCount, final Bytes reason)
    {
        if (state.handle == null || state.side.publishDoneReceived())
        {
            return;
        }
        state.pendingDone = () ->
        {
            ended(state);
            state.listener.onPublishDone(status, streamCount, reason.utf8());
        };
        state.side.publishDone(streamCount);
    }

    /** The subscription's request stream ended after its answer: without PUBLISH_DONE, the publisher cancelled it. */
    void requestEnded(final SubscribeState state)
    {
        if (state.side.lost(isClosed()) == SubscriberSide.Loss.WITHOUT_PUBLISH_DONE)
        {
            ended(state);
        }
    }

    @Override
    public void subgroupStreamOpened(final long trackAlias)
    {
        final SubscribeState s = subscriptionsByAlias.get(trackAlias);
        if (s != null)
        {
            s.side.streamStarted();
        }
        else if (!retiredAliases.contains(trackAlias))
        {
            earlyStreams.computeIfAbsent(trackAlias, a -> new PublishDoneGate()).streamStarted();
        }
    }

    @Override
    public void subgroupStreamClosed(final long trackAlias)
    {
        final SubscribeState s = subscriptionsByAlias.get(trackAlias);
        if (s != null)
        {
            s.side.streamEnded();
        }
        else if (!retiredAliases.contains(trackAlias))
        {
            earlyStreams.computeIfAbsent(trackAlias, a -> new PublishDoneGate()).streamEnded();
        }
    }

    /** What the subscriber side's machine decides, for the application. */
    private final class SubscriberOutcomes implements SubscriberSide.Owner
    {
        private final SubscribeState state;

        SubscriberOutcomes(final SubscribeState state)
        {
            this.state = state;
        }

        @Override
        public io.netty.channel.EventLoop eventLoop()
        {
            return connection.eventLoop();
        }

        @Override
        public long publishDoneGraceMillis()
        {
            return PUBLISH_DONE_GRACE_MILLIS;
        }

        @Override
        public boolean closed()
        {
            return isClosed();
        }

        @Override
        public void publishDoneTakesEffect()
        {
            state.pendingDone.run();
        }
    }

    @Override
    public void subgroupEnded(final long trackAlias, final long groupId, final long subgroupId, final boolean reset)
    {
        final SubscribeState s = subscriptionsByAlias.get(trackAlias);
        if (s != null)
        {
            s.listener.onSubgroupEnd(groupId, subgroupId, reset);
        }
    }

    @Override
    public void subgroupStreamEnded(final long trackAlias, final long groupId, final long subgroupId,
        final boolean reset, final long resetCode)
    {
        final SubscribeState s = subscriptionsByAlias.get(trackAlias);
        if (s != null)
        {
            s.listener.onSubgroupStreamEnd(groupId, subgroupId, reset, resetCode);
        }
    }

    /** SUBSCRIBE_NAMESPACE or SUBSCRIBE_TRACKS: request-stream drafts only. */
    void subscribePrefix(final PrefixSubscription p)
    {
        p.result.completeExceptionally(new UnsupportedOperationException(
            "SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS are sent on drafts 18 and 20 only"));
    }

    /** Ends {@code p} at the relay (its stream reset). */
    void cancelPrefix(final PrefixSubscription p)
    {
    }

    /** The Forward state of an offered track: PUBLISH_OK's before it is accepted, then a REQUEST_UPDATE. */
    void offerForward(final TrackOffer offer, final boolean forward)
    {
        offer.forward = forward;
    }

    /**
     * Accepts a track the relay offered with PUBLISH as request {@code requestId} (the relay's): objects of
     * {@code trackAlias} go to {@code state}'s listener, as for an answered SUBSCRIBE.
     */
    void acceptOffer(final SubscribeState state, final long requestId, final long trackAlias, final Location largest,
        final List<moq.relay.wire.KeyValuePair> trackProperties)
    {
        state.side = new SubscriberSide(new SubscriberOutcomes(state));
        state.requestId = requestId;
        subscriptions.put(requestId, state);
        subscribeAccepted(state, trackAlias, largest, trackProperties);
    }

    /** The subscription is over: forget it, ignore further objects for its alias. */
    void ended(final SubscribeState state)
    {
        state.side.end();
        subscriptions.remove(state.requestId);
        if (state.handle != null)
        {
            subscriptionsByAlias.remove(state.handle.trackAlias());
            retiredAliases.add(state.handle.trackAlias());
            state.handle.ended.complete(null);
        }
    }

    void unsubscribe(final long requestId)
    {
        final SubscribeState state = subscriptions.get(requestId);
        if (state != null && !isClosed())
        {
            sendUnsubscribe(state);
            ended(state);
        }
    }

    void fetch(final FetchState state)
    {
        withRequestId(id ->
        {
            state.requestId = id;
            fetches.put(id, state);
            state.side.sent();
            sendFetch(state);
        });
    }

    /** The peer cancelled its FETCH {@code requestId} (draft 14: FETCH_CANCEL); an unknown or ended one is ignored. */
    void servedFetchCancelled(final long requestId)
    {
        final FetchServing f = servedFetches.get(requestId);
        if (f != null)
        {
            f.cancel();
        }
    }

    /** The application no longer wants fetch {@code requestId}: cancelled at the peer, its stream ignored. */
    void cancelFetch(final long requestId)
    {
        final FetchState f = fetches.remove(requestId);
        if (f != null && f.side.cancelled())
        {
            cancelFetch(f);
        }
    }

    /** FETCH_CANCEL (draft 14) or the request stream reset (drafts 18 and 20). */
    abstract void cancelFetch(FetchState state);

    /** FETCH_OK of {@code state}; only the first answer counts ({@link RequesterSide}). */
    void fetchAccepted(final FetchState state, final FetchResult ok)
    {
        if (state.side.accepted())
        {
            state.result.complete(ok);
        }
    }

    /** The FETCH's error, or its request ended unanswered; only the first answer counts. */
    void fetchRejected(final FetchState state, final long code, final long retry, final Bytes reason)
    {
        if (state.side.rejected())
        {
            fetches.remove(state.requestId);
            state.result.completeExceptionally(new RequestRejectedException("FETCH", code, retry, reason.utf8()));
        }
    }

    // ---- publisher side

    void publishNamespace(final NamespaceState state)
    {
        withRequestId(id ->
        {
            state.requestId = id;
            namespaces.put(id, state);
            state.side.sent();
            sendPublishNamespace(state);
        });
    }

    /** REQUEST_OK (draft 14: PUBLISH_NAMESPACE_OK); only the first answer counts ({@link RequesterSide}). */
    void namespaceAccepted(final NamespaceState state)
    {
        if (state.side.accepted())
        {
            state.handle = new PublishedNamespace(this, state.requestId, state.namespace);
            state.result.complete(state.handle);
        }
    }

    void namespaceRejected(final NamespaceState state, final long code, final long retry, final Bytes reason)
    {
        if (state.side.rejected())
        {
            namespaces.remove(state.requestId);
            state.result.completeExceptionally(
                new RequestRejectedException("PUBLISH_NAMESPACE", code, retry, reason.utf8()));
        }
    }

    /** The relay ended the namespace (PUBLISH_NAMESPACE_CANCEL, draft 18: its request stream ended). */
    void namespaceCancelled(final NamespaceState state)
    {
        if (state.side.endedByPeer())
        {
            namespaceEnded(state);
        }
    }

    private void namespaceEnded(final NamespaceState state)
    {
        namespaces.remove(state.requestId);
        if (state.handle != null)
        {
            state.handle.ended.complete(null);
        }
    }

    void withdrawNamespace(final long requestId)
    {
        final NamespaceState state = namespaces.get(requestId);
        if (state != null && !isClosed())
        {
            if (state.side.cancelled())
            {
                sendWithdrawNamespace(state);
            }
            namespaceEnded(state);
        }
    }

    TrackPublisher register(final TrackNamespace namespace, final Bytes name, final int priority)
    {
        final TrackPublisher track = new TrackPublisher(this, namespace, name, priority);
        tracks.put(new TrackKey(namespace, name), track);
        return track;
    }

    /**
     * Whether the peer's requests this session serves (its FETCHes being answered, its SUBSCRIBEs; not our PUBLISHes)
     * reached {@link #maxServedRequests}: a new one is then refused with EXCESSIVE_LOAD, as the relay refuses a request
     * beyond {@code moq.relay.session.max.requests}.
     */
    final boolean atRequestLimit()
    {
        int served = servedFetches.size();
        for (final OutgoingSubscription s : outgoing.values())
        {
            served += s.offer == null ? 1 : 0;
        }
        return served >= maxServedRequests;
    }

    /** Why the peer's SUBSCRIBE of {@code track} (null: not published here) is refused, or null if it is served. */
    final moq.relay.engine.RequestErrorCode subscribeRefusal(final TrackPublisher track)
    {
        return atRequestLimit() ? moq.relay.engine.RequestErrorCode.EXCESSIVE_LOAD :
            track == null ? moq.relay.engine.RequestErrorCode.DOES_NOT_EXIST : null;
    }

    /** The reason phrase of a refusal of the peer's request with {@code code}. */
    static String refusalReason(final moq.relay.engine.RequestErrorCode code)
    {
        return code == moq.relay.engine.RequestErrorCode.EXCESSIVE_LOAD ? "too many requests on this session" :
            code == moq.relay.engine.RequestErrorCode.DOES_NOT_EXIST ? "no such track" : code.name();
    }

    /** An incoming SUBSCRIBE for a registered track: the caller answers with the returned subscription's alias. */
    OutgoingSubscription acceptSubscribe(final TrackPublisher track, final long requestId,
        final QuicStreamChannel requestStream)
    {
        final OutgoingSubscription s = new OutgoingSubscription(track, requestId, allocateTrackAlias(), requestStream);
        outgoing.put(requestId, s);
        return s;
    }

    /** SUBSCRIBE_OK went out for {@code s}: objects flow to it from now on. */
    void subscribeAnswered(final OutgoingSubscription s)
    {
        if (s.side.accepted())
        {
            s.track.added(s);
        }
    }

    void publish(final TrackPublisher track, final CompletableFuture<Void> result)
    {
        withRequestId(id ->
        {
            final OutgoingSubscription s = new OutgoingSubscription(track, id, allocateTrackAlias(), result);
            outgoing.put(id, s);
            sendPublish(s);
        });
    }

    /** PUBLISH_OK of our PUBLISH {@code s}: the peer subscribes, objects flow to it. Ignored unless it was offered. */
    void publishAccepted(final OutgoingSubscription s)
    {
        if (s.offer != null && s.side.accepted())
        {
            s.track.added(s);
            s.offer.complete(null);
        }
    }

    /** REQUEST_ERROR (draft 14: PUBLISH_ERROR) of our PUBLISH {@code s}. Ignored unless it was offered. */
    void publishDeclined(final OutgoingSubscription s, final long code, final long retry, final Bytes reason)
    {
        if (s.offer != null && s.side.declined())
        {
            outgoing.remove(s.requestId);
            s.offer.completeExceptionally(new RequestRejectedException("PUBLISH", code, retry, reason.utf8()));
        }
    }

    /**
     * The subscriber cancelled (draft-18 stream closed or reset, draft-14 UNSUBSCRIBE): its streams are reset, unless
     * PUBLISH_DONE went out before ({@link PublisherSide#cancelled}).
     */
    void outgoingCancelled(final long requestId)
    {
        final OutgoingSubscription s = outgoing.remove(requestId);
        if (s != null && s.side.cancelled())
        {
            s.track.removed(s);
            for (final OutStream stream : new ArrayList<>(s.openStreams))
            {
                stream.reset(CANCELLED);
            }
        }
    }

    void finishTrack(final TrackPublisher track, final long statusCode, final String reason)
    {
        for (final OutgoingSubscription s : new ArrayList<>(track.subscribers))
        {
            track.removed(s);
            outgoing.remove(s.requestId);
            if (s.side.done() && !isClosed())
            {
                sendPublishDone(s, statusCode, reason);
            }
        }
        tracks.remove(new TrackKey(track.namespace(), track.name()));
    }

    // ---- request state

    record TrackKey(TrackNamespace namespace, Bytes name)
    {
    }

    static final class SubscribeState
    {
        final TrackNamespace namespace;
        final Bytes name;
        final SubscribeOptions options;
        final SubscriptionListener listener;
        final CompletableFuture<Subscription> result = new CompletableFuture<>();
        long requestId;
        Subscription handle;
        QuicStreamChannel stream;
        /** The subscription's life, the relay's upstream subscriptions' machine. */
        SubscriberSide side;
        /** What PUBLISH_DONE does once it takes effect. */
        Runnable pendingDone;
        /** Draft 20: the fill's LOCATION_FILTER (FILL_PARAMETERS) and who reads its fill stream; null for none. */
        moq.relay.wire.d20.LocationFilter fill;
        FetchListener fillListener;
        /** Draft 20: FILL_TIMEOUT inside FILL_PARAMETERS, -1 for none. */
        long fillTimeoutMillis = -1;
        /** Draft 20: further Message Parameters of the SUBSCRIBE (Range Filters), none by default. */
        java.util.List<moq.relay.wire.param.Parameter> parameters = java.util.List.of();
        /** Draft 20: the SUBSCRIBE's OBJECT_DELIVERY_TIMEOUT, -1 for none. */
        long objectDeliveryTimeoutMillis = -1;

        SubscribeState(final TrackNamespace namespace, final Bytes name, final SubscribeOptions options,
            final SubscriptionListener listener)
        {
            this.namespace = namespace;
            this.name = name;
            this.options = options;
            this.listener = listener;
        }
    }

    static final class FetchState
    {
        final TrackNamespace namespace;
        final Bytes name;
        final Location start;
        final Location end;
        /** Joining fetch: the subscription's request id, else -1. */
        final long joiningRequestId;
        final long joiningStart;
        /** Joining fetch: {@link #joiningStart} is the start group (absolute), else groups back (relative). */
        boolean absoluteJoining;
        final int priority;
        final FetchListener listener;
        final CompletableFuture<FetchResult> result = new CompletableFuture<>();
        /** The FETCH's life, the relay's upstream FETCHes' machine. */
        final RequesterSide side = new RequesterSide();
        long requestId;
        QuicStreamChannel stream;

        FetchState(final TrackNamespace namespace, final Bytes name, final Location start, final Location end,
            final long joiningRequestId, final long joiningStart, final int priority, final FetchListener listener)
        {
            this.namespace = namespace;
            this.name = name;
            this.start = start;
            this.end = end;
            this.joiningRequestId = joiningRequestId;
            this.joiningStart = joiningStart;
            this.priority = priority;
            this.listener = listener;
        }
    }

    static final class NamespaceState
    {
        final TrackNamespace namespace;
        final CompletableFuture<PublishedNamespace> result = new CompletableFuture<>();
        /** Its life, the machine of the relay's own PUBLISH_NAMESPACE too. */
        final RequesterSide side = new RequesterSide();
        long requestId;
        PublishedNamespace handle;
        QuicStreamChannel stream;

        NamespaceState(final TrackNamespace namespace)
        {
            this.namespace = namespace;
        }
    }

    /** Queue of senders waiting for a request id (draft-14 MAX_REQUEST_ID). */
    final ArrayDeque<java.util.function.LongConsumer> blockedRequests = new ArrayDeque<>();
}
