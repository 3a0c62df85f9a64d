package moq.relay.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;

/**
 * First handler of a peer-opened moq-lite stream: waits for its first byte, lets {@link #route} put the stream's
 * handler behind this one, then passes the bytes on unread (that handler reads the type again as its opener) and
 * leaves the pipeline. Every moq-lite stream type fits one byte; a longer varint is {@link #UNKNOWN}. The relay's
 * sessions and the client tool both start their peers' streams so.
 */
public abstract class LiteStreamSniffer extends ChannelInboundHandlerAdapter
{
    /** The type of a stream whose type varint is longer than one byte: no moq-lite type. */
    public static final long UNKNOWN = Long.MAX_VALUE;

    /** Adds the handler of {@code stream}, of {@code type}, behind this one; false drops its bytes instead. */
    protected abstract boolean route(QuicStreamChannel stream, ChannelHandlerContext ctx, long type);

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf buf = (ByteBuf)msg;
        if (!buf.isReadable())
        {
            buf.release();
            return;
        }
        final int first = buf.getUnsignedByte(buf.readerIndex());
        if (!route((QuicStreamChannel)ctx.channel(), ctx, (first & 0xC0) == 0 ? first : UNKNOWN))
        {
            ctx.pipeline().remove(this);
            buf.release();
            return;
        }
        ctx.fireChannelRead(buf);
        ctx.pipeline().remove(this);
    }
}
