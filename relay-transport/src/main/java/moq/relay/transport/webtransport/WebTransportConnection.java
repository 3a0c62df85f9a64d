package moq.relay.transport.webtransport;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.AttributeKey;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.session.WaitingOpens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebTransport state of one HTTP/3 connection: its sessions by ID, streams and datagrams that arrived before
 * their session (draft-ietf-webtrans-http3-16 4.6), and relay-opened streams waiting for stream credit. It is the
 * {@link TransportSession} the server drains on shutdown (GOAWAY, then WT_DRAIN_SESSION to every session).
 *
 * <p>Threading: confined to the connection's event loop, like every handler that calls it.
 */
final class WebTransportConnection implements TransportSession
{
    private static final AttributeKey<WebTransportConnection> KEY = AttributeKey.valueOf("moq.webtransport");
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.webtransport");
    /** Ended session IDs remembered, so late streams and datagrams for them are refused rather than buffered. */
    private static final int ENDED_SESSIONS_REMEMBERED = 256;

    private final QuicChannel channel;
    private final WebTransportSettings settings;
    private final WebTransportApplication application;
    private final SocketAddress peerAddress;
    private final LongObjectHashMap<Http3WebTransportSession> sessions = new LongObjectHashMap<>();
    private final Set<Long> endedSessions = new LinkedHashSet<>();
    private final List<WtStreamHeaderDecoder> bufferedStreams = new ArrayList<>();
    private final ArrayDeque<BufferedDatagram> bufferedDatagrams = new ArrayDeque<>();
    /** Relay-opened streams waiting for the peer's stream credit, per session at most maxPendingStreams. */
    private final WaitingOpens<Http3WebTransportSession> pendingOpens;
    private int maxDatagramFrameSize;
    private long highestPeerBidiStreamId = -4;
    private boolean goingAway;
    private boolean closed;
    private boolean peerSettingsReceived;
    /** A CONNECT was accepted on this connection (the server's setup deadline stops waiting then). */
    private boolean anySessionAccepted;
    /** CONNECT requests that arrived before the client's SETTINGS (draft-16 3.1), at most maxSessions. */
    private final List<Runnable> awaitingPeerSettings = new ArrayList<>();
    private long droppedDatagrams;
    /** Told why each CONNECT was refused (a metrics label). */
    private final java.util.function.Consumer<String> refusals;

    private record BufferedDatagram(long sessionId, ByteBuf payload)
    {
    }

    WebTransportConnection(final QuicChannel channel, final WebTransportSettings settings,
        final WebTransportApplication application)
    {
        this(channel, settings, application, reason -> { });
    }

    /** @param refusals told why each CONNECT on this connection was refused ({@link ConnectStreamHandler}) */
    WebTransportConnection(final QuicChannel channel, final WebTransportSettings settings,
        final WebTransportApplication application, final java.util.function.Consumer<String> refusals)
    {
        this.refusals = refusals;
        this.channel = channel;
        this.settings = settings;
        this.application = application;
        this.peerAddress = channel.remoteSocketAddress();
        this.pendingOpens = new WaitingOpens<>(settings.maxPendingStreams());
        channel.attr(KEY).set(this);
    }

    static WebTransportConnection of(final QuicChannel channel)
    {
        return channel.attr(KEY).get();
    }

    WebTransportSettings settings()
    {
        return settings;
    }

    SocketAddress peerAddress()
    {
        return peerAddress;
    }

    int maxDatagramFrameSize()
    {
        return maxDatagramFrameSize;
    }

    void maxDatagramFrameSize(final int size)
    {
        maxDatagramFrameSize = size;
    }

    int sessionCount()
    {
        return sessions.size();
    }

    // ---- Sessions ----

    boolean acceptsSessions()
    {
        return !goingAway && !closed && sessions.size() < settings.maxSessions();
    }

