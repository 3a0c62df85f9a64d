package moq.relay.session.lite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.engine.TrackIngest;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads one Group Stream a moq-lite publisher opened (after its STREAM_TYPE 0x0 was seen): GROUP names the relay's
 * subscribe id and the group sequence; each FRAME becomes one Normal object of that group, subgroup 0, object id = the
 * frame's index in the stream, in the track's log. A frame whose payload arrived in one piece is copied once, from
 * the network buffer into the log; one spanning reads is gathered first in a buffer that grows with the bytes received
 * and is charged to the session's budget (the engine's incremental claim is exclusive per track, and a publisher's
 * group streams interleave). FIN ends the subgroup; a stream that ends otherwise resets it downstream. A stream for
 * an id the relay no longer subscribes to is read and dropped. The stream's channel is closed at its FIN, which
 * releases the gather buffer. Releases every ByteBuf it reads. Event-loop confined.
 */
final class LiteGroupIngest extends ChannelInboundHandlerAdapter implements LiteFrameHandler
{
    /** The session's side of a Group Stream. */
    interface Routes
    {
        /** The ingest of the relay's subscription {@code subscribeId}, or null when there is none (any more). */
        TrackIngest ingestFor(long subscribeId);

        /** The MoQT publisher priority of the subscription's objects (255 - the moq-lite priority). */
        int priorityOf(long subscribeId);

        /** The ingest refused an object (store exhausted): end that subscription. */
        void objectDropped(long subscribeId);

        boolean reserve(int bytes);

        void release(int bytes);

        /** Malformed input: close the session. */
        void fail(WireException e);

        /** The relay gives {@code stream} up (STOP_SENDING); the rest of its bytes are dropped. */
        void abandon(io.netty.channel.Channel stream);
    }

    private static final int MIN_GATHER = 4096;

    private final Routes routes;
    private final LiteFrameDecoder decoder;
    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private TrackIngest ingest;
    private long subscribeId;
    private long group;
    private int priority;
    private long frameIndex;
    private int frameLength;
    private int frameReceived;
    private UnsafeBuffer gathered;
    private boolean streamEnded;
    private boolean failed;
    private boolean dropping;
    private io.netty.channel.Channel channel;

    LiteGroupIngest(final LiteVersion version, final Routes routes)
    {
        this.routes = routes;
        this.decoder = new LiteFrameDecoder(version, LiteFrameDecoder.Mode.GROUP, this, new BufferBudget()
        {
            @Override
            public boolean reserve(final int bytes)
            {
                return routes.reserve(bytes);
            }

            @Override
            public void release(final int bytes)
            {
                routes.release(bytes);
            }
        });
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf buf = (ByteBuf)msg;
        try
        {
            if (!failed)
            {
                chunks.feed(buf, decoder);
                if (decoder.abandoned())
                {
                    giveUp(ctx);
                }
            }
        }
        catch (final WireException e)
        {
            failed = true;
            routes.fail(e);
        }
        finally
        {
            buf.release();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent && !failed)
        {
            try
            {
                decoder.onFin();
            }
            catch (final WireException e)
            {
                failed = true;
                routes.fail(e);
            }
        }
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent)
        {
            // The stream is done at its FIN. Netty keeps a uni stream's channel (and this handler, with its gather
            // buffer charged to the session's budget) until the connection ends unless it is closed: a call's
            // publisher opens a Group Stream per audio frame, so kept streams grew the heap and spent the budget.
            ctx.close();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (!streamEnded && ingest != null && !dropping)
        {
            ingest.resetSubgroup(group, 0, StreamResetCode.CANCELLED); // reset or cut off: not a clean end
        }
        dropGathered();
        decoder.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A reset from the publisher surfaces here; channelInactive follows.
    }

    @Override
    public void onGroup(final long subscribeId, final long sequence)
    {
        this.subscribeId = subscribeId;
        this.group = sequence;
        this.ingest = routes.ingestFor(subscribeId);
        this.priority = ingest == null ? 0 : routes.priorityOf(subscribeId);
    }

    @Override
    public void onFrame(final long length, final long timestamp)
    {
        if (ingest == null || dropping)
        {
            return;
        }
        if (length > ingest.maxObjectBytes())
        {
            ingest.resetOversized(group, 0, frameIndex, length);
            dropping = true; // the rest of the stream is read and dropped
            return;
        }
        frameLength = (int)length;
        frameReceived = 0;
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (ingest == null || dropping)
        {
            return;
        }
        if (frameReceived == 0 && length == frameLength)
        {
            frameReceived = length;
            store(buffer, offset, length); // in one piece: straight into the log
            return;
        }
        if (!gather(buffer, offset, length))
        {
            dropping = true;
            ingest.resetSubgroup(group, 0, StreamResetCode.EXCESSIVE_LOAD);
            routes.abandon(channel);
            dropGathered();
        }
    }

    @Override
    public void onFrameEnd()
    {
        if (ingest == null || dropping)
        {
            return;
        }
        if (frameLength == 0)
        {
            store(null, 0, 0);
        }
        else if (gathered != null && frameReceived == frameLength && frameReceived > 0 && gatheredFrame)
        {
            store(gathered, 0, frameLength);
        }
        gatheredFrame = false;
        frameIndex++;
    }

    @Override
    public void onStreamEnd()
    {
        streamEnded = true;
        if (ingest != null && !dropping)
        {
            ingest.endSubgroup(group, 0);
        }
    }

    private boolean gatheredFrame;

    private boolean gather(final DirectBuffer buffer, final int offset, final int length)
    {
        final int need = frameReceived + length;
        if (gathered == null || gathered.capacity() < need)
        {
            final int old = gathered == null ? 0 : gathered.capacity();
            final int size = Math.min(frameLength, Math.max(need, Math.max(MIN_GATHER, 2 * old)));
            if (!routes.reserve(size - old))
            {
                return false;
            }
            final UnsafeBuffer grown = new UnsafeBuffer(new byte[size]);
            if (gathered != null)
            {
                grown.putBytes(0, gathered, 0, frameReceived);
            }
            gathered = grown;
        }
        gathered.putBytes(frameReceived, buffer, offset, length);
        frameReceived = need;
        gatheredFrame = true;
        return true;
    }

    private void store(final DirectBuffer payload, final int offset, final int length)
    {
        if (!ingest.object(group, 0, frameIndex, priority, 0, null, 0, 0, payload, offset, length))
        {
            dropping = true;
            routes.objectDropped(subscribeId);
        }
    }

    private void giveUp(final ChannelHandlerContext ctx)
    {
        if (ingest != null && !dropping)
        {
            ingest.resetSubgroup(group, 0, StreamResetCode.EXCESSIVE_LOAD);
        }
        dropping = true;
        failed = true; // the rest is read and dropped
        routes.abandon(ctx.channel());
        dropGathered();
    }

    private void dropGathered()
    {
        if (gathered != null)
        {
            routes.release(gathered.capacity());
            gathered = null;
        }
    }
}
