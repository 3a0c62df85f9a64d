package moq.relay.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.engine.StreamResetCode;
import moq.relay.engine.TrackIngest;
import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;

/**
 * Reads one subgroup stream a publisher opened: decodes it incrementally ({@link DataStreamDecoder} fed region by
 * region through {@link ByteBufChunks}) and hands each object to the track's {@link TrackIngest} as
 * whole objects: an object whose payload arrived in one piece is copied once, straight from the network buffer into
 * the track's log; one spanning packets is gathered in this handler's buffer first (a second copy). The engine's
 * incremental claim is not used because it is exclusive per track, and a publisher sends a track's subgroups on
 * concurrent streams whose objects interleave. FIN ends the subgroup; a reset (or a stream that closes mid-object)
 * resets it downstream. Releases every ByteBuf it reads. Event-loop confined.
 */
final class SubgroupIngestHandler extends ChannelInboundHandlerAdapter implements DataStreamHandler
{
    /** Where a track alias leads, and how the session learns about the stream's life. */
    interface Tracks
    {
        /** The ingest for {@code trackAlias}, or null if the alias is unknown (the stream is then discarded). */
        TrackIngest ingestFor(long trackAlias);

        /** The stream of {@code trackAlias} ended (FIN or reset): counts toward PUBLISH_DONE's stream count. */
        void streamEnded(long trackAlias);

        /** Malformed input: close the session with the exception's error. */
        void fail(WireException e);
    }

    private final Tracks tracks;
    private final DataStreamDecoder decoder;
    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private TrackIngest ingest;
    private long alias = -1;
    private long group;
    private long subgroup;
    private int streamPriority;
    private final int maxPayload;
    private final org.agrona.ExpandableArrayBuffer properties = new org.agrona.ExpandableArrayBuffer(64);
    private org.agrona.ExpandableDirectByteBuffer gathered;
    private long objectGroup;
    private long objectSubgroup;
    private long objectId;
    private int objectPriority;
    private int objectStatus;
    private int propertiesLength;
    private int payloadLength;
    private int payloadGathered;
    private boolean objectOpen;
    private boolean objectDone;
    private boolean ended;
    private boolean failed;

    SubgroupIngestHandler(final Draft draft, final Tracks tracks, final int maxPropertiesLength, final int maxPayload)
    {
        this.tracks = tracks;
        this.maxPayload = maxPayload;
        this.decoder = new DataStreamDecoder(draft, this, maxPropertiesLength);
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
            }
        }
        catch (final WireException e)
        {
            failed = true;
            tracks.fail(e);
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
                tracks.fail(e);
            }
        }
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent)
        {
            // A publisher's uni stream is done at its FIN; Netty keeps the channel (and this handler) otherwise, one
            // per group for the life of the connection (the load suite saw thousands per publisher).
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        abandon(); // RESET_STREAM from the publisher
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        abandon();
        ctx.fireChannelInactive();
    }

    private void abandon()
    {
        if (ended)
        {
            return;
        }
        ended = true;
        if (ingest != null)
        {
            ingest.resetSubgroup(group, subgroup, StreamResetCode.CANCELLED);
        }
        if (alias != -1)
        {
            tracks.streamEnded(alias);
        }
    }

    @Override
    public void onSubgroupHeader(final SubgroupHeader header)
    {
        alias = header.trackAlias();
        group = header.groupId();
        subgroup = header.subgroupId();
        streamPriority = header.publisherPriority() < 0 ? 128 : header.publisherPriority();
        ingest = tracks.ingestFor(alias);
    }

    @Override
    public boolean onFetchHeader(final long requestId)
    {
        return false;
    }

    @Override
    public void onObjectHeader(final ObjectHeader h)
    {
        objectOpen = false;
        if (ingest == null || h.payloadLength() > maxPayload)
        {
            return; // unknown alias, or too large for the store: dropped
        }
        subgroup = h.subgroupId(); // subgroup ids given by the first object (mode 1) are known only now
        objectOpen = true;
        objectDone = false;
        objectGroup = h.groupId();
        objectSubgroup = h.subgroupId();
        objectId = h.objectId();
        objectPriority = h.publisherPriority() < 0 ? streamPriority : h.publisherPriority();
        objectStatus = (int)h.status();
        propertiesLength = h.propertiesLength();
        if (propertiesLength > 0)
        {
            properties.putBytes(0, h.propertiesBuffer(), h.propertiesOffset(), propertiesLength);
        }
        payloadLength = (int)h.payloadLength();
        payloadGathered = 0;
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!objectOpen)
        {
            return;
        }
        if (payloadGathered == 0 && length == payloadLength)
        {
            // The whole payload in one piece: straight from the network buffer into the log.
            ingest.object(objectGroup, objectSubgroup, objectId, objectPriority, objectStatus, properties, 0,
                propertiesLength, buffer, offset, length);
            objectDone = true;
            return;
        }
        if (gathered == null)
        {
            gathered = new org.agrona.ExpandableDirectByteBuffer(Math.max(payloadLength, 4096));
        }
        gathered.putBytes(payloadGathered, buffer, offset, length);
        payloadGathered += length;
    }

    @Override
    public void onObjectEnd()
    {
        if (objectOpen && !objectDone)
        {
            ingest.object(objectGroup, objectSubgroup, objectId, objectPriority, objectStatus, properties, 0,
                propertiesLength, gathered, 0, payloadGathered);
        }
        objectOpen = false;
    }

    @Override
    public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
    {
    }

    @Override
    public void onStreamEnd()
    {
        if (!ended)
        {
            ended = true;
            if (ingest != null)
            {
                ingest.endSubgroup(group, subgroup);
            }
            if (alias != -1)
            {
                tracks.streamEnded(alias);
            }
        }
    }
}