    /**
     * Runs {@code request} once the client's SETTINGS are known: for draft versions the server must not process
     * WebTransport requests before (draft-16 3.1). False when too many requests already wait.
     */
    boolean whenPeerSettingsKnown(final Runnable request)
    {
        if (peerSettingsReceived)
        {
            request.run();
            return true;
        }
        if (awaitingPeerSettings.size() >= settings.maxSessions())
        {
            return false;
        }
        awaitingPeerSettings.add(request);
        return true;
    }

    /** The client's SETTINGS frame arrived: process the requests that waited for it. */
    void peerSettingsReceived()
    {
        peerSettingsReceived = true;
        final List<Runnable> waiting = new ArrayList<>(awaitingPeerSettings);
        awaitingPeerSettings.clear();
        waiting.forEach(Runnable::run);
    }

    void peerBidiStreamOpened(final long streamId)
    {
        highestPeerBidiStreamId = Math.max(highestPeerBidiStreamId, streamId);
    }

    void sessionAccepted(final Http3WebTransportSession session)
    {
        anySessionAccepted = true;
        sessions.put(session.sessionId(), session);
        final MoqTransport.Listener listener;
        try
        {
            listener = application.sessionOpened(session);
            if (listener == null)
            {
                throw new IllegalStateException("WebTransportApplication returned no listener");
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.error("WebTransport application failed to take {}", session, ex);
            session.abort(WebTransportErrorCodes.H3_INTERNAL_ERROR, "application failed: " + ex);
            return;
        }
        session.listener(listener);
        if (goingAway)
        {
            session.drain();
            session.drainRequested();
        }
        // Draft-16 4.6: what arrived before the CONNECT now has its session.
        for (final WtStreamHeaderDecoder stream : takeBufferedStreams(session.sessionId()))
        {
            stream.handOver(session);
        }
        final Iterator<BufferedDatagram> datagrams = bufferedDatagrams.iterator();
        while (datagrams.hasNext())
        {
            final BufferedDatagram datagram = datagrams.next();
            if (datagram.sessionId() == session.sessionId())
            {
                datagrams.remove();
                session.datagramReceived(datagram.payload());
            }
        }
    }

    void sessionRefused(final long sessionId, final String reason)
    {
        refusals.accept(reason);
        sessionGone(sessionId);
    }

    void sessionEnded(final Http3WebTransportSession session)
    {
        sessions.remove(session.sessionId());
        sessionGone(session.sessionId());
        failPendingOpens(session);
    }

    private void sessionGone(final long sessionId)
    {
        endedSessions.add(sessionId);
        if (endedSessions.size() > ENDED_SESSIONS_REMEMBERED)
        {
            final Iterator<Long> oldest = endedSessions.iterator();
            oldest.next();
            oldest.remove();
        }
        for (final WtStreamHeaderDecoder stream : takeBufferedStreams(sessionId))
        {
            stream.reject(WebTransportErrorCodes.WT_SESSION_GONE);
        }
        bufferedDatagrams.removeIf(d ->
        {
            if (d.sessionId() == sessionId)
            {
                d.payload().release();
                return true;
            }
            return false;
        });
    }

    // ---- Peer-opened streams ----

    /** A stream header named {@code decoder.sessionId()}: hand the stream over, buffer it, or refuse it. */
    void streamHeaderRead(final WtStreamHeaderDecoder decoder)
    {
        final long sessionId = decoder.sessionId();
        if ((sessionId & 0x3) != 0)
        {
            // Draft-16 4: a session ID must be a client-initiated bidirectional stream ID.
            connectionError(WebTransportErrorCodes.H3_ID_ERROR, "WebTransport stream names session " + sessionId +
                ", not a client-initiated bidirectional stream");
            return;
        }
        final Http3WebTransportSession session = sessions.get(sessionId);
        if (session != null)
        {
            decoder.handOver(session);
        }
        else if (endedSessions.contains(sessionId) || closed)
        {
            decoder.reject(WebTransportErrorCodes.WT_SESSION_GONE);
        }
        else if (bufferedStreams.size() >= settings.maxBufferedStreams())
        {
            LOG.debug("stream {} for unknown session {} rejected: {} streams already buffered",
                decoder.stream().streamId(), sessionId, bufferedStreams.size());
            decoder.reject(WebTransportErrorCodes.WT_BUFFERED_STREAM_REJECTED);
        }
        else
        {
            bufferedStreams.add(decoder);
            decoder.park();
        }
    }

    /** Streams waiting for their session's CONNECT now (tests, diagnostics). */
    int bufferedStreamCount()
    {
        return bufferedStreams.size();
    }

    void bufferedStreamClosed(final WtStreamHeaderDecoder decoder)
    {
        bufferedStreams.remove(decoder);
    }

    private List<WtStreamHeaderDecoder> takeBufferedStreams(final long sessionId)
    {
        final List<WtStreamHeaderDecoder> taken = new ArrayList<>();
        bufferedStreams.removeIf(stream ->
        {
            if (stream.sessionId() == sessionId)
            {
                taken.add(stream);
                return true;
            }
            return false;
        });
        return taken;
    }

    // ---- Datagrams ----

    /** A QUIC DATAGRAM: quarter stream ID, then the payload (RFC 9297 2.1). Takes ownership. */
    void datagramReceived(final ByteBuf datagram)
    {
        final long quarterStreamId = WtVarint.read(datagram);
        if (quarterStreamId == WtVarint.INCOMPLETE || quarterStreamId > (Long.MAX_VALUE >>> 2))
        {
            datagram.release();
            return;
        }
        final long sessionId = quarterStreamId << 2;
        final Http3WebTransportSession session = sessions.get(sessionId);
        if (session != null)
        {
            session.datagramReceived(datagram);
        }
        else if (!closed && !endedSessions.contains(sessionId) &&
            bufferedDatagrams.size() < settings.maxBufferedDatagrams())
        {
            bufferedDatagrams.add(new BufferedDatagram(sessionId, datagram));
        }
        else
        {
            droppedDatagrams++;
            datagram.release();
        }
    }

    // ---- Relay-opened streams (draft-16 4.2, 4.3) ----

    /** Opens a stream of {@code session} now if credit allows and nothing waits, or queues it by {@code rank}. */
    Future<QuicStreamChannel> openStream(final Http3WebTransportSession session, final QuicStreamType type,
        final ChannelHandler handler, final int rank)
    {
        final Promise<QuicStreamChannel> promise = channel.eventLoop().newPromise();
        if (pendingOpens.isEmpty(type) && channel.peerAllowedStreams(type) > 0)
        {
            create(session, type, handler, promise);
        }
        else
        {
            // Never createStream without credit: quiche would burn the stream id (and the peer a credit).
            pendingOpens.add(session, type, rank, handler, promise);
        }
        return promise;
    }

    /** Opens of {@code session} waiting for stream credit now (tests, diagnostics). */
    int pendingOpens(final Http3WebTransportSession session)
    {
        return pendingOpens.waiting(session);
    }

    /** MAX_STREAMS raised the peer's limit: open what was queued, as far as credit goes, in priority order. */
    void streamLimitChanged()
    {
        pump(QuicStreamType.UNIDIRECTIONAL);
        pump(QuicStreamType.BIDIRECTIONAL);
    }

    private void pump(final QuicStreamType type)
    {
        while (!pendingOpens.isEmpty(type) && channel.peerAllowedStreams(type) > 0)
        {
            final WaitingOpens.Open<Http3WebTransportSession> open = pendingOpens.poll(type);
            if (open == null)
            {
                return; // only withdrawn opens were left
            }
            if (open.owner().isClosed())
            {
                open.promise().tryFailure(new IllegalStateException("WebTransport session closed"));
            }
            else
            {
                create(open.owner(), type, open.handler(), open.promise());
            }
        }
    }

    private void create(final Http3WebTransportSession session, final QuicStreamType type,
        final ChannelHandler handler, final Promise<QuicStreamChannel> promise)
    {
        promise.setUncancellable(); // being created: a withdrawal now would leave the stream open, unused
        final long header = type == QuicStreamType.UNIDIRECTIONAL ? WtStreamHeaderDecoder.WT_UNI_STREAM_TYPE :
            WtStreamHeaderDecoder.WT_STREAM_SIGNAL;
        channel.createStream(type, new ChannelInitializer<QuicStreamChannel>()
        {
            @Override
            protected void initChannel(final QuicStreamChannel stream)
            {
                // The header goes first, before anything the application's handler writes.
                final ByteBuf prefix = stream.alloc().directBuffer(16);
                WtVarint.write(prefix, header);
                WtVarint.write(prefix, session.sessionId());
                stream.writeAndFlush(prefix);
                stream.pipeline().addLast(handler);
            }
        }).addListener(f ->
        {
            if (f.isSuccess())
            {
                final QuicStreamChannel stream = (QuicStreamChannel)f.getNow();
                session.track(stream);
                promise.trySuccess(stream);
            }
            else
            {
                promise.tryFailure(f.cause());
            }
        });
    }

    private void failPendingOpens(final Http3WebTransportSession session)
    {
        pendingOpens.failAll(session, new IllegalStateException("WebTransport session closed"));
    }

    // ---- Connection life cycle ----

    /**
     * Relay shutdown: HTTP/3 GOAWAY (no new sessions on this connection; RFC 9114 5.2) and WT_DRAIN_SESSION to every
     * session (draft-16 4.7), whose applications are told to wind down.
     */
    @Override
    public void goAway(final String newSessionUri)
    {
        if (goingAway || closed)
        {
            return;
        }
        goingAway = true;
        final QuicStreamChannel control = Http3.getLocalControlStream(channel);
        if (control != null)
        {
            control.writeAndFlush(new DefaultHttp3GoAwayFrame(highestPeerBidiStreamId + 4));
        }
        for (final Http3WebTransportSession session : new ArrayList<>(sessions.values()))
        {
            session.drain();
            session.drainRequested();
        }
    }

    /** The peer sent GOAWAY: a signal to wind down every session (draft-16 4.7). */
    void peerGoAway()
    {
        for (final Http3WebTransportSession session : new ArrayList<>(sessions.values()))
        {
            session.drainRequested();
        }
    }

    /** Until a CONNECT is accepted: each MoQT session then keeps its own SETUP deadline from its CONNECT on. */
    @Override
    public boolean awaitsSetup()
    {
        return !anySessionAccepted;
    }

    /** An HTTP/3 connection idle of requests is closed as servers close idle connections: H3_NO_ERROR. */
    @Override
    public int setupTimeoutErrorCode()
    {
        return (int)WebTransportErrorCodes.H3_NO_ERROR;
    }

    @Override
    public int goAwayTimeoutErrorCode()
    {
        return (int)WebTransportErrorCodes.H3_NO_ERROR;
    }

    /** HTTP/3 connection error: the whole connection closes (RFC 9114 8). */
    void connectionError(final long http3Code, final String reason)
    {
        LOG.info("closing connection of {}: {}", peerAddress, reason);
        // Ownership of the reason buffer passes to close(), which releases it.
        channel.close(true, (int)http3Code, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }

    /** The QUIC connection closed: end every session and release what was buffered. */
    void connectionClosed()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Http3WebTransportSession session : new ArrayList<>(sessions.values()))
        {
            session.terminate(0, "connection closed");
        }
        for (final WtStreamHeaderDecoder stream : new ArrayList<>(bufferedStreams))
        {
            stream.reject(WebTransportErrorCodes.WT_SESSION_GONE);
        }
        bufferedStreams.clear();
        bufferedDatagrams.forEach(d -> d.payload().release());
        bufferedDatagrams.clear();
        pendingOpens.failAll(null, new IllegalStateException("connection closed"));
        if (droppedDatagrams > 0)
        {
            LOG.debug("{} early datagrams dropped on the connection of {}", droppedDatagrams, peerAddress);
        }
    }
}
