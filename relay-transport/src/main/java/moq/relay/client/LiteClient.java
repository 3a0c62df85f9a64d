package moq.relay.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import moq.relay.transport.session.LiteStreamSniffer;
import moq.relay.wire.Bytes;
import moq.relay.wire.QuicVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.ChunkSink;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteCodec;
import moq.relay.wire.lite.LiteControlStreamDecoder;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteLimits;
import moq.relay.wire.lite.LiteMessage;
import moq.relay.wire.lite.LiteMessageSink;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Setup;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeOk;
import moq.relay.wire.lite.SubscribeStart;
import moq.relay.wire.lite.TrackInfo;
import moq.relay.wire.lite.TrackRequest;
import moq.relay.transport.session.DiscardInbound;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A moq-lite client over raw QUIC (ALPN {@code moq-lite-03/04/05}), for the {@code publish} and {@code subscribe}
 * tools with {@code --protocol moq-lite-0N}: it publishes broadcasts (answering the relay's ANNOUNCE_PLEASE and
 * SUBSCRIBEs, one Group Stream per group and subscriber, {@link LiteTrackWriter}) and subscribes to tracks (a
 * Subscribe Stream whose future completes on the publisher's answer, frames to a {@link FrameListener}). lite-05: the
 * client's SETUP (Probe none, its Origin) goes out at connect; the relay's is read and ignored; frames carry the
 * client's clock in µs, the timescale of its TRACK_INFO (its answer to the relay's TRACK). A tool, not the relay: it
 * copies bytes freely. Everything runs on the connection's event loop; public methods hop to it.
 */
public final class LiteClient implements AutoCloseable
{
    /** Frames of one subscription, on the client's event loop. */
    public interface FrameListener
    {
        /** Frame {@code index} of group {@code group}; {@code payload} is released when this returns. */
        void onFrame(long group, long index, ByteBuf payload);

        /**
         * Group Stream {@code group} ended: its FIN, or {@code reset} with the publisher's (a relay's) RESET_STREAM
         * code ({@code resetCode}; -1 when it closed without one), e.g. TOO_FAR_BEHIND (0x5) when the relay skipped
         * this subscriber to a later group.
         */
        default void onGroupEnd(final long group, final boolean reset, final long resetCode)
        {
        }

        /** The subscription ended: the publisher's FIN (clean) or a reset / the session's end (not clean). */
        default void onEnd(final boolean clean)
        {
        }
    }

    private static final long INITIAL_MAX_STREAM_DATA = 4L << 20;

    final LiteVersion version;
    final LiteCodec codec;
    final long origin = 1 + (ThreadLocalRandom.current().nextLong() >>> 12);
    private final EventLoopGroup group;
    /** Whether {@link #close} shuts the group down (false: a caller's shared group, e.g. a load generator's). */
    private final boolean ownsGroup;
    private final Channel socket;
    QuicChannel connection;
    /** The WebTransport session the client runs in ({@link #connectWebTransport}); null over raw QUIC. */
    private WebTransportClientConnection webTransport;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Published tracks by broadcast path, then track name. */
    private final Map<String, Map<String, LiteTrackWriter>> broadcasts = new HashMap<>();
    /** Announce Streams the relay opened, with their prefix. */
    private final Map<QuicStreamChannel, String> announceStreams = new HashMap<>();
    private final Map<Long, Incoming> subscriptions = new HashMap<>();
    /** Per broadcast path: completed once an ANNOUNCE active for it went out on an Announce Stream of the relay's. */
    private final Map<String, CompletableFuture<Void>> announced = new java.util.concurrent.ConcurrentHashMap<>();
    private long nextSubscribeId;

    private LiteClient(final LiteVersion version, final EventLoopGroup group, final boolean ownsGroup,
        final Channel socket)
    {
        this.version = version;
        this.codec = LiteCodec.of(version);
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.socket = socket;
    }

