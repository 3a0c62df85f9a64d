package moq.relay.client;

import java.util.List;
import moq.relay.auth.TokenRef;
import io.netty.buffer.ByteBuf;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * A MoQT client over raw QUIC, for draft-18 (ALPN {@code moqt-18}) or draft-14 (ALPN {@code moq-00}).
 *
 * <p>{@link #connect} performs the QUIC handshake and the setup exchange of the chosen draft. The client then
 * publishes ({@link #publishNamespace}, {@link #track}, {@link TrackPublisher}) and subscribes ({@link #subscribe},
 * {@link #fetch}, {@link #joiningFetch}). Everything runs on one event loop thread owned by the client; the API is
 * thread-safe, returns {@link CompletableFuture}s (completed on that thread) and calls listeners on that thread.
 * Malformed input from the server closes the session with the error code the draft prescribes.
 */
public final class MoqClient implements AutoCloseable
{
    private static final long INITIAL_MAX_DATA = 64L << 20;
    private static final long INITIAL_MAX_STREAM_DATA = 16L << 20;
    /**
     * Bidirectional streams the server may open at once: its request streams (drafts 18, 20), so also how many of its
     * request ids below its highest the client remembers to tell a reused one ({@code PeerRequestIds}).
     */
    static final int PEER_BIDI_STREAMS = 1000;
    /**
     * Kernel receive buffer of the client's UDP socket (as the relay's {@code moq.relay.udp.so.rcvbuf}; capped by
     * {@code net.core.rmem_max}). The OS default (about 208 KiB) overflows under a burst of GSO segments, and every
     * datagram dropped there costs a QUIC retransmission and a congestion back-off.
     */
    private static final int UDP_RECEIVE_BUFFER = 4 << 20;

    private final EventLoopGroup group;
    /** Whether {@link #close} shuts {@link #group} down (false when the caller shares one group among clients). */
    private final boolean ownsGroup;
    private final Channel socket;
    private final QuicChannel connection;
    private final ClientSession session;

    private MoqClient(final EventLoopGroup group, final boolean ownsGroup, final Channel socket,
        final QuicChannel connection, final ClientSession session)
    {
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.socket = socket;
        this.connection = connection;
        this.session = session;
    }

    /** Connects and completes once the setup exchange is done, or fails (the resources are then released). */
    public static CompletableFuture<MoqClient> connect(final ClientConfig config)
    {
        return connect(config, new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("moq-client"),
            NioIoHandler.newFactory()), true);
    }

    /**
     * Connects on one event loop of {@code sharedGroup} (an NIO or epoll group the caller owns and shuts down): many
     * clients in one process, such as a load generator's thousand subscribers, then share a few threads instead of one
     * each.
     */
    public static CompletableFuture<MoqClient> connect(final ClientConfig config, final EventLoopGroup sharedGroup)
    {
        return connect(config, sharedGroup, false);
    }

    private static CompletableFuture<MoqClient> connect(final ClientConfig config, final EventLoopGroup group,
        final boolean ownsGroup)
    {
        final CompletableFuture<MoqClient> result = new CompletableFuture<>();
        final Channel[] bound = new Channel[1];
        try
        {
            final ClientSession session = config.draft() == Draft.DRAFT_14 ? new Draft14ClientSession(config)
                : new RequestStreamClientSession(config, config.draft() == Draft.DRAFT_20 ?
                    Draft20ClientDialect.INSTANCE : Draft18ClientDialect.INSTANCE);
            final Channel socket = new Bootstrap().group(group).channel(datagramChannel(group))
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                .handler(new QuicClientCodecBuilder()
                    .sslContext(config.trust().sslContext(config.draft().alpn()))
                    .maxIdleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .initialMaxData(INITIAL_MAX_DATA)
                    .initialMaxStreamDataBidirectionalLocal(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamDataBidirectionalRemote(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamsBidirectional(PEER_BIDI_STREAMS)
                    .initialMaxStreamsUnidirectional(10_000)
                    .datagram(1024, 1024)
                    .build())
                .bind(0).sync().channel();
            bound[0] = socket;
            QuicChannel.newBootstrap(socket)
                .handler(session)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)config.connectTimeout().toMillis())
                .remoteAddress(new InetSocketAddress(config.host(), config.port()))
                .connect()
                .addListener(f ->
                {
                    if (!f.isSuccess())
                    {
                        release(group, ownsGroup, socket);
                        result.completeExceptionally(f.cause());
                        return;
                    }
                    final MoqClient client = new MoqClient(group, ownsGroup, socket, (QuicChannel)f.getNow(),
                        session);
                    session.setupDone
                        .orTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .whenComplete((ok, failure) ->
                        {
                            if (failure == null)
                            {
                                result.complete(client);
                                return;
                            }
                            // On the event loop: close without waiting.
                            session.execute(() -> session.close(failure instanceof TimeoutException ? 0x11 : 0,
                                failure instanceof TimeoutException ? "setup timed out" : ""));
                            session.closed.whenComplete((c, x) -> release(group, ownsGroup, socket));
                            result.completeExceptionally(failure);
                        });
                });
        }
        catch (final Exception e)
        {
            release(group, ownsGroup, bound[0]);
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * The UDP channel type {@code group} registers: epoll's for an epoll group (a relay's own I/O event loop, which its
     * peer links share: {@code moq.relay.cluster.links.io.loop}), else NIO's.
     */
    private static Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannel(final EventLoopGroup group)
    {
        return group instanceof io.netty.channel.IoEventLoopGroup io &&
            io.isIoType(io.netty.channel.epoll.EpollIoHandler.class) ?
            io.netty.channel.epoll.EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    /**
     * Frees what a client holds: its own event loop group (which closes its socket), or only its socket when the
     * group is shared. {@link LiteClient}'s too.
     */
    static void release(final EventLoopGroup group, final boolean ownsGroup, final Channel socket)
    {
        if (ownsGroup)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        else if (socket != null)
        {
            socket.close();
        }
    }

    /** The draft this session speaks (fixed by the ALPN and confirmed by the setup exchange). */
    public Draft draft()
    {
        return session.draft();
    }

    /** The ALPN protocol the server selected. */
    public String alpn()
    {
        return connection.sslEngine().getApplicationProtocol();
    }

    public InetSocketAddress remoteAddress()
    {
        return (InetSocketAddress)connection.remoteSocketAddress();
    }

    /** Completes when the session ends, with how it ended. */
    public CompletableFuture<SessionClose> closed()
    {
        return session.closed;
    }

    // ---- authorization

    /**
     * AUTHORIZATION TOKENs to attach to every request sent after this call (SUBSCRIBE, FETCH, PUBLISH_NAMESPACE,
     * PUBLISH), in order; none by default. A REGISTER is sent as given each time, so register once, then switch to
     * {@link TokenRef.Kind#USE_ALIAS}.
     */
    public void requestTokens(final List<TokenRef> tokens)
    {
        session.requestTokens = List.copyOf(tokens);
    }

    // ---- publisher

    /** PUBLISH_NAMESPACE; completes on REQUEST_OK (draft-14 PUBLISH_NAMESPACE_OK) or fails with the error. */
    public CompletableFuture<PublishedNamespace> publishNamespace(final TrackNamespace namespace)
    {
        final ClientSession.NamespaceState state = new ClientSession.NamespaceState(namespace);
        session.execute(() -> session.publishNamespace(state));
        return state.result;
    }

    /**
     * Registers a track this client publishes: incoming SUBSCRIBEs for it are answered with SUBSCRIBE_OK (others
     * with an error), and objects written to the returned publisher go to its subscribers.
     *
     * @param publisherPriority 0..255, written in subgroup headers and datagrams.
     */
    public TrackPublisher track(final TrackNamespace namespace, final Bytes name, final int publisherPriority)
    {
        if (publisherPriority < 0 || publisherPriority > 255)
        {
            throw new IllegalArgumentException("publisher priority " + publisherPriority);
        }
        return session.register(namespace, name, publisherPriority);
    }

    // ---- subscriber

    /** SUBSCRIBE; completes on SUBSCRIBE_OK, or fails with {@link RequestRejectedException}. */
    public CompletableFuture<Subscription> subscribe(final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final SubscriptionListener listener)
    {
        final ClientSession.SubscribeState state = new ClientSession.SubscribeState(namespace, name,
            Objects.requireNonNull(options, "options"), Objects.requireNonNull(listener, "listener"));
        session.execute(() -> session.subscribe(state));
        return state.result;
    }

    /**
     * SUBSCRIBE_NAMESPACE: completes on REQUEST_OK (draft 14: SUBSCRIBE_NAMESPACE_OK) or fails with
     * {@link RequestRejectedException}; NAMESPACE and NAMESPACE_DONE (draft 14: the relay's PUBLISH_NAMESPACE, answered
     * OK, and PUBLISH_NAMESPACE_DONE) then go to {@code listener}, as suffixes of {@code prefix}.
     */
    public CompletableFuture<PrefixSubscription> subscribeNamespace(final TrackNamespace prefix,
        final PrefixSubscription.NamespaceListener listener)
    {
        final PrefixSubscription p = new PrefixSubscription(session, prefix, Objects.requireNonNull(listener,
            "listener"), null);
        session.execute(() -> session.subscribePrefix(p));
        return p.result;
    }

    /**
     * SUBSCRIBE_TRACKS (drafts 18 and 20; draft 14 has none: fails): completes on REQUEST_OK (or fails with
     * {@link RequestRejectedException});
     * the relay's PUBLISH of each track under {@code prefix} then goes to {@code listener}, which accepts or declines
     * it ({@link TrackOffer}).
     */
    public CompletableFuture<PrefixSubscription> subscribeTracks(final TrackNamespace prefix,
        final PrefixSubscription.TrackListener listener)
    {
        final PrefixSubscription p = new PrefixSubscription(session, prefix, null, Objects.requireNonNull(listener,
            "listener"));
        session.execute(() -> session.subscribePrefix(p));
        return p.result;
    }

    /**
     * Draft 20: SUBSCRIBE carrying {@code parameters} besides those {@code options} make, such as Range Filters
     * ({@code moq.relay.wire.d20.Parameter.Range}, draft-21 §3.3.2) up to the relay's MAX_FILTER_RANGES. Several such
     * subscriptions to one track may be open at once, each delivered on its own.
     */
    public CompletableFuture<Subscription> subscribeWithParameters(final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final SubscriptionListener listener,
        final List<moq.relay.wire.param.Parameter> parameters)
    {
        if (draft() != Draft.DRAFT_20)
        {
            throw new IllegalStateException("Range Filters are draft 20's; this session speaks " + draft());
        }
        final ClientSession.SubscribeState state = new ClientSession.SubscribeState(namespace, name,
            Objects.requireNonNull(options, "options"), Objects.requireNonNull(listener, "listener"));
        state.parameters = List.copyOf(parameters);
        session.execute(() -> session.subscribe(state));
        return state.result;
    }

    /**
     * Draft 20: SUBSCRIBE with FILL_PARAMETERS whose LOCATION_FILTER is {@code fill} (draft-21 §3.4; {@link
     * moq.relay.wire.d20.LocationFilter#NONE} fills the whole track up to the Largest Object): the fill fetch stream,
     * which carries the SUBSCRIBE's Request ID, is read by {@code fillListener}; none comes for an empty fill range.
     */
    public CompletableFuture<Subscription> subscribeWithFill(final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final SubscriptionListener listener, final moq.relay.wire.d20.LocationFilter fill,
        final FetchListener fillListener)
    {
        return subscribeWithFill(namespace, name, options, listener, fill, -1, fillListener);
    }

    /**
     * Draft 20: SUBSCRIBE with OBJECT_DELIVERY_TIMEOUT {@code millis} (draft-21 §5.2, §9.20.5): the publisher drops
     * objects it could not send within that time of receiving them.
     */
    public CompletableFuture<Subscription> subscribeWithObjectDeliveryTimeout(final TrackNamespace namespace,
        final Bytes name, final SubscribeOptions options, final SubscriptionListener listener, final long millis)
    {
        if (draft() != Draft.DRAFT_20)
        {
            throw new IllegalStateException("OBJECT_DELIVERY_TIMEOUT is applied on draft 20; this session speaks " +
                draft());
        }
        final ClientSession.SubscribeState state = new ClientSession.SubscribeState(namespace, name,
            Objects.requireNonNull(options, "options"), Objects.requireNonNull(listener, "listener"));
        state.objectDeliveryTimeoutMillis = millis;
        session.execute(() -> session.subscribe(state));
        return state.result;
    }

    /** {@link #subscribeWithFill} with FILL_TIMEOUT {@code fillTimeoutMillis} (-1: none) inside FILL_PARAMETERS. */
    public CompletableFuture<Subscription> subscribeWithFill(final TrackNamespace namespace, final Bytes name,
        final SubscribeOptions options, final SubscriptionListener listener, final moq.relay.wire.d20.LocationFilter fill,
        final long fillTimeoutMillis, final FetchListener fillListener)
    {
        if (draft() != Draft.DRAFT_20)
        {
            throw new IllegalStateException("FILL_PARAMETERS is draft 20's; this session speaks " + draft());
        }
        final ClientSession.SubscribeState state = new ClientSession.SubscribeState(namespace, name,
            Objects.requireNonNull(options, "options"), Objects.requireNonNull(listener, "listener"));
        state.fill = Objects.requireNonNull(fill, "fill");
        state.fillListener = Objects.requireNonNull(fillListener, "fillListener");
        state.fillTimeoutMillis = fillTimeoutMillis;
        session.execute(() -> session.subscribe(state));
        return state.result;
    }

    /**
     * Standalone FETCH of {@code [start, end]}; {@code end} is passed as the draft encodes it (draft-18: Object + 1,
     * Object 0 meaning the whole group).
     */
    public CompletableFuture<FetchResult> fetch(final TrackNamespace namespace, final Bytes name,
        final Location start, final Location end, final FetchListener listener)
    {
        final ClientSession.FetchState state = new ClientSession.FetchState(namespace, name, start, end, -1, 0, 128,
            Objects.requireNonNull(listener, "listener"));
        session.execute(() -> session.fetch(state));
        return state.result;
    }

    /**
     * Answers the peer's standalone FETCHes (a relay's upstream FETCH of a range older than its cache) from
     * {@code source}: FETCH_OK and a fetch stream of its items. Without a source they are refused (NOT_SUPPORTED).
     */
    public void serveFetches(final FetchSource source)
    {
        session.fetchSource = source;
    }

    /**
     * The peer's requests this client serves at once, its FETCHes and SUBSCRIBEs together (default 4,096, the relay's
     * {@code moq.relay.session.max.requests}); one beyond is refused with EXCESSIVE_LOAD, as the relay refuses requests
     * beyond its limit. A fetch holds its place until its stream is written, a subscription until it ends (the track
     * finishes, or the peer cancels it).
     */
    public void maxServedRequests(final int max)
    {
        if (max < 1)
        {
            throw new IllegalArgumentException("maxServedRequests " + max);
        }
        session.maxServedRequests = max;
    }

    /** Cancels the fetch that {@link FetchResult#requestId()} names: FETCH_CANCEL or its request stream reset. */
    public void cancelFetch(final long requestId)
    {
        session.execute(() -> session.cancelFetch(requestId));
    }

    /** Relative joining FETCH: the {@code groupsBack} groups before the subscription's Largest Location. */
    public CompletableFuture<FetchResult> joiningFetch(final Subscription subscription, final long groupsBack,
        final FetchListener listener)
    {
        final ClientSession.FetchState state = new ClientSession.FetchState(subscription.namespace(),
            subscription.trackName(), null, null, subscription.requestId(), groupsBack, 128,
            Objects.requireNonNull(listener, "listener"));
        session.execute(() -> session.fetch(state));
        return state.result;
    }

    /** Absolute joining FETCH: from the start of {@code startGroup} to the subscription's Largest Location. */
    public CompletableFuture<FetchResult> absoluteJoiningFetch(final Subscription subscription, final long startGroup,
        final FetchListener listener)
    {
        final ClientSession.FetchState state = new ClientSession.FetchState(subscription.namespace(),
            subscription.trackName(), null, null, subscription.requestId(), startGroup, 128,
            Objects.requireNonNull(listener, "listener"));
        state.absoluteJoining = true;
        session.execute(() -> session.fetch(state));
        return state.result;
    }

    // ---- close

    /** Closes the session with a MoqT session error code (0 NO_ERROR) and reason; returns when it is closed. */
    /**
     * Sends {@code bytes} as one QUIC datagram exactly as given (no framing checked): for conformance and hostile-input
     * testing. Takes ownership of {@code bytes}.
     */
    public void sendRawDatagram(final ByteBuf bytes)
    {
        session.execute(() -> session.sendDatagram(bytes));
    }

    /**
     * Keeps the connection from going idle while no data flows (a relay-to-relay link of quiet tracks): an empty
     * unidirectional stream, opened and finished at once; QUIC acknowledges it and a MoQT peer discards it (no stream
     * type). Opened through the session's stream opener, so it never takes a stream without credit (which would burn
     * a stream id), and skipped while streams wait for credit (the link is busy then). A peer that stopped answering
     * is noticed at the QUIC idle timeout.
     */
    public void keepAlive()
    {
        session.execute(() ->
        {
            final StreamOpener opener = session.opener;
            if (opener == null || opener.queued() > 0 || !connection.isActive() ||
                connection.peerAllowedStreams(io.netty.handler.codec.quic.QuicStreamType.UNIDIRECTIONAL) <= 0)
            {
                return;
            }
            opener.open(io.netty.handler.codec.quic.QuicStreamType.UNIDIRECTIONAL,
                new io.netty.channel.ChannelInboundHandlerAdapter(), stream ->
                {
                    if (stream != null)
                    {
                        stream.shutdownOutput();
                    }
                });
        });
    }

    public void close(final long code, final String reason)
    {
        if (connection.eventLoop().inEventLoop())
        {
            // From a listener: cannot wait on our own thread.
            session.close(code, reason);
            session.closed.whenComplete((c, x) -> release(group, ownsGroup, socket));
            return;
        }
        // A link on an event loop it does not own (a cluster peer link on the relay's I/O loop) may outlive that
        // loop at shutdown: its connection went with it, and the loop takes no more tasks.
        if (connection.isActive() && !connection.eventLoop().isShuttingDown())
        {
            session.execute(() -> session.close(code, reason));
            connection.closeFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        socket.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (ownsGroup)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    /** Closes with NO_ERROR. */
    @Override
    public void close()
    {
        close(0, "");
    }
}
