package moq.relay.transport.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.transport.quic.ReceiveOnlyStreamClose;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.StreamDecoder;

/**
 * The Netty side of reading one incoming stream through its {@link StreamDecoder}, the shape every stream reader has
 * (control and request streams, moq-lite streams, the client's data streams, a uni stream's type): each read is fed to
 * the decoder and released; the decoder keeps what a unit split across reads needs in its own scratch, which grows
 * with the bytes that arrived (never to a length only declared) and is charged to its budget before it grows, a
 * refusal either failing the session (a {@link WireException}) or making the decoder {@link StreamDecoder#abandoned
 * abandon} the stream ({@link #abandoned}); the first malformed input goes to the {@link Failures} and stops the
 * reader; FIN goes to the decoder; when the stream is gone, or this handler removed, the decoder gives back what it
 * holds. A stopped reader reads and drops the rest of its stream. Subclasses say what the stream's end means.
 * Event-loop confined.
 *
 * <p>Buffer ownership: every {@code ByteBuf} read is this reader's and is released before {@code channelRead}
 * returns. The decoder borrows its bytes region by region ({@link ByteBufChunks}: wrapped, not copied) for the
 * duration of each call only: what must outlive the read is copied into the decoder's scratch, or retained by a
 * reader that hands the bytes on ({@link UniStreamClassifier}).
 */
public abstract class DecodingReader extends ChannelInboundHandlerAdapter
{
    /** Where malformed input goes: the session closes with the exception's error. */
    public interface Failures
    {
        void fail(WireException e);
    }

    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private final Failures failures;
    private boolean stopped;

    protected DecodingReader(final Failures failures)
    {
        this.failures = failures;
    }

    /** The stream's decoder: one for the stream's life. */
    protected abstract StreamDecoder decoder();

    /** The decoder gave the stream up (a budget refused its scratch); nothing more of it is decoded. */
    protected void abandoned(final ChannelHandlerContext ctx)
    {
    }

    /** The peer's FIN, after the decoder had it (unless stopped before); before the event goes on. */
    protected void atFin(final ChannelHandlerContext ctx)
    {
    }

    /**
     * Whether the stream is done at the peer's FIN: true for a receive-only stream. Netty keeps a stream's channel
     * (and this handler, with what it holds) until the connection ends unless it is closed.
     */
    protected boolean closesAtFin()
    {
        return false;
    }

    /** The stream is gone (closed or reset) and the decoder gave back what it held; before the event goes on. */
    protected void gone(final ChannelHandlerContext ctx)
    {
    }

    /** Stops decoding (malformed input, the stream given up, the session closing): the rest is read and dropped. */
    public final void stop()
    {
        stopped = true;
    }

    /** True once {@link #stop()}ped. */
    protected final boolean stopped()
    {
        return stopped;
    }

    /** Malformed input: decoding stops and the session hears of it. */
    protected final void fail(final WireException e)
    {
        stopped = true;
        failures.fail(e);
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        decode(ctx, (ByteBuf)msg);
    }

    /** Decodes {@code buf} unless stopped, and releases it: its ownership passes here. */
    protected final void decode(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        try
        {
            if (!stopped)
            {
                feed(ctx, buf);
                if (decoder().abandoned())
                {
                    stopped = true; // the rest is read and dropped
                    abandoned(ctx);
                }
            }
        }
        catch (final WireException e)
        {
            fail(e);
        }
        finally
        {
            buf.release();
        }
    }

    /**
     * Hands {@code buf}'s readable bytes to the decoder, region by region (not copied); {@code buf} stays the
     * caller's, its reader index unmoved. A reader that hands the bytes on retains them here.
     */
    protected void feed(final ChannelHandlerContext ctx, final ByteBuf buf) throws WireException
    {
        chunks.feed(buf, decoder());
    }

    /** The peer's FIN: to the decoder (a stream cut off mid-unit is malformed) unless stopped. */
    protected final void fin()
    {
        if (!stopped)
        {
            try
            {
                decoder().onFin();
            }
            catch (final WireException e)
            {
                fail(e);
            }
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        final boolean atFin = evt instanceof ChannelInputShutdownEvent;
        if (atFin)
        {
            fin();
            atFin(ctx);
        }
        ctx.fireUserEventTriggered(evt);
        if (atFin && closesAtFin())
        {
            ReceiveOnlyStreamClose.close(ctx); // a peer's uni stream without netty's refused FIN
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        decoder().close();
        gone(ctx);
        ctx.fireChannelInactive();
    }

    /** The handler left the pipeline (the stream closed, or was handed on): the decoder gives back what it holds. */
    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        decoder().close();
    }
}
