package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.ByteBuffer;
import moq.relay.transport.session.DecodingReader;
import moq.relay.wire.Draft;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.StreamDecoder;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;

/**
 * Reads one incoming subgroup or fetch stream with {@link DataStreamDecoder} (a {@link DecodingReader}: every read
 * is fed to it and released, malformed input fails the session) and hands whole objects to the session. A stream
 * given up (an unknown fetch, an object too large, a reset) is {@link #stop()}ped: the rest is read and dropped.
 *
 * <p>Buffer ownership: the payload of each object is gathered into one pooled buffer (the only copy) that grows with
 * the bytes received up to the length the object header declares (at most {@link #MAX_OBJECT_LENGTH}, compared
 * unsigned), so a declared length alone allocates little; its ownership passes to the session with the object (a
 * fetch's listener borrows it for the call, then it is released here).
 */
final class DataStreamReader extends DecodingReader implements DataStreamHandler
{
    /** Where decoded objects go; all calls on the event loop. */
    interface Target extends DecodingReader.Failures
    {
        void onSubgroupObject(long trackAlias, ReceivedObject object);

        /** A subgroup stream for {@code trackAlias} began. */
        void subgroupStreamOpened(long trackAlias);

        /** That stream ended (FIN, reset or close); called once per opened stream. */
        void subgroupStreamClosed(long trackAlias);

        /** A subgroup stream that carried objects ended: at its FIN, or reset (or closed) before it. */
        default void subgroupEnded(long trackAlias, long groupId, long subgroupId, boolean reset)
        {
        }

        /**
         * A subgroup stream whose header was read ended, objects or not: at its FIN, or {@code reset} with the peer's
         * RESET_STREAM code ({@code resetCode}; -1 when it closed without one).
         */
        default void subgroupStreamEnded(long trackAlias, long groupId, long subgroupId, boolean reset,
            long resetCode)
        {
        }

        /** @return the fetch's listener, or null for an unknown request id (the stream is then discarded). */
        FetchListener fetchListener(long requestId);
    }

    static final byte[] NO_PROPERTIES = new byte[0];
    /** Largest object payload gathered in memory; a larger object's stream is stopped (STOP_SENDING). */
    static final long MAX_OBJECT_LENGTH = 256L << 20;
    /** Most a payload buffer is sized to before its bytes arrive; it grows from there as they do. */
    private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

    private final Target target;
    private final DataStreamDecoder decoder;
    private ByteBufAllocator alloc;
    private ChannelHandlerContext ctx;

    private long trackAlias;
    private FetchListener fetch;
    private boolean subgroup;
    private boolean ended;

    private long groupId;
    /** A subgroup stream's object was seen: its end is reported with that object's group and subgroup. */
    private boolean sawObject;
    private long subgroupId;
    /** The SUBGROUP_HEADER's group and subgroup (0 until known), for the end of a stream that carried no object. */
    private long headerGroup;
    private long headerSubgroup;
    /** The peer's RESET_STREAM code, -1 while none came. */
    private long resetCode = -1;
    private long objectId;
    private long status;
    private int priority;
    private boolean datagram;
    private byte[] properties;
    private ByteBuf payload;

    DataStreamReader(final Draft draft, final Target target, final int maxPropertiesLength)
    {
        super(target);
        this.target = target;
        this.decoder = new DataStreamDecoder(draft, this, maxPropertiesLength);
    }

    @Override
    protected StreamDecoder decoder()
    {
        return decoder;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        this.alloc = ctx.alloc();
    }

    /**
     * FIN: every object of the stream was read, so it counts toward PUBLISH_DONE's stream count now (the channel
     * itself may go inactive much later).
     */
    @Override
    protected void atFin(final ChannelHandlerContext ctx)
    {
        if (subgroup)
        {
            subgroup = false;
            target.subgroupStreamClosed(trackAlias);
            target.subgroupStreamEnded(trackAlias, headerGroup, headerSubgroup, false, -1);
            endSubgroup(false);
        }
    }

    /**
     * The server's uni stream is done at its FIN; otherwise Netty keeps the channel and this reader for the life of
     * the connection (one per group: a load-suite subscriber held thousands).
     */
    @Override
    protected boolean closesAtFin()
    {
        return true;
    }