    /** Connects; completes once QUIC is up (lite-05: with the client's SETUP sent). */
    public static CompletableFuture<LiteClient> connect(final String host, final int port, final LiteVersion version,
        final ClientTrust trust, final Duration connectTimeout)
    {
        return connect(host, port, version, trust, connectTimeout, new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("moq-lite-client"), NioIoHandler.newFactory()), true);
    }

    /** As above, on one event loop of {@code sharedGroup} (an NIO group the caller owns and shuts down). */
    public static CompletableFuture<LiteClient> connect(final String host, final int port, final LiteVersion version,
        final ClientTrust trust, final Duration connectTimeout, final EventLoopGroup sharedGroup)
    {
        return connect(host, port, version, trust, connectTimeout, sharedGroup, false);
    }

    private static CompletableFuture<LiteClient> connect(final String host, final int port, final LiteVersion version,
        final ClientTrust trust, final Duration connectTimeout, final EventLoopGroup group, final boolean ownsGroup)
    {
        final CompletableFuture<LiteClient> result = new CompletableFuture<>();
        final Channel[] bound = new Channel[1];
        try
        {
            final Channel socket = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new QuicClientCodecBuilder()
                    .sslContext(trust.sslContext(version.alpn()))
                    .maxIdleTimeout(30, TimeUnit.SECONDS)
                    .initialMaxData(64L << 20)
                    .initialMaxStreamDataBidirectionalLocal(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamDataBidirectionalRemote(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                    .initialMaxStreamsBidirectional(1000)
                    .initialMaxStreamsUnidirectional(10_000)
                    .build())
                .bind(0).sync().channel();
            bound[0] = socket;
            final LiteClient client = new LiteClient(version, group, ownsGroup, socket);
            QuicChannel.newBootstrap(socket)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelInactive(final ChannelHandlerContext ctx)
                    {
                        client.connectionClosed();
                        ctx.fireChannelInactive();
                    }
                })
                .streamHandler(new ChannelInitializer<QuicStreamChannel>()
                {
                    @Override
                    protected void initChannel(final QuicStreamChannel stream)
                    {
                        stream.pipeline().addLast(client.new Sniffer());
                    }
                })
                .option(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)connectTimeout.toMillis())
                .remoteAddress(new InetSocketAddress(host, port))
                .connect()
                .addListener(f ->
                {
                    if (!f.isSuccess())
                    {
                        MoqClient.release(group, ownsGroup, socket);
                        result.completeExceptionally(f.cause());
                        return;
                    }
                    client.connection = (QuicChannel)f.getNow();
                    if (version.setupStream())
                    {
                        client.sendSetup();
                    }
                    result.complete(client);
                });
        }
        catch (final Exception e)
        {
            MoqClient.release(group, ownsGroup, bound[0]);
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Connects over WebTransport, as a browser's {@code @moq/net} does: on one event loop of {@code sharedGroup} (the
     * caller's), an extended CONNECT on {@code path} offering {@code version} in {@code wt-available-protocols}; the
     * relay must answer it in {@code wt-protocol}. Then the client works as over raw QUIC, its streams WebTransport
     * streams (the relay's Announce, Subscribe and Track Streams read behind their prefix, its own Subscribe and Group
     * Streams opened with theirs); it sends no SETUP (the relay reads none over WebTransport without authorization).
     * Blocks up to {@code timeoutNanos}; on failure everything opened is closed again.
     */
    public static LiteClient connectWebTransport(final String host, final int port, final String path,
        final LiteVersion version, final ClientTrust trust, final EventLoopGroup sharedGroup, final long timeoutNanos)
        throws Exception
    {
        // The client exists before the session: the relay opens its Announce Stream as soon as the session is up.
        final LiteClient client = new LiteClient(version, sharedGroup, false, null);
        final WebTransportClientConnection session = WebTransportClientConnection.open(host, port, path,
            List.of(version.alpn()), trust, sharedGroup, client::newSniffer, client::newSniffer, null, timeoutNanos);
        if (!version.alpn().equals(session.protocol()))
        {
            session.close();
            throw new IllegalStateException("wt-protocol answered " + session.protocol() + ", expected " +
                version.alpn());
        }
        client.webTransport = session;
        client.connection = session.quic();
        session.quic().closeFuture().addListener(f -> client.connectionClosed());
        return client;
    }

    public LiteVersion version()
    {
        return version;
    }

    /**
     * Opens a stream of ours: a QUIC stream, or over WebTransport one with its WebTransport prefix written first. The
     * future's listeners run on the event loop, in order, after the prefix.
     */
    io.netty.util.concurrent.Future<QuicStreamChannel> openStream(final QuicStreamType type,
        final io.netty.channel.ChannelHandler handler)
    {
        return webTransport != null ? webTransport.openStream(type, handler) : connection.createStream(type, handler);
    }

    private LiteStreamSniffer newSniffer()
    {
        return new Sniffer();
    }

    /** Completes when the connection is gone. */
    public CompletableFuture<Void> closed()
    {
        return closed;
    }

    EventLoop eventLoop()
    {
        return connection.eventLoop();
    }

    /**
     * Publishes track {@code track} of broadcast {@code broadcast} (a path such as {@code live/test}): the broadcast
     * is announced on every Announce Stream whose prefix it falls under, and SUBSCRIBEs for the track are served.
     */
    public LiteTrackWriter publish(final String broadcast, final String track, final int priority)
    {
        final LiteTrackWriter writer = new LiteTrackWriter(this, broadcast, track, priority);
        eventLoop().execute(() ->
        {
            final boolean announced = broadcasts.containsKey(broadcast);
            broadcasts.computeIfAbsent(broadcast, b -> new HashMap<>()).put(track, writer);
            if (!announced)
            {
                announceStreams.forEach((stream, prefix) ->
                {
                    final String suffix = suffix(prefix, broadcast);
                    if (suffix != null)
                    {
                        send(stream, new Announce(AnnounceStatus.ACTIVE, suffix, List.of()));
                        announced(broadcast).complete(null);
                    }
                });
            }
        });
        return writer;
    }

    /**
     * Completes once {@code broadcast} was announced to the relay (an ANNOUNCE active written on an Announce Stream the
     * relay opened): from then on, subscribers reaching the relay after it find the broadcast.
     */
    public CompletableFuture<Void> announced(final String broadcast)
    {
        return announced.computeIfAbsent(broadcast, b -> new CompletableFuture<>());
    }

    /**
     * Subscribes to {@code track} of {@code broadcast} from its latest group. Completes on the publisher's answer, as
     * {@link MoqClient}'s subscribe does: SUBSCRIBE_OK (03/04), SUBSCRIBE_START (05), or a Group Stream of the
     * subscription read before it (separate streams, no order between them); fails with
     * {@link RequestRejectedException} (its RESET_STREAM code) when the publisher resets the Subscribe Stream, and with
     * an {@link IllegalStateException} when the stream or the session ends before any answer.
     */
    public CompletableFuture<Void> subscribe(final String broadcast, final String track, final int priority,
        final FrameListener listener)
    {
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        eventLoop().execute(() ->
        {
            final long id = nextSubscribeId++;
            final Incoming in = new Incoming(id, listener, accepted);
            subscriptions.put(id, in);
            openStream(QuicStreamType.BIDIRECTIONAL, in).addListener(f ->
            {
                if (!f.isSuccess())
                {
                    subscriptions.remove(id);
                    accepted.completeExceptionally(f.cause());
                    return;
                }
                final QuicStreamChannel s = (QuicStreamChannel)f.getNow();
                s.writeAndFlush(opener(LiteStreamType.SUBSCRIBE, new Subscribe(id, broadcast, track, priority, true,
                    0, 0, 0)));
            });
        });
        return accepted;
    }

    @Override
    public void close()
    {
        if (connection != null && connection.isActive())
        {
            connection.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (webTransport != null)
        {
            webTransport.close();
        }
        MoqClient.release(group, ownsGroup, socket);
    }

    // ---- internals, on the event loop

    private void connectionClosed()
    {
        for (final Incoming in : new ArrayList<>(subscriptions.values()))
        {
            in.end(false);
        }
        closed.complete(null);
    }

    private void sendSetup()
    {
        final UnsafeBuffer b = new UnsafeBuffer(new byte[8]);
        final int n = QuicVarint.write(b, 0, origin);
        final Setup setup = new Setup(List.of(new Setup.Parameter(Setup.PROBE, Bytes.wrap(new byte[] {0})),
            new Setup.Parameter(Setup.ORIGIN, Bytes.copyOf(java.util.Arrays.copyOf(b.byteArray(), n)))));
        connection.createStream(QuicStreamType.UNIDIRECTIONAL, DiscardInbound.INSTANCE).addListener(f ->
        {
            if (f.isSuccess())
            {
                final QuicStreamChannel s = (QuicStreamChannel)f.getNow();
                s.writeAndFlush(new DefaultQuicStreamFrame(opener(LiteStreamType.SETUP, setup), true));
            }
        });
    }

    ByteBuf opener(final int type, final LiteMessage message)
    {
        final byte[] body = codec.encode(message);
        return Unpooled.buffer(1 + body.length).writeByte(type).writeBytes(body);
    }

    void send(final Channel stream, final LiteMessage message)
    {
        if (stream.isActive())
        {
            stream.writeAndFlush(Unpooled.wrappedBuffer(codec.encode(message)));
        }
    }

    static void fin(final Channel stream)
    {
        if (stream.isActive())
        {
            stream.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true));
        }
    }

    /** {@code path} relative to {@code prefix}, or null when it is not under it. */
    private static String suffix(final String prefix, final String path)
    {
        if (prefix.isEmpty())
        {
            return path;
        }
        if (path.equals(prefix))
        {
            return "";
        }
        return path.startsWith(prefix + "/") ? path.substring(prefix.length() + 1) : null;
    }

    private LiteControlStreamDecoder decoder(final LiteStreamSide side, final LiteMessageSink sink)
    {
        return new LiteControlStreamDecoder(version, side, sink, LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH,
            BufferBudget.UNBOUNDED);
    }

    /**
     * A stream read into a decoder: its bytes (released here), then its FIN; a malformed stream closes the connection
     * with the decoder's error code.
     */
    private abstract class StreamReader extends ChannelInboundHandlerAdapter implements ChunkSink
    {
        /** Reads the stream's ByteBufs in place: a load generator's subscriber copies each payload once, as MoQT's. */
        private final ByteBufChunks chunks = new ByteBufChunks(0);

        @Override
        public abstract void onData(org.agrona.DirectBuffer buffer, int offset, int length) throws WireException;

        /** The peer's FIN of the stream. */
        abstract void onFin(ChannelHandlerContext ctx) throws WireException;

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            try
            {
                chunks.feed(b, this);
            }
            catch (final WireException e)
            {
                connection.close(true, (int)e.error().code(), Unpooled.EMPTY_BUFFER);
            }
            finally
            {
                b.release();
            }
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                try
                {
                    onFin(ctx);
                }
                catch (final WireException e)
                {
                    connection.close(true, (int)e.error().code(), Unpooled.EMPTY_BUFFER);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Routes a stream the relay opened by its first byte. */
    private final class Sniffer extends LiteStreamSniffer
    {
        @Override
        protected boolean route(final QuicStreamChannel stream, final ChannelHandlerContext ctx, final long type)
        {
            final ChannelInboundHandlerAdapter next;
            if (stream.type() == QuicStreamType.UNIDIRECTIONAL && type == LiteStreamType.GROUP)
            {
                final GroupReader group = new GroupReader();
                next = new ControlReader(group.decoder::onData, group::fin, group::closed, group::reset);
            }
            else if (stream.type() == QuicStreamType.UNIDIRECTIONAL)
            {
                next = DiscardInbound.INSTANCE; // the relay's SETUP
            }
            else if (type == LiteStreamType.ANNOUNCE)
            {
                next = new ControlReader(decoder(LiteStreamSide.ANNOUNCE, new AnnounceServer(stream)), () ->
                    announceStreams.remove(stream));
            }
            else if (type == LiteStreamType.SUBSCRIBE)
            {
                final SubscribeServer server = new SubscribeServer(stream);
                next = new ControlReader(decoder(LiteStreamSide.SUBSCRIBE, server), server::closed);
            }
            else if (type == LiteStreamType.TRACK && version.trackStream())
            {
                next = new ControlReader(decoder(LiteStreamSide.TRACK, new TrackServer(stream)), () -> { });
            }
            else
            {
                next = DiscardInbound.INSTANCE;
                stream.shutdownOutput(0);
            }
            ctx.pipeline().addLast(next);
            return true;
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // reset before its first byte
        }
    }

    /** A decoder's end of stream. */
    private interface Fin
    {
        void onFin() throws WireException;
    }

    /** Feeds a control or Group Stream's decoder; {@code onClosed} when the stream is gone or reset. */
    private final class ControlReader extends StreamReader
    {
        private final ChunkSink data;
        private final Fin fin;
        private final Runnable onClosed;
        /** Told the peer's RESET_STREAM code, or null. */
        private final java.util.function.LongConsumer onReset;

        ControlReader(final ChunkSink data, final Fin fin, final Runnable onClosed,
            final java.util.function.LongConsumer onReset)
        {
            this.data = data;
            this.fin = fin;
            this.onClosed = onClosed;
            this.onReset = onReset;
        }

        ControlReader(final LiteControlStreamDecoder decoder, final Runnable onClosed)
        {
            this(decoder::onData, decoder::onFin, onClosed, null);
        }

        @Override
        public void onData(final org.agrona.DirectBuffer buffer, final int offset, final int length) throws WireException
        {
            data.onData(buffer, offset, length);
        }

        @Override
        void onFin(final ChannelHandlerContext ctx) throws WireException
        {
            fin.onFin();
            if (((QuicStreamChannel)ctx.channel()).type() == QuicStreamType.UNIDIRECTIONAL)
            {
                ctx.close(); // a Group Stream is done at its FIN; Netty would keep its channel until the connection ends
            }
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (onReset != null && cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
            {
                onReset.accept(((io.netty.handler.codec.quic.QuicStreamResetException)cause).applicationProtocolCode());
            }
            ctx.close(); // a reset: the stream is over
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            onClosed.run();
            ctx.fireChannelInactive();
        }
    }

    /** The relay's ANNOUNCE_PLEASE: every published broadcast under its prefix, then each new one. */
    private final class AnnounceServer implements LiteMessageSink
    {
        private final QuicStreamChannel stream;

        AnnounceServer(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            final String prefix = ((AnnouncePlease)message).prefix();
            final List<String> suffixes = new ArrayList<>();
            final List<String> paths = new ArrayList<>();
            for (final String path : broadcasts.keySet())
            {
                final String s = suffix(prefix, path);
                if (s != null)
                {
                    suffixes.add(s);
                    paths.add(path);
                }
            }
            if (version.announceOk())
            {
                send(stream, new AnnounceOk(origin, suffixes.size()));
            }
            for (final String s : suffixes)
            {
                send(stream, new Announce(AnnounceStatus.ACTIVE, s, List.of()));
            }
            paths.forEach(p -> announced(p).complete(null));
            announceStreams.put(stream, prefix);
        }

        @Override
        public void onEnd()
        {
            fin(stream);
        }
    }

    /**
     * lite-05: the relay's TRACK, answered with TRACK_INFO (the track's priority, ordered, no Max Latency, timescale
     * µs: the client's frame timestamps) then FIN; reset (0x10) for a track not published.
     */
    private final class TrackServer implements LiteMessageSink
    {
        private final QuicStreamChannel stream;

        TrackServer(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            final TrackRequest request = (TrackRequest)message;
            final Map<String, LiteTrackWriter> tracks = broadcasts.get(request.broadcast());
            final LiteTrackWriter writer = tracks == null ? null : tracks.get(request.track());
            if (writer == null)
            {
                stream.shutdownOutput(0x10);
                return;
            }
            send(stream, new TrackInfo(writer.priority, true, 0, LiteTrackWriter.TIMESCALE));
            fin(stream);
        }

        @Override
        public void onEnd()
        {
        }
    }

    /** One SUBSCRIBE from the relay: served by the track's writer, or reset (0x10) for a track not published. */
    private final class SubscribeServer implements LiteMessageSink
    {
        private final QuicStreamChannel stream;
        private LiteTrackWriter.Outgoing outgoing;

        SubscribeServer(final QuicStreamChannel stream)
        {
            this.stream = stream;
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            if (!(message instanceof Subscribe))
            {
                return; // SUBSCRIBE_UPDATE: one priority for all, here
            }
            final Subscribe s = (Subscribe)message;
            final Map<String, LiteTrackWriter> tracks = broadcasts.get(s.broadcast());
            final LiteTrackWriter writer = tracks == null ? null : tracks.get(s.track());
            if (writer == null)
            {
                stream.shutdownOutput(0x10);
                return;
            }
            if (!version.subscribeStartEnd())
            {
                send(stream, new SubscribeOk(writer.priority, true, 0, 0, 0));
            }
            outgoing = writer.add(s.id(), stream);
        }

        @Override
        public void onEnd()
        {
            closed();
            fin(stream);
        }

        void closed()
        {
            if (outgoing != null)
            {
                outgoing.remove();
                outgoing = null;
            }
        }
    }

    /** One subscription of this client: its Subscribe Stream's replies. */
    private final class Incoming extends StreamReader implements LiteMessageSink
    {
        final long id;
        final FrameListener listener;
        final CompletableFuture<Void> accepted;
        private final LiteControlStreamDecoder decoder;
        int openGroups;
        boolean ended;

        Incoming(final long id, final FrameListener listener, final CompletableFuture<Void> accepted)
        {
            this.id = id;
            this.listener = listener;
            this.accepted = accepted;
            this.decoder = decoder(LiteStreamSide.SUBSCRIBE_REPLY, this);
        }

        @Override
        public void onData(final org.agrona.DirectBuffer buffer, final int offset, final int length) throws WireException
        {
            decoder.onData(buffer, offset, length);
        }

        @Override
        void onFin(final ChannelHandlerContext ctx)
        {
            // The publisher's FIN: the track ended. Group Streams are separate streams, so some may still be in
            // flight or being read: they are let in first (the relay itself grants its publishers such a grace).
            endAfterGroups(ctx.channel().eventLoop(), 40, 0);
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            accepted.completeExceptionally(subscribeFailure(cause));
            end(false);
            ctx.close();
        }

        @Override
        public void onMessage(final LiteMessage message)
        {
            answered(message, accepted);
        }

        @Override
        public void onEnd()
        {
        }

        /**
         * Ends cleanly once no Group Stream of this subscription has been open for 100 ms (streams behind the FIN may
         * not have reached the client yet), checking every 50 ms, at most {@code n} more times.
         */
        void endAfterGroups(final EventLoop loop, final int n, final int quiet)
        {
            loop.schedule(() ->
            {
                final int q = openGroups == 0 ? quiet + 1 : 0;
                if (q >= 2 || n == 0)
                {
                    end(true);
                }
                else
                {
                    endAfterGroups(loop, n - 1, q);
                }
            }, 50, TimeUnit.MILLISECONDS);
        }

        void end(final boolean clean)
        {
            if (!ended)
            {
                ended = true;
                subscriptions.remove(id);
                accepted.completeExceptionally(new IllegalStateException("the subscription ended before the " +
                    "publisher answered its SUBSCRIBE")); // no-op once answered
                listener.onEnd(clean);
            }
        }
    }

    /** A Group Stream from the relay (read by a {@link ControlReader}): its frames to the subscription's listener. */
    private final class GroupReader implements LiteFrameHandler
    {
        final LiteFrameDecoder decoder = new LiteFrameDecoder(version, LiteFrameDecoder.Mode.GROUP, this,
            BufferBudget.UNBOUNDED);
        private Incoming in;
        private long group;
        private long index;
        private ByteBuf frame;
        private boolean endTold;

        /** The stream's FIN: every frame was read. */
        void fin() throws WireException
        {
            decoder.onFin();
            end(false, -1);
        }

        /** The relay reset the stream with {@code code}. */
        void reset(final long code)
        {
            end(true, code);
        }

        private void end(final boolean reset, final long code)
        {
            if (in != null && !endTold)
            {
                endTold = true;
                in.listener.onGroupEnd(group, reset, code);
            }
        }

        /** The stream is gone: its subscription no longer waits for it. */
        void closed()
        {
            end(true, -1);
            if (in != null)
            {
                in.openGroups--;
                in = null;
            }
            if (frame != null)
            {
                frame.release();
                frame = null;
            }
        }

        @Override
        public void onGroup(final long subscribeId, final long sequence)
        {
            in = subscriptions.get(subscribeId);
            group = sequence;
            if (in != null)
            {
                in.openGroups++;
                in.accepted.complete(null);
            }
        }

        @Override
        public void onFrame(final long length, final long timestamp)
        {
            frame = PooledByteBufAllocator.DEFAULT.buffer((int)Math.min(length, 1 << 20));
        }

        @Override
        public void onPayload(final org.agrona.DirectBuffer buffer, final int offset, final int length)
        {
            // One copy, into the frame's buffer through its reusable NIO view (no array per chunk).
            final int writerIndex = frame.writerIndex();
            frame.ensureWritable(length);
            final java.nio.ByteBuffer into = frame.internalNioBuffer(writerIndex, length);
            buffer.getBytes(offset, into, into.position(), length);
            frame.writerIndex(writerIndex + length);
        }

        @Override
        public void onFrameEnd()
        {
            try
            {
                if (in != null && !in.ended)
                {
                    in.listener.onFrame(group, index, frame);
                }
            }
            finally
            {
                frame.release();
                frame = null;
                index++;
            }
        }

        @Override
        public void onStreamEnd()
        {
        }
    }


    /** A Subscribe Stream's answer: SUBSCRIBE_OK (lite-03/04) or SUBSCRIBE_START (lite-05) completes {@code accepted}. */
    static void answered(final LiteMessage message, final CompletableFuture<Void> accepted)
    {
        if (message instanceof SubscribeOk || message instanceof SubscribeStart)
        {
            accepted.complete(null);
        }
    }

    /**
     * Why a Subscribe Stream failed: the relay refuses a SUBSCRIBE by resetting the stream with the request error code
     * (docs/moq-lite.md), anything else is the stream's own failure.
     */
    static Throwable subscribeFailure(final Throwable cause)
    {
        return cause instanceof io.netty.handler.codec.quic.QuicStreamResetException reset ?
            new RequestRejectedException("SUBSCRIBE", reset.applicationProtocolCode(), 0, "") :
            new IllegalStateException("SUBSCRIBE failed: " + cause.getMessage(), cause);
    }
}
