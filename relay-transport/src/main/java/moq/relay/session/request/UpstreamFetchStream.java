package moq.relay.session.request;

import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.function.LongFunction;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.UpstreamFetch;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads the fetch stream a publisher sends in answer to the relay's upstream FETCH and hands each object, End of Range
 * and the end to the engine's {@link UpstreamFetch} (which relays them to the requester). An object's payload is
 * gathered into one pooled buffer that grows with the bytes received, up to {@code maxPayload} (a larger declared
 * length stops the stream), its capacity reserved in the session's stream-buffer budget first (refused: the fetch is
 * reset EXCESSIVE_LOAD); ownership stays here, the engine copies it during the call. A stream for a fetch the
 * relay no longer waits for (cancelled, unknown) is stopped. Event loop.
 */
public final class UpstreamFetchStream extends ChannelInboundHandlerAdapter implements DataStreamHandler
{
    private static final int CANCELLED = 0x1;
    private static final int INITIAL_CAPACITY = 16 * 1024;

    private final LongFunction<UpstreamFetch> fetches;
    /** Takes bytes of the session's (and the relay's) stream-buffer budget for the gather buffer; false: refused. */
    private final IntPredicate reserve;
    private final IntConsumer unreserve;
    /** Bytes of the gather buffer's capacity reserved in the budget. */
    private int reserved;
    private int declared;
    private final DataStreamDecoder decoder;
    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private final long maxPayload;
    private final UnsafeBuffer payloadView = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer propertiesView = new UnsafeBuffer(new byte[0]);
    private ChannelHandlerContext ctx;
    private UpstreamFetch fetch;
    private boolean stopped;
    private boolean ended;
    private long group;
    private long subgroup;
    private long objectId;
    private boolean datagram;
    private int priority;
    private int status;
    private byte[] properties = new byte[0];
    private int propertiesLength;
    private ByteBuf payload;
    /** Draft 14: objects' properties are Extension Headers, relayed as received and flagged so. */
    private final boolean draft14Properties;

    /**
     * @param fetches the relay's upstream fetch that a FETCH_HEADER's request id names, or null
     * @param maxPayload largest object payload relayed (the session's object bound)
     */
    public UpstreamFetchStream(final Draft draft, final LongFunction<UpstreamFetch> fetches,
        final int maxProperties, final long maxPayload, final IntPredicate reserve, final IntConsumer unreserve)
    {
        this.fetches = fetches;
        this.reserve = reserve;
        this.unreserve = unreserve;
        this.maxPayload = maxPayload;
        this.decoder = new DataStreamDecoder(draft, this, maxProperties);
        this.draft14Properties = draft == Draft.DRAFT_14;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        if (!(msg instanceof ByteBuf buf))
        {
            ctx.fireChannelRead(msg);
            return;
        }
        try
        {
            if (!stopped)
            {
                chunks.feed(buf, decoder);
            }
        }
        catch (final WireException e)
        {
            // A malformed fetch stream: this fetch fails (the requester's stream is reset), the session goes on.
            fail(StreamResetCode.MALFORMED_TRACK);
        }
        finally
        {
            buf.release();
        }
    }

    @Override
    public boolean onFetchHeader(final long requestId)
    {
        fetch = fetches.apply(requestId);
        if (fetch == null || fetch.cancelled())
        {
            stop();
            return false;
        }
        return fetch.groupOrder() == GroupOrder.DESCENDING;
    }

    @Override
    public void onSubgroupHeader(final SubgroupHeader header)
    {
        stop(); // routed here by its type: cannot happen
    }

