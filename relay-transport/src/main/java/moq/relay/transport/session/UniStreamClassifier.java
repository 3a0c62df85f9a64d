package moq.relay.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.wire.Varint;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * First handler of a peer-opened unidirectional stream: gathers the stream type varint, asks the session which
 * handler reads this type, installs it in its place and hands it everything received so far (from byte 0: the
 * readers decode the type again). Owns the bytes it gathers until it forwards them.
 */
public final class UniStreamClassifier extends ChannelInboundHandlerAdapter
{
    /** Picks the reader of a stream type; throws nothing, closes the session itself for an unknown type. */
    public interface Router
    {
        /** @return the handler for this stream, or null to discard the stream. */
        ChannelHandler route(long streamType);
    }

    private final Varint varint;
    private final Router router;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[9]);
    private ByteBuf gathered;

    public UniStreamClassifier(final Varint varint, final Router router)
    {
        this.varint = varint;
        this.router = router;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        final ByteBuf buf = (ByteBuf)msg;
        if (gathered == null)
        {
            gathered = buf;
        }
        else
        {
            final ByteBuf merged = ctx.alloc().buffer(gathered.readableBytes() + buf.readableBytes());
            merged.writeBytes(gathered).writeBytes(buf);
            gathered.release();
            buf.release();
            gathered = merged;
        }
        if (gathered.readableBytes() == 0)
        {
            return;
        }
        gathered.getBytes(gathered.readerIndex(), view.byteArray(), 0, 1);
        final int size = varint.sizeAt(view, 0);
        if (gathered.readableBytes() < size)
        {
            return;
        }
        gathered.getBytes(gathered.readerIndex(), view.byteArray(), 0, size);
        final long type = varint.valueAt(view, 0);
        final ChannelHandler reader = router.route(type);
        final ByteBuf first = gathered;
        gathered = null;
        if (reader == null)
        {
            first.release();
            ctx.channel().close();
            return;
        }
        ctx.pipeline().addAfter(ctx.name(), null, reader);
        ctx.pipeline().remove(this);
        // Ownership of the gathered bytes passes to the installed reader.
        ctx.fireChannelRead(first);
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent)
        {
            // FIN before a whole stream type: nothing to route, and nothing more will come (a peer's keep-alive is an
            // empty stream). Netty would keep the stream's channel until the connection ends unless it is closed.
            release();
            ctx.close();
        }
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        release();
    }

    /**
     * A RESET_STREAM before the stream's type was read (e.g. the relay skipping a too-far-behind subscriber to the
     * next group): nothing to deliver, so the stream just closes instead of the reset reaching the pipeline's tail.
     */
    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
        {
            release();
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        release();
        ctx.fireChannelInactive();
    }

    private void release()
    {
        if (gathered != null)
        {
            gathered.release();
            gathered = null;
        }
    }
}
