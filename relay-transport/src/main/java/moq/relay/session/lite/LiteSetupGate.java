package moq.relay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import moq.relay.engine.MemoryBudget;
import moq.relay.wire.SessionError;

/**
 * Raw-QUIC lite-05 with authorization on: the session's authorization opens at the peer's SETUP, from its Path and
 * the Path's {@code ?jwt=} (as a WebTransport session's from its URL), so the requests the peer opens before that
 * SETUP is read (stream order across QUIC streams is not guaranteed) wait here, then run in the order they came.
 * A held stream's bytes and FIN are kept as received; the bytes are charged to the session's control budget
 * ({@code moq.relay.session.max.control.bytes}), beyond which the session is closed with TOO_MANY_REQUESTS. A held
 * stream the peer resets is dropped. Event-loop confined.
 */
final class LiteSetupGate
{
    /** Routes a released stream: installs its handler behind the holder, as the session's sniffer would. */
    interface Router
    {
        void route(QuicStreamChannel stream, long type);
    }

    private final MemoryBudget budget;
    private final Router router;
    private final LiteSession session;
    private final List<Holder> held = new ArrayList<>();
    private boolean open;

    LiteSetupGate(final LiteSession session, final MemoryBudget budget, final Router router)
    {
        this.session = session;
        this.budget = budget;
        this.router = router;
    }

    boolean isOpen()
    {
        return open;
    }

    /** Holds {@code stream} (its type read, its bytes not yet) until {@link #open}. */
    void hold(final QuicStreamChannel stream, final long type)
    {
        final Holder h = new Holder(stream, type);
        held.add(h);
        stream.pipeline().addLast(h);
    }

    /** The SETUP was read and authorization opened: every held stream is routed, in arrival order. */
    void open()
    {
        open = true;
        for (final Holder h : new ArrayList<>(held))
        {
            h.release();
        }
        held.clear();
    }

    /** The session ended first: held bytes are dropped. */
    void close()
    {
        for (final Holder h : new ArrayList<>(held))
        {
            h.drop();
        }
        held.clear();
    }

    /** One held stream's bytes and FIN. */
    private final class Holder extends ChannelInboundHandlerAdapter
    {
        private final QuicStreamChannel stream;
        private final long type;
        private final ArrayDeque<ByteBuf> bytes = new ArrayDeque<>();
        private ChannelHandlerContext ctx;
        private long reserved;
        private boolean fin;

        Holder(final QuicStreamChannel stream, final long type)
        {
            this.stream = stream;
            this.type = type;
        }

        @Override
        public void handlerAdded(final ChannelHandlerContext ctx)
        {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf b = (ByteBuf)msg;
            if (!budget.reserve(b.readableBytes()))
            {
                b.release();
                session.fail(SessionError.TOO_MANY_REQUESTS, "requests before SETUP beyond the control budget");
                return;
            }
            reserved += b.readableBytes();
            bytes.add(b);
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt instanceof ChannelInputShutdownEvent)
            {
                fin = true;
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            if (held.remove(this))
            {
                dropBytes();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            ctx.close(); // reset before the SETUP: the request is gone
        }

        void release()
        {
            router.route(stream, type); // its handler goes behind this one
            budget.release(reserved);
            reserved = 0;
            ByteBuf b;
            while ((b = bytes.poll()) != null)
            {
                ctx.fireChannelRead(b); // ownership passes to the stream's handler
            }
            if (fin)
            {
                ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            }
            ctx.pipeline().remove(this);
        }

        void drop()
        {
            dropBytes();
        }

        private void dropBytes()
        {
            ByteBuf b;
            while ((b = bytes.poll()) != null)
            {
                b.release();
            }
            budget.release(reserved);
            reserved = 0;
        }
    }
}