    @Override
    public void onObjectHeader(final ObjectHeader h)
    {
        if (stopped)
        {
            return;
        }
        if (Long.compareUnsigned(h.payloadLength(), maxPayload) > 0)
        {
            fail(StreamResetCode.EXCESSIVE_LOAD);
            return;
        }
        group = h.groupId();
        subgroup = h.subgroupId();
        objectId = h.objectId();
        datagram = h.datagram();
        priority = h.publisherPriority() < 0 ? 128 : h.publisherPriority();
        status = (int)h.status();
        propertiesLength = h.propertiesLength();
        if (properties.length < propertiesLength)
        {
            properties = new byte[propertiesLength];
        }
        if (propertiesLength > 0)
        {
            h.propertiesBuffer().getBytes(h.propertiesOffset(), properties, 0, propertiesLength);
        }
        declared = (int)h.payloadLength();
        if (payload == null)
        {
            final int initial = Math.min(declared, INITIAL_CAPACITY);
            if (!reserve.test(initial))
            {
                fail(StreamResetCode.EXCESSIVE_LOAD);
                return;
            }
            reserved = initial;
            payload = ctx.alloc().directBuffer(initial);
        }
        payload.clear();
    }

    /** Grows the gather buffer to hold {@code needed} bytes (doubling, at most the declared length), reserved first. */
    private boolean capacity(final int needed)
    {
        if (payload.capacity() >= needed)
        {
            return true;
        }
        final int grown = Math.max(needed, (int)Math.min((long)payload.capacity() * 2, declared));
        if (!reserve.test(grown - reserved))
        {
            return false;
        }
        reserved = grown;
        payload.capacity(grown);
        return true;
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!stopped)
        {
            if (!capacity(payload.writerIndex() + length))
            {
                fail(StreamResetCode.EXCESSIVE_LOAD); // the session's or the relay's stream-buffer budget is spent
                return;
            }
            buffer.getBytes(offset, payload.nioBuffer(payload.writerIndex(), length), length);
            payload.writerIndex(payload.writerIndex() + length);
        }
    }

    @Override
    public void onObjectEnd()
    {
        if (stopped)
        {
            return;
        }
        final int n = payload.readableBytes();
        payloadView.wrap(payload.nioBuffer(payload.readerIndex(), n));
        propertiesView.wrap(properties);
        if (!fetch.object(group, subgroup, datagram, objectId, priority, status, propertiesView, 0, propertiesLength,
            payloadView, 0, n, draft14Properties))
        {
            stop(); // cancelled, or beyond the relay's bound for it (the engine reset the requester's stream)
        }
    }

    @Override
    public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
        if (!stopped)
        {
            fetch.endOfRange(groupId, objectId, unknown);
        }
    }

    @Override
    public void onStreamEnd()
    {
        if (!stopped && !ended)
        {
            ended = true;
            fetch.complete();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent)
        {
            if (!stopped)
            {
                try
                {
                    decoder.onFin(); // onStreamEnd at an object boundary
                }
                catch (final WireException e)
                {
                    fail(StreamResetCode.MALFORMED_TRACK);
                }
            }
            if (!ended)
            {
                fail(StreamResetCode.INTERNAL_ERROR); // FIN inside an object
            }
        }
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent)
        {
            ctx.close(); // a uni stream is done at its FIN
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof QuicStreamResetException r)
        {
            fail(resetCode(r.applicationProtocolCode()));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        if (!ended && !stopped)
        {
            fail(StreamResetCode.INTERNAL_ERROR); // closed before FIN (the session ended)
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        release();
    }

    private void fail(final StreamResetCode code)
    {
        if (fetch != null && !ended)
        {
            ended = true;
            fetch.reset(code);
        }
        stop();
    }

    private void stop()
    {
        if (!stopped)
        {
            stopped = true;
            release();
            if (ctx != null && ctx.channel() instanceof QuicStreamChannel s && s.isActive())
            {
                s.shutdownInput(CANCELLED);
            }
        }
    }

    private void release()
    {
        if (payload != null)
        {
            payload.release();
            payload = null;
            unreserve.accept(reserved);
            reserved = 0;
        }
    }

    private static StreamResetCode resetCode(final long code)
    {
        for (final StreamResetCode c : StreamResetCode.values())
        {
            if (c.code() == code)
            {
                return c;
            }
        }
        return StreamResetCode.INTERNAL_ERROR;
    }
}
