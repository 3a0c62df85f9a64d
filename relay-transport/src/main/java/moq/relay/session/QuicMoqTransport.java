package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.SocketAddress;
import moq.relay.transport.quic.ConnectionClose;
import moq.relay.transport.server.CloseReason;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.StreamStarts;

/**
 * {@link MoqTransport} over a raw QUIC connection (ALPN {@code moqt-18} / {@code moq-00}): one MoQT session per
 * connection. Installed last in the connection's pipeline; forwards peer-opened streams and datagrams to the
 * session's {@link MoqTransport.Listener}. Stream and application error codes are the QUIC ones unchanged.
 */
final class QuicMoqTransport extends ChannelInboundHandlerAdapter implements MoqTransport
{
    private final QuicChannel connection;
    private final String protocol;
    private final StreamOpenQueue opener;
    private final StreamStarts starts;
    private final Promise<Void> closeFuture;
    private Listener listener;
    private long closeCode;
    private String closeReason;
    /** The listener was told the session ended (no calls reach it after). */
    private boolean ended;
    private int maxDatagram;

    /** @param streamStartsPerTurn peer-opened streams started per event-loop turn ({@link StreamStarts}). */
    QuicMoqTransport(final QuicChannel connection, final String protocol, final int maxPendingStreams,
        final int streamStartsPerTurn)
    {
        this.connection = connection;
        this.protocol = protocol;
        this.opener = new StreamOpenQueue(connection, maxPendingStreams);
        this.starts = new StreamStarts(connection.eventLoop(), streamStartsPerTurn);
        this.closeFuture = connection.eventLoop().newPromise();
    }

    void listener(final Listener listener)
    {
        this.listener = listener;
    }

    QuicChannel connection()
    {
        return connection;
    }

    /** The bound on stream starts per turn of this session (tests, metrics). */
    StreamStarts streamStarts()
    {
        return starts;
    }

    @Override
    public String protocol()
    {
        return protocol;
    }

    @Override
    public SocketAddress peerAddress()
    {
        return connection.remoteSocketAddress();
    }

    @Override
    public EventLoop eventLoop()
    {
        return connection.eventLoop();
    }

    @Override
    public Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler)
    {
        return opener.open(type, handler, moq.relay.transport.session.WaitingOpens.UNRANKED);
    }

    @Override
    public Future<QuicStreamChannel> openStream(final QuicStreamType type, final ChannelHandler handler,
        final int rank)
    {
        return opener.open(type, handler, rank);
    }

    @Override
    public boolean sendDatagram(final ByteBuf payload)
    {
        if (!connection.isActive() || maxDatagram <= 0 || payload.readableBytes() > maxDatagram)
        {
            payload.release();
            return false;
        }
        connection.writeAndFlush(payload);
        return true;
    }

    @Override
    public int maxDatagramPayloadSize()
    {
        return maxDatagram;
    }

    @Override
    public void resetStream(final QuicStreamChannel stream, final long applicationErrorCode)
    {
        final int code = (int)Math.min(applicationErrorCode, Integer.MAX_VALUE);
        if (stream.type() == QuicStreamType.BIDIRECTIONAL || stream.isLocalCreated())
        {
            stream.shutdownOutput(code);
        }
        if (stream.type() == QuicStreamType.BIDIRECTIONAL || !stream.isLocalCreated())
        {
            stream.shutdownInput(code);
        }
    }

    @Override
    public long applicationErrorCode(final long wireErrorCode)
    {
        return wireErrorCode;
    }

    @Override
    public void close(final long applicationErrorCode, final String reason)
    {
        if (closeReason == null)
        {
            closeCode = applicationErrorCode;
            closeReason = reason;
            CloseReason.record(connection, "MoQT session error 0x" + Long.toHexString(applicationErrorCode) +
                (reason.isEmpty() ? "" : ": " + reason));
        }
        opener.close();
        if (ConnectionClose.close(connection, true, (int)applicationErrorCode, reason))
        {
            // The connection stays in quiche's closing state until its CONNECTION_CLOSE has left, so it goes inactive
            // later: the session ends now, in a later task as netty's channelInactive would have come.
            connection.eventLoop().execute(this::end);
        }
    }

    /** Tells the listener the session ended, once: at the relay's close or when the connection goes inactive. */
    private void end()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        opener.close();
        starts.clear();
        if (closeReason == null)
        {
            closeReason = "connection closed";
        }
        try
        {
            listener.closed(closeCode, closeReason);
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
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (msg instanceof QuicStreamChannel && ConnectionClose.closing(connection))
        {
            // A stream the peer opened while the relay's close waits to leave: never read, closed with the connection.
            ((QuicStreamChannel)msg).config().setAutoRead(false);
            ctx.fireChannelRead(msg);
        }
        else if (msg instanceof ByteBuf && ConnectionClose.closing(connection))
        {
            ((ByteBuf)msg).release();
        }
        else if (msg instanceof QuicStreamChannel)
        {
            listener.streamOpened((QuicStreamChannel)msg);
            starts.admit((QuicStreamChannel)msg); // read now, or in a later turn of a burst
            ctx.fireChannelRead(msg); // the pipeline tail registers the stream
        }
        else if (msg instanceof ByteBuf)
        {
            listener.datagramReceived((ByteBuf)msg); // ownership passes to the listener
        }
        else
        {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof QuicStreamLimitChangedEvent)
        {
            opener.drain();
        }
        else if (evt instanceof io.netty.handler.codec.quic.QuicDatagramExtensionEvent)
        {
            maxDatagram = ((io.netty.handler.codec.quic.QuicDatagramExtensionEvent)evt).maxLength();
        }
        else if (evt instanceof QuicConnectionCloseEvent && closeReason == null)
        {
            final QuicConnectionCloseEvent e = (QuicConnectionCloseEvent)evt;
            closeCode = e.error();
            closeReason = "peer closed (0x" + Integer.toHexString(e.error()) + ")";
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        try
        {
            end();
        }
        finally
        {
            ctx.fireChannelInactive();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.fireExceptionCaught(cause);
    }
}
