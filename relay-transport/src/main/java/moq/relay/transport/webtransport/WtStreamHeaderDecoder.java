package moq.relay.transport.webtransport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * First handler of a peer-opened stream that may be a WebTransport stream: reads the stream header, finds the
 * session, and hands the stream over to the application with the header consumed.
 *
 * <ul>
 *   <li>Bidirectional streams (draft-ietf-webtrans-http3-16 4.3): added in front of the HTTP/3 request stream
 *   handlers. If the first varint is the WT_STREAM signal 0x41, the HTTP/3 handlers are removed and the session ID
 *   follows; otherwise the bytes go on to the HTTP/3 codec untouched and this handler removes itself.</li>
 *   <li>Unidirectional streams (4.2): installed by netty's unknown-stream-type hook once it has read type 0x54, so
 *   the session ID comes first.</li>
 * </ul>
 *
 * <p>Until the session is known the stream is parked: reading stops (QUIC flow control holds the peer) and the
 * bytes already read stay here. The cumulation is owned by this handler and released if the stream is rejected or
 * closes; on hand-over its bytes are fired into the application's pipeline (ownership passes with them).
 */
final class WtStreamHeaderDecoder extends ChannelInboundHandlerAdapter
{
    /** Draft-16 4.3: the WT_STREAM signal value opening a bidirectional WebTransport stream. */
    static final long WT_STREAM_SIGNAL = 0x41;
    /** Draft-16 4.2: the unidirectional WebTransport stream type. */
    static final long WT_UNI_STREAM_TYPE = 0x54;

    private final WebTransportConnection connection;
    private boolean signalPending;
    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private long sessionId = -1;
    private boolean parked;
    private boolean inputShutdown;
    private boolean done;

    /**
     * @param sniffSignal true for a bidirectional stream whose first varint is still to be checked for 0x41.
     */
    WtStreamHeaderDecoder(final WebTransportConnection connection, final boolean sniffSignal)
    {
        this.connection = connection;
        this.signalPending = sniffSignal;
    }

    long sessionId()
    {
        return sessionId;
    }

    QuicStreamChannel stream()
    {
        return (QuicStreamChannel)ctx.channel();
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (done || !(msg instanceof ByteBuf))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final ByteBuf data = (ByteBuf)msg;
        if (cumulation == null)
        {
            cumulation = data;
        }
        else
        {
            cumulation = ctx.alloc().compositeBuffer().addComponents(true, cumulation, data);
        }
        if (sessionId < 0)
        {
            decodeHeader(ctx);
        }
    }

    private void decodeHeader(final ChannelHandlerContext ctx)
    {
        if (signalPending)
        {
            final int start = cumulation.readerIndex();
            final long signal = WtVarint.read(cumulation);
            if (signal == WtVarint.INCOMPLETE)
            {
                return;
            }
            if (signal != WT_STREAM_SIGNAL)
            {
                // An HTTP/3 request stream: give every byte to the HTTP/3 codec behind us and step aside.
                cumulation.readerIndex(start);
                final ByteBuf all = cumulation;
                cumulation = null;
                done = true;
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(all);
                return;
            }
            signalPending = false;
            while (ctx.pipeline().last() != this)
            {
                ctx.pipeline().removeLast(); // the HTTP/3 request stream handlers
            }
        }
        final long id = WtVarint.read(cumulation);
        if (id == WtVarint.INCOMPLETE)
        {
            return;
        }
        sessionId = id;
        connection.streamHeaderRead(this);
    }

    /**
     * The session is known and open: the stream is the session's now; it starts (the application gets it) at once or,
     * in a burst, in a later turn ({@link Http3WebTransportSession#admit}). Until then bytes still read accumulate here.
     */
    void handOver(final Http3WebTransportSession session)
    {
        parked = false;
        session.admit(this);
    }

    /** The session's turn for this stream: the application gets the stream, then the bytes after the header. */
    void start(final Http3WebTransportSession session)
    {
        if (done || session.isClosed())
        {
            return; // closed while it waited: the session's end reset it
        }
        final QuicStreamChannel stream = stream();
        done = true;
        session.streamOpenedByPeer(stream);
        final ByteBuf rest = cumulation;
        cumulation = null;
        ctx.pipeline().remove(this);
        if (rest != null && rest.isReadable())
        {
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        }
        else if (rest != null)
        {
            rest.release();
        }
        if (inputShutdown)
        {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            ctx.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
        // Last: turning reading back on may read at once, and the application's handlers must be there for it.
        stream.config().setAutoRead(true);
    }

    /** Waits for the session's CONNECT (draft-16 4.6): no more reading until it arrives. */
    void park()
    {
        parked = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** Refuses the stream: STOP_SENDING (and RESET_STREAM for a bidirectional one) with {@code http3Code}. */
    void reject(final long http3Code)
    {
        parked = false;
        done = true;
        releaseCumulation();
        final QuicStreamChannel stream = stream();
        StreamResets.abort(stream, http3Code);
        stream.close();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (!done && (evt instanceof ChannelInputShutdownEvent || evt instanceof ChannelInputShutdownReadComplete))
        {
            inputShutdown = true;
            if (sessionId < 0)
            {
                // FIN inside the header: nothing to deliver, and no session to tell.
                done = true;
                releaseCumulation();
                ctx.close();
            }
            return; // replayed to the application on hand-over
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (parked)
        {
            parked = false;
            connection.bufferedStreamClosed(this);
        }
        releaseCumulation();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        releaseCumulation();
    }

    private void releaseCumulation()
    {
        if (cumulation != null)
        {
            ReferenceCountUtil.release(cumulation);
            cumulation = null;
        }
    }
}
