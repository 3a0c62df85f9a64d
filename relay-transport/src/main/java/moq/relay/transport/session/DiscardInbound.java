package moq.relay.transport.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads and drops whatever a stream receives (a stream the session writes only, one of a type it ignores, a stream
 * being reset); its exceptions (a reset) end there. Stateless, so one instance serves every stream.
 */
@ChannelHandler.Sharable
public final class DiscardInbound extends ChannelInboundHandlerAdapter
{
    public static final DiscardInbound INSTANCE = new DiscardInbound();

    private DiscardInbound()
    {
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
    }
}
