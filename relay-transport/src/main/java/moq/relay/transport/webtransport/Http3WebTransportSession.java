package moq.relay.transport.webtransport;

import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import moq.relay.transport.session.PathQuery;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.StreamStarts;
import moq.relay.transport.session.WaitingOpens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebTransport session over HTTP/3: its CONNECT stream, the data streams associated with it, its datagrams.
 * Every method runs on the connection's event loop.
 */
final class Http3WebTransportSession implements WebTransportSession
{
    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.webtransport");

    private final WebTransportConnection connection;
    private final QuicStreamChannel connectStream;
    private final String path;
    private final String authority;
    private final String origin;
    private final String protocol;
    private final Promise<Void> closeFuture;
    /** Open data streams of this session, reset with WT_SESSION_GONE when it ends (draft-16 6). */
    private final Set<QuicStreamChannel> streams = new LinkedHashSet<>();
    /** Peer-opened streams handed to the application per event-loop turn: a burst starts a slice at a time. */
    private final StreamStarts starts;
    private MoqTransport.Listener listener;
    private boolean closed;
    private boolean closeSent;

    Http3WebTransportSession(final WebTransportConnection connection, final QuicStreamChannel connectStream,
        final String path, final String authority, final String origin, final String protocol)
    {
        this.connection = connection;
        this.connectStream = connectStream;
        this.path = path;
        this.authority = authority;
        this.origin = origin;
        this.protocol = protocol;
        this.closeFuture = connectStream.eventLoop().newPromise();
        this.starts = new StreamStarts(connectStream.eventLoop(), connection.settings().streamStartsPerTurn());
    }

    void listener(final MoqTransport.Listener listener)
    {
        this.listener = listener;
    }

    QuicStreamChannel connectStream()
    {
        return connectStream;
    }

    boolean isClosed()
    {
        return closed;
    }

    @Override
    public long sessionId()
    {
        return connectStream.streamId();
    }

    @Override
    public String path()
    {
        return path;
    }

    @Override
    public String authority()
    {
        return authority;
    }

    @Override
    public String origin()
    {
        return origin;
    }

    @Override
    public String protocol()
    {
        return protocol;
    }

    @Override
    public SocketAddress peerAddress()
    {
        return connection.peerAddress();
    }

    @Override
    public EventLoop eventLoop()
    {
        return connectStream.eventLoop();
    }

    QuicChannel quicChannel()
    {
        return connectStream.parent();
    }

    // ---- Streams ----

