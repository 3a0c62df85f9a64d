package moq.relay.session.lite;

import io.netty.channel.ChannelHandlerContext;
import moq.relay.engine.TrackIngest;
import moq.relay.fanout.StreamResetCode;
import moq.relay.session.ingest.ObjectGather;
import moq.relay.transport.session.DecodingReader;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.StreamDecoder;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;

/**
 * Reads one Group Stream a moq-lite publisher opened (after its STREAM_TYPE 0x0 was seen): GROUP names the relay's
 * subscribe id and the group sequence; each FRAME becomes one Normal object of that group, subgroup 0, object id = the
 * frame's index in the stream, in the track's log; a lite-05 frame's timestamp goes with it as its TIMESTAMP property
 * ({@link LiteTimestamps}, flagged as the relay's own so draft-14 writers leave it out). A frame whose payload arrived
 * in one piece is copied once, from the network buffer into the log; one spanning reads is gathered first
 * ({@link ObjectGather}, as MoQT subgroup streams do: a buffer that grows with the bytes received, charged to the
 * session's budget). FIN ends the subgroup; a stream that ends otherwise resets it downstream. A stream for an id the relay no longer subscribes to is read and
 * dropped. The stream is closed at its FIN (a call publishes a Group Stream per audio frame). Releases every ByteBuf
 * it reads ({@link DecodingReader}). Event-loop confined.
 */
final class LiteGroupIngest extends DecodingReader implements LiteFrameHandler
{
    /** The session's side of a Group Stream: malformed input closes the session; the stream's buffers are its budget's. */
    interface Routes extends DecodingReader.Failures, BufferBudget
    {
        /** The ingest of the relay's subscription {@code subscribeId}, or null when there is none (any more). */
        TrackIngest ingestFor(long subscribeId);

        /** The MoQT publisher priority of the subscription's objects (255 - the moq-lite priority). */
        int priorityOf(long subscribeId);

        /** The ingest refused an object (store exhausted): end that subscription. */
        void objectDropped(long subscribeId);

        /** The relay gives {@code stream} up (STOP_SENDING); the rest of its bytes are dropped. */
        void abandon(io.netty.channel.Channel stream);

        /** The session's scratch for a frame's TIMESTAMP property ({@link LiteTimestamps#MAX_PROPERTY_LENGTH}). */
        org.agrona.MutableDirectBuffer timestampScratch();
    }

    private final Routes routes;
    /** lite-05: every frame carries a timestamp, kept with its object. */
    private final boolean timestamps;
    private final LiteFrameDecoder decoder;
    private final ObjectGather gather;
    private TrackIngest ingest;
    private long subscribeId;
    private long group;
    private int priority;
    private long frameIndex;
    private int frameLength;
    /** lite-05: the frame's TIMESTAMP property block's length (0 before lite-05). */
    private int timestampLength;
    private long frameTimestamp;
    private int frameReceived;
    /** The frame's payload is being gathered (it spans reads). */
    private boolean gatheredFrame;
    private boolean streamEnded;
    private boolean dropping;
    private io.netty.channel.Channel channel;

    LiteGroupIngest(final LiteVersion version, final Routes routes)
    {
        super(routes);
        this.routes = routes;
        this.timestamps = version.frameTimestamps();
        this.decoder = new LiteFrameDecoder(version, LiteFrameDecoder.Mode.GROUP, this, routes);
        this.gather = new ObjectGather(routes);
    }

    @Override
    protected StreamDecoder decoder()
    {
        return decoder;
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        channel = ctx.channel();
    }

    @Override
    protected void abandoned(final ChannelHandlerContext ctx)
    {
        if (ingest != null && !dropping)
        {
            ingest.resetSubgroup(group, 0, StreamResetCode.EXCESSIVE_LOAD);
        }
        dropping = true;
        routes.abandon(ctx.channel());
        gather.release();
    }

    @Override
    protected boolean closesAtFin()
    {
        return true; // a Group Stream is receive-only
    }

    @Override
    protected void gone(final ChannelHandlerContext ctx)
    {
        if (!streamEnded && ingest != null && !dropping)
        {
            ingest.resetSubgroup(group, 0, StreamResetCode.CANCELLED); // reset or cut off: not a clean end
        }
        gather.release();
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
        frameTimestamp = timestamp;
        timestampLength = timestamps ? LiteTimestamps.length(timestamp) : 0;
        if (length + timestampLength > ingest.maxObjectBytes())
        {
            ingest.resetOversized(group, 0, frameIndex, length);
            dropping = true; // the rest of the stream is read and dropped
            return;
        }
        frameLength = (int)length;
        frameReceived = 0;
        gather.start(frameLength);
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
        if (!gather.append(buffer, offset, length))
        {
            dropping = true;
            ingest.resetSubgroup(group, 0, StreamResetCode.EXCESSIVE_LOAD);
            routes.abandon(channel);
            gather.release();
            return;
        }
        frameReceived += length;
        gatheredFrame = true;
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
        else if (gatheredFrame && frameReceived == frameLength && frameReceived > 0)
        {
            store(gather.buffer(), 0, frameLength);
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

    private void store(final DirectBuffer payload, final int offset, final int length)
    {
        final boolean stored;
        if (timestamps)
        {
            // The publisher's timestamp, kept byte for byte as the object's TIMESTAMP (docs/moq-lite.md).
            final org.agrona.MutableDirectBuffer scratch = routes.timestampScratch();
            final int n = LiteTimestamps.write(scratch, 0, frameTimestamp);
            stored = ingest.object(TrackIngest.RELAY_PROPERTIES, group, 0, frameIndex, priority, 0, scratch, 0, n,
                payload, offset, length);
        }
        else
        {
            stored = ingest.object(0, group, 0, frameIndex, priority, 0, null, 0, 0, payload, offset, length);
        }
        if (!stored)
        {
            dropping = true;
            routes.objectDropped(subscribeId);
        }
    }
}
