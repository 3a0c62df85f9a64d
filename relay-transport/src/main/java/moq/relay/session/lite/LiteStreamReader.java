package moq.relay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.StreamDecoder;

/**
 * The Netty side of reading one moq-lite stream, whatever it carries: every read is fed to the stream's decoder
 * ({@link #decoder()}) and released; the first malformed input goes to the failure sink and the rest of the stream is
 * dropped, as it is once the decoder gave up (its budget refused the scratch: {@link #abandoned}); FIN goes to the
 * decoder; when the stream is gone the decoder gives back what it holds, then {@link #closed} runs. Subclasses say
 * what the stream's bytes and end mean. Event-loop confined.
 */
abstract class LiteStreamReader extends ChannelInboundHandlerAdapter
{
    /** Where malformed input goes: the session closes with the exception's error. */
    interface Failures
    {
        void fail(WireException e);
    }

    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private final Failures failures;
    private boolean failed;

    LiteStreamReader(final Failures failures)
    {
        this.failures = failures;
    }

    /** The stream's decoder: one for the stream's life. */
    abstract StreamDecoder decoder();

    /** The decoder gave the stream up (a budget refused its scratch); nothing more of it is decoded. */
    abstract void abandoned(ChannelHandlerContext ctx);

    /** The stream is gone (FIN both ways, or reset) and the decoder closed. */
    abstract void closed();

    /**
     * Whether the stream is done at the peer's FIN: true for a receive-only stream. Netty keeps a stream's channel
     * (and this handler, with what it holds) until the connection ends unless it is closed.
     */
    boolean closesAtFin()
    {
        return false;
    }

    @Override
    public final void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf buf = (ByteBuf)msg;
        try
        {
            if (!failed)
            {
                chunks.feed(buf, decoder());
                if (decoder().abandoned())
                {
                    failed = true; // the rest is read and dropped
                    abandoned(ctx);
                }
            }
        }
        catch (final WireException e)
        {
            failed = true;
            failures.fail(e);
        }
        finally
        {
            buf.release();
        }
    }

    @Override
    public final void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent && !failed)
        {
            try
            {
                decoder().onFin();
            }
            catch (final WireException e)
            {
                failed = true;
                failures.fail(e);
            }
        }
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent && closesAtFin())
        {
            ctx.close();
        }
    }

    @Override
    public final void channelInactive(final ChannelHandlerContext ctx)
    {
        decoder().close();
        closed();
        ctx.fireChannelInactive();
    }
}