    @Override
    protected void gone(final ChannelHandlerContext ctx)
    {
        releasePayload();
        if (subgroup)
        {
            subgroup = false;
            target.subgroupStreamClosed(trackAlias);
            target.subgroupStreamEnded(trackAlias, headerGroup, headerSubgroup, true, resetCode);
            endSubgroup(true);
        }
        if (fetch != null && !ended)
        {
            ended = true;
            fetch.onAborted("fetch stream closed before FIN");
        }
    }

    private void endSubgroup(final boolean reset)
    {
        if (sawObject)
        {
            sawObject = false;
            target.subgroupEnded(trackAlias, groupId, subgroupId, reset);
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // A RESET_STREAM from the publisher: the objects so far were delivered, the rest will not come.
        if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
        {
            resetCode = ((io.netty.handler.codec.quic.QuicStreamResetException)cause).applicationProtocolCode();
        }
        stop();
        ctx.close();
    }

    @Override
    public void onSubgroupHeader(final SubgroupHeader header)
    {
        trackAlias = header.trackAlias();
        headerGroup = header.groupId();
        headerSubgroup = header.subgroupIdKnown() ? header.subgroupId() : 0;
        subgroup = true;
        target.subgroupStreamOpened(trackAlias);
    }

    @Override
    public boolean onFetchHeader(final long requestId)
    {
        fetch = target.fetchListener(requestId);
        if (fetch == null)
        {
            // Not ours (cancelled or unknown): stop the peer from sending more.
            stop();
            ((io.netty.handler.codec.quic.QuicStreamChannel)ctx.channel()).shutdownInput(0x1);
        }
        return false;
    }

    @Override
    public void onObjectHeader(final ObjectHeader header)
    {
        groupId = header.groupId();
        subgroupId = header.subgroupId();
        sawObject = subgroup;
        objectId = header.objectId();
        status = header.status();
        priority = header.publisherPriority();
        datagram = header.datagram();
        final int propertiesLength = header.propertiesLength();
        if (propertiesLength > 0)
        {
            properties = new byte[propertiesLength];
            header.propertiesBuffer().getBytes(header.propertiesOffset(), properties);
        }
        else
        {
            properties = NO_PROPERTIES;
        }
        final long length = header.payloadLength();
        if (Long.compareUnsigned(length, MAX_OBJECT_LENGTH) > 0)
        {
            // Valid on the wire but beyond what this client buffers: give up on the stream, keep the session.
            stop();
            ((io.netty.handler.codec.quic.QuicStreamChannel)ctx.channel()).shutdownInput(0x0);
            payload = Unpooled.EMPTY_BUFFER;
            return;
        }
        // length <= MAX_OBJECT_LENGTH (checked unsigned above), so the cast is exact; the buffer may grow to it.
        payload = length == 0 ? Unpooled.EMPTY_BUFFER :
            alloc.buffer((int)Math.min(length, INITIAL_PAYLOAD_CAPACITY), (int)length);
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (stopped())
        {
            return;
        }
        final int writerIndex = payload.writerIndex();
        payload.ensureWritable(length);
        // internalNioBuffer is the buffer's reusable view: no allocation per chunk.
        final ByteBuffer into = payload.internalNioBuffer(writerIndex, length);
        buffer.getBytes(offset, into, into.position(), length);
        payload.writerIndex(writerIndex + length);
    }

    @Override
    public void onObjectEnd()
    {
        final ByteBuf done = payload;
        payload = null;
        if (stopped())
        {
            done.release();
            return;
        }
        final ReceivedObject object = new ReceivedObject(groupId, subgroupId, objectId, status, priority, properties,
            done, datagram);
        if (fetch != null)
        {
            try
            {
                fetch.onObject(object);
            }
            finally
            {
                done.release();
            }
        }
        else
        {
            // Ownership of the payload passes to the session.
            target.onSubgroupObject(trackAlias, object);
        }
    }

    @Override
    public void onEndOfRange(final long group, final long object, final boolean unknown)
    {
        if (fetch != null && !stopped())
        {
            fetch.onEndOfRange(group, object, unknown);
        }
    }

    @Override
    public void onEndOfTimedOutRange(final long group, final long object)
    {
        if (fetch != null && !stopped())
        {
            fetch.onEndOfTimedOutRange(group, object);
        }
    }

    @Override
    public void onStreamEnd()
    {
        if (fetch != null && !ended)
        {
            ended = true;
            fetch.onComplete();
        }
    }

    private void releasePayload()
    {
        if (payload != null)
        {
            payload.release();
            payload = null;
        }
    }
}