    @Override
    public Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler)
    {
        if (closed)
        {
            return eventLoop().newFailedFuture(new IllegalStateException("WebTransport session closed"));
        }
        return connection.openStream(this, type, handler, WaitingOpens.UNRANKED);
    }

    @Override
    public Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler,
        final int rank)
    {
        if (closed)
        {
            return eventLoop().newFailedFuture(new IllegalStateException("WebTransport session closed"));
        }
        return connection.openStream(this, type, handler, rank);
    }

    /** A stream of this session, opened by either side: tracked until it closes. */
    void track(final QuicStreamChannel stream)
    {
        if (closed)
        {
            StreamResets.abort(stream, WebTransportErrorCodes.WT_SESSION_GONE);
            stream.close();
            return;
        }
        if (streams.add(stream))
        {
            stream.closeFuture().addListener(f -> streams.remove(stream));
        }
    }

    /**
     * A peer-opened stream whose header named this session: handed to the application now, or, in a burst beyond
     * the session's stream starts per turn, in a later event-loop turn (reading off meanwhile). Tracked from now on,
     * so that the session's end resets it even while it waits.
     */
    void admit(final WtStreamHeaderDecoder decoder)
    {
        final QuicStreamChannel stream = decoder.stream();
        track(stream);
        if (!closed)
        {
            starts.admit(stream, () -> decoder.start(this));
        }
    }

    /** The bound on stream starts per turn of this session (tests, diagnostics). */
    StreamStarts streamStarts()
    {
        return starts;
    }

    /** A peer-opened stream whose header named this session. */
    void streamOpenedByPeer(final QuicStreamChannel stream)
    {
        track(stream);
        listener.streamOpened(stream);
    }

    @Override
    public void resetStream(final QuicStreamChannel stream, final long applicationErrorCode)
    {
        StreamResets.abort(stream, WebTransportErrorCodes.toHttp3(applicationErrorCode));
    }

    @Override
    public long applicationErrorCode(final long wireErrorCode)
    {
        return WebTransportErrorCodes.fromHttp3(wireErrorCode);
    }

    // ---- Datagrams (draft-16 4.5, RFC 9297 2.1) ----

    @Override
    public boolean sendDatagram(final ByteBuf payload)
    {
        final long quarterStreamId = sessionId() >>> 2;
        final int header = WtVarint.encodedLength(quarterStreamId);
        if (closed || payload.readableBytes() + header > connection.maxDatagramFrameSize())
        {
            payload.release();
            return false;
        }
        final ByteBuf datagram = quicChannel().alloc().directBuffer(header + payload.readableBytes());
        WtVarint.write(datagram, quarterStreamId);
        datagram.writeBytes(payload);
        payload.release();
        quicChannel().writeAndFlush(datagram);
        return true;
    }

    @Override
    public int maxDatagramPayloadSize()
    {
        return Math.max(0, connection.maxDatagramFrameSize() - WtVarint.encodedLength(sessionId() >>> 2));
    }

    /** A datagram's payload for this session; ownership passes to the listener. */
    void datagramReceived(final ByteBuf payload)
    {
        if (closed)
        {
            payload.release();
            return;
        }
        listener.datagramReceived(payload);
    }

    // ---- Capsules on the CONNECT stream ----

    @Override
    public void drain()
    {
        if (!closed && !closeSent)
        {
            connectStream.writeAndFlush(new DefaultHttp3DataFrame(Capsules.drainSession(connectStream.alloc())));
        }
    }

    /** The peer sent WT_DRAIN_SESSION, or the connection is going away. */
    void drainRequested()
    {
        if (!closed)
        {
            listener.drainRequested();
        }
    }

    @Override
    public void close(final long applicationErrorCode, final String reason)
    {
        if (applicationErrorCode < 0 || applicationErrorCode > 0xffff_ffffL)
        {
            throw new IllegalArgumentException("WebTransport close codes are 32-bit: " + applicationErrorCode);
        }
        if (closed)
        {
            return;
        }
        // Draft-16 6: WT_CLOSE_SESSION, then FIN on the CONNECT stream at once.
        closeSent = true;
        final ByteBuf capsule = Capsules.closeSession(connectStream.alloc(), applicationErrorCode, reason);
        connectStream.writeAndFlush(new DefaultHttp3DataFrame(capsule))
            .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        terminate(applicationErrorCode, reason == null ? "" : reason);
    }

    /** The peer closed the session with WT_CLOSE_SESSION: FIN our side in response (draft-16 6). */
    void closedByPeer(final long applicationErrorCode, final String reason)
    {
        if (!closeSent && !connectStream.isOutputShutdown())
        {
            closeSent = true;
            connectStream.shutdownOutput();
        }
        terminate(applicationErrorCode, reason);
    }

    /**
     * The session is malformed (bad capsule): reset its CONNECT stream with {@code http3Code}; the connection and
     * other sessions are unaffected.
     */
    void abort(final long http3Code, final String reason)
    {
        if (closed)
        {
            return;
        }
        LOG.info("session {} of {} aborted: {}", sessionId(), peerAddress(), reason);
        closeSent = true;
        StreamResets.abort(connectStream, http3Code);
        terminate(0, reason);
    }

    /**
     * Ends the session once: resets every data stream with WT_SESSION_GONE, fails queued opens, tells the
     * listener and completes the close future.
     */
    void terminate(final long applicationErrorCode, final String reason)
    {
        if (closed)
        {
            return;
        }
        closed = true;
        starts.clear();
        for (final QuicStreamChannel stream : new ArrayList<>(streams))
        {
            StreamResets.abort(stream, WebTransportErrorCodes.WT_SESSION_GONE);
            stream.close();
        }
        streams.clear();
        connection.sessionEnded(this);
        try
        {
            if (listener != null)
            {
                listener.closed(applicationErrorCode, reason);
            }
        }
        finally
        {
            closeFuture.trySuccess(null);
        }
    }

    @Override
    public Future<Void> closeFuture()
    {
        return closeFuture;
    }

    @Override
    public String toString()
    {
        // Without the query: it may carry a token (?jwt=), and this string is logged.
        return "WebTransportSession[" + sessionId() + " " + PathQuery.withoutQuery(path) + " from " + peerAddress() +
            "]";
    }
}
