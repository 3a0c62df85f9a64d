package moq.relay.session.ingest;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import moq.relay.fanout.StreamResetCode;
import moq.relay.engine.TrackIngest;
import moq.relay.transport.quic.ReceiveOnlyStreamClose;
import moq.relay.wire.Draft;
import moq.relay.wire.Varint;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import moq.relay.wire.data.ByteBufChunks;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.SubgroupHeader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads one subgroup stream a publisher opened: decodes it incrementally ({@link DataStreamDecoder} fed region by
 * region through {@link ByteBufChunks}) and hands each object to the track's {@link TrackIngest} as
 * whole objects: an object whose payload arrived in one piece is copied once, straight from the network buffer into
 * the track's log; one spanning packets is gathered in this handler's buffer first (a second copy). The engine's
 * incremental claim is not used because it is exclusive per track, and a publisher sends a track's subgroups on
 * concurrent streams whose objects interleave. FIN ends the subgroup; a reset (or a stream that closes mid-object)
 * resets it downstream. Releases every ByteBuf it reads. Event-loop confined.
 *
 * <p>A stream whose Track Alias the session does not know yet (its SUBSCRIBE_OK or PUBLISH is read after the stream's
 * first bytes, as happens with fast publishers) is held: the bytes read so far are kept (owned here), auto-read is
 * switched off so QUIC flow control withholds the rest, and the stream waits up to {@code unknownAliasWaitMillis}
 * for the session to learn the alias ({@link Tracks#awaitAlias}). Then it is decoded from its first byte; if the
 * alias never comes it is read and discarded. Only a stream whose alias was known counts toward PUBLISH_DONE.
 *
 * <p>Memory: what the stream buffers (the decoder's scratch for a split header, the gathered payload of an object
 * spanning reads) grows with the bytes that arrived, never with a length the peer declared, and is charged to the
 * session's and the relay's budgets ({@link Tracks#reserveGathered}). A stream whose buffer would pass a budget, or
 * whose object is larger than the store takes, is given up: STOP_SENDING (draft-18 EXCESSIVE_LOAD 0x9; draft-14,
 * which has no such code, INTERNAL_ERROR 0x0), its subgroup reset downstream with EXCESSIVE_LOAD, the rest of its bytes
 * read and dropped; other streams and sessions carry on.
 *
 * <p>Drops: when {@link TrackIngest} refuses an object (returns false) or the object is too large for the store, the
 * session is told ({@link Tracks#objectDropped}), which counts it and ends the subscription with EXCESSIVE_LOAD, as
 * {@link TrackIngest}'s contract asks.
 */
public final class SubgroupIngestHandler extends ChannelInboundHandlerAdapter implements DataStreamHandler
{
    /** Where a track alias leads, and how the session learns about the stream's life. */
    public interface Tracks
    {
        /** The ingest for {@code trackAlias}, or null if the alias is unknown (the stream is then discarded). */
        TrackIngest ingestFor(long trackAlias);

        /**
         * Runs {@code onKnown} on the event loop once the session routes {@code trackAlias}.
         *
         * @return false if the session holds no more waiting streams: the caller discards its stream.
         */
        boolean awaitAlias(long trackAlias, Runnable onKnown);

        /** Withdraws an {@link #awaitAlias} that has not run. */
        void cancelAwait(long trackAlias, Runnable onKnown);

        /**
         * Takes {@code bytes} more of the session's budget for gathering objects that span reads.
         *
         * @return false if the session's streams already hold their bound: the stream asking is abandoned.
         */
        boolean reserveGathered(int bytes);

        /** Gives back what {@link #reserveGathered} took. */
        void releaseGathered(int bytes);

        /** Sends STOP_SENDING with {@code code} on {@code stream} (the publisher's uni stream): the relay gives it up. */
        void stopStream(Channel stream, long code);

        /**
         * An object of {@code trackAlias} was dropped (the ingest refused it, or it is too large for the store): count
         * it and end the subscription with EXCESSIVE_LOAD ({@link TrackIngest}'s contract).
         */
        void objectDropped(long trackAlias);

        /**
         * A stream's header named {@code trackAlias}, a known track: until its {@link #streamEnded}, the track's
         * PUBLISH_DONE does not take effect, even after its grace period (the stream's data is late, not lost).
         */
        void streamStarted(long trackAlias);

        /** The stream of {@code trackAlias} ended (FIN or reset): counts toward PUBLISH_DONE's stream count. */
        void streamEnded(long trackAlias);

        /** Malformed input: close the session with the exception's error. */
        void fail(WireException e);
    }

    /** Type and Track Alias, the two varints in front of every subgroup header: at most 9 bytes each. */
    private static final int ALIAS_PEEK_BYTES = 18;
    /** STOP_SENDING code for a stream the relay gives up: draft-18 EXCESSIVE_LOAD; draft-14 has only INTERNAL_ERROR. */
    private static final long STOP_CODE_DRAFT_18 = StreamResetCode.EXCESSIVE_LOAD.code();
    private static final long STOP_CODE_DRAFT_14 = StreamResetCode.INTERNAL_ERROR.code();

    private final Tracks tracks;
    private final Varint varint;
    private final long unknownAliasWaitMillis;
    private final DataStreamDecoder decoder;
    private final ByteBufChunks chunks = new ByteBufChunks(0);
    private TrackIngest ingest;
    private long alias = -1;
    private long group;
    private long subgroup;
    private int streamPriority;
    private final int maxPayload;
    private final long stopCode;
    private final org.agrona.ExpandableArrayBuffer properties = new org.agrona.ExpandableArrayBuffer(64);
    /** Draft 14: the properties are Extension Headers, stored as received and flagged so (TrackLog); else 0. */
    private final int propertiesFlag;
    /** Objects that span reads are gathered here first, every byte reserved in the budgets. */
    private final ObjectGather gather;
    private Channel channel;
    private long objectGroup;
    private long objectSubgroup;
    private long objectId;
    private int objectPriority;
    private int objectStatus;
    private int propertiesLength;
    private int payloadLength;
    private boolean objectOpen;
    /** The header says the stream starts at its subgroup's first object (draft-18 FIRST_OBJECT). */
    private boolean streamStartsSubgroup;
    /** An object header was read on this stream already. */
    private boolean afterFirstObject;
    /**
     * The open object's {@link TrackIngest} flags: {@link #propertiesFlag}, and FIRST_IN_SUBGROUP when it is the first
     * its publisher published in its subgroup (kept in the log for FIRST_OBJECT).
     */
    private int objectFlags;
    private boolean objectDone;
    private boolean ended;
    private boolean failed;

    // Routing: until the alias is known (or the stream is given up), bytes are held rather than decoded.
    private boolean routed;
    private ByteBuf held;
    private boolean heldFin;
    private long peekedAlias;
    private final UnsafeBuffer peek = new UnsafeBuffer(new byte[ALIAS_PEEK_BYTES]);
    private Runnable aliasWaiter;
    private io.netty.util.concurrent.Future<?> waitTimeout;

    public SubgroupIngestHandler(final Draft draft, final Tracks tracks, final int maxPropertiesLength, final int maxPayload,
        final long unknownAliasWaitMillis)
    {
        this.tracks = tracks;
        this.varint = draft.varint();
        this.maxPayload = maxPayload;
        this.stopCode = draft == Draft.DRAFT_14 ? STOP_CODE_DRAFT_14 : STOP_CODE_DRAFT_18;
        this.propertiesFlag = draft == Draft.DRAFT_14 ? TrackIngest.DRAFT14_PROPERTIES : 0;
        this.unknownAliasWaitMillis = unknownAliasWaitMillis;
        // One budget for the decoder's scratch and the gathered payloads: a refusal gives the stream up.
        final BufferBudget budget = new BufferBudget()
        {
            @Override
            public boolean reserve(final int bytes)
            {
                if (tracks.reserveGathered(bytes))
                {
                    return true;
                }
                giveUp(); // the stream is given up: the decoder abandons it, nothing more is gathered
                return false;
            }

            @Override
            public void release(final int bytes)
            {
                tracks.releaseGathered(bytes);
            }
        };
        this.decoder = new DataStreamDecoder(draft, this, maxPropertiesLength, budget);
        this.gather = new ObjectGather(budget);
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
        if (failed)
        {
            buf.release();
            return;
        }
        if (!routed)
        {
            hold(ctx, buf);
            return;
        }
        decode(buf);
    }

    /** Decodes and releases {@code buf}. */
    private void decode(final ByteBuf buf)
    {
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

    /** Takes ownership of {@code buf} until the stream's alias is known; routes the stream once the alias is read. */
    private void hold(final ChannelHandlerContext ctx, final ByteBuf buf)
    {
        if (held == null)
        {
            held = buf;
        }
        else
        {
            if (!(held instanceof CompositeByteBuf))
            {
                final CompositeByteBuf composite = ctx.alloc().compositeBuffer();
                composite.addComponent(true, held);
                held = composite;
            }
            ((CompositeByteBuf)held).addComponent(true, buf);
        }
        if (aliasWaiter != null || !peekAlias(held))
        {
            return; // already waiting (auto-read is off, so at most the read in flight lands here), or header incomplete
        }
        if (tracks.ingestFor(peekedAlias) != null || unknownAliasWaitMillis == 0)
        {
            resume(ctx);
            return;
        }
        final Runnable waiter = () -> aliasKnown(ctx);
        if (!tracks.awaitAlias(peekedAlias, waiter))
        {
            resume(ctx); // too many streams waiting: this one is decoded now, and dropped if its alias is still unknown
            return;
        }
        aliasWaiter = waiter;
        ctx.channel().config().setAutoRead(false); // withhold flow control beyond what has been read
        waitTimeout = ctx.executor().schedule(() -> giveUp(ctx), unknownAliasWaitMillis, TimeUnit.MILLISECONDS);
    }

    /** Reads the type and Track Alias in front of the held bytes into {@link #peekedAlias}; false if incomplete. */
    private boolean peekAlias(final ByteBuf bytes)
    {
        final int readable = Math.min(bytes.readableBytes(), ALIAS_PEEK_BYTES);
        bytes.getBytes(bytes.readerIndex(), peek.byteArray(), 0, readable);
        if (readable < 1)
        {
            return false;
        }
        final int typeSize = varint.sizeAt(peek, 0);
        if (readable < typeSize + 1)
        {
            return false;
        }
        final int aliasSize = varint.sizeAt(peek, typeSize);
        if (readable < typeSize + aliasSize)
        {
            return false;
        }
        peekedAlias = varint.valueAt(peek, typeSize);
        return true;
    }

    private void aliasKnown(final ChannelHandlerContext ctx)
    {
        aliasWaiter = null;
        if (waitTimeout != null)
        {
            waitTimeout.cancel(false);
        }
        resume(ctx);
    }

    private void giveUp(final ChannelHandlerContext ctx)
    {
        if (aliasWaiter != null)
        {
            tracks.cancelAwait(peekedAlias, aliasWaiter);
            aliasWaiter = null;
            resume(ctx); // the alias is still unknown: the decoder reads the stream and drops its objects
        }
    }

    /** Decodes what was held, from the stream's first byte, and lets the stream flow again. */
    private void resume(final ChannelHandlerContext ctx)
    {
        routed = true;
        final ByteBuf bytes = held;
        held = null;
        if (bytes != null)
        {
            decode(bytes);
        }
        if (heldFin)
        {
            fin();
            closeAtFin(ctx);
            return;
        }
        if (!ctx.channel().config().isAutoRead())
        {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Drops whatever is held and any wait: the stream is gone. */
    private void releaseHeld()
    {
        gather.release();
        decoder.close();
        if (aliasWaiter != null)
        {
            tracks.cancelAwait(peekedAlias, aliasWaiter);
            aliasWaiter = null;
        }
        if (waitTimeout != null)
        {
            waitTimeout.cancel(false);
        }
        if (held != null)
        {
            held.release();
            held = null;
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof ChannelInputShutdownEvent && !failed)
        {
            if (routed)
            {
                fin();
            }
            else
            {
                heldFin = true;
                if (held == null || aliasWaiter == null)
                {
                    resume(ctx); // FIN before a whole header: let the decoder judge the truncated stream
                }
            }
        }
        ctx.fireUserEventTriggered(evt);
        if (evt instanceof ChannelInputShutdownEvent && routed)
        {
            closeAtFin(ctx);
        }
    }

    /**
     * A publisher's uni stream is done at its FIN; Netty keeps the channel (and this handler) otherwise, one per group
     * for the life of the connection (the load suite saw thousands per publisher). A stream still waiting for its
     * alias closes once its held bytes are decoded ({@link #resume}). Without netty's refused FIN on the receive-only
     * stream ({@link ReceiveOnlyStreamClose}).
     */
    private static void closeAtFin(final ChannelHandlerContext ctx)
    {
        ReceiveOnlyStreamClose.close(ctx);
    }

    private void fin()
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

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        releaseHeld();
        abandon(); // RESET_STREAM from the publisher
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        releaseHeld();
        abandon();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext ctx)
    {
        releaseHeld();
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
            tracks.streamEnded(alias); // only streams of a known track count toward PUBLISH_DONE
        }
    }

    @Override
    public void onSubgroupHeader(final SubgroupHeader header)
    {
        alias = header.trackAlias();
        group = header.groupId();
        subgroup = header.subgroupId();
        streamPriority = header.publisherPriority() < 0 ? 128 : header.publisherPriority();
        // Draft-18 says so with FIRST_OBJECT; draft-14 has no such bit, and then only object 0 is surely the first.
        streamStartsSubgroup = header.firstObject();
        ingest = tracks.ingestFor(alias);
        if (ingest != null)
        {
            tracks.streamStarted(alias); // every path that ends it calls streamEnded once
        }
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
        final boolean first = (streamStartsSubgroup || h.objectId() == 0) && !afterFirstObject;
        afterFirstObject = true;
        if (ingest == null)
        {
            return; // unknown alias (or the stream was given up): dropped
        }
        if (Long.compareUnsigned(h.payloadLength(), Math.max(0, maxPayload - h.propertiesLength())) > 0)
        {
            // Above the largest object (up to 2^64-1 on draft-18): nothing of it is buffered or stored.
            oversized(h);
            return;
        }
        objectFlags = propertiesFlag | (first ? TrackIngest.FIRST_IN_SUBGROUP : 0);
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
        payloadLength = (int)h.payloadLength(); // at most maxPayload: checked unsigned above
        gather.start(payloadLength);
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (!objectOpen)
        {
            return;
        }
        if (gather.gathered() == 0 && length == payloadLength)
        {
            // The whole payload in one piece: straight from the network buffer into the log.
            objectDone = true;
            if (!ingest.object(objectFlags, objectGroup, objectSubgroup, objectId, objectPriority, objectStatus,
                properties, 0, propertiesLength, buffer, offset, length))
            {
                dropped();
            }
            return;
        }
        // The decoder never hands more than the object's declared length, itself at most maxPayload. A stream that
        // would pass a budget (many streams each partway through a large object) is given up (by the budget's
        // refusal), not the relay's memory.
        gather.append(buffer, offset, length);
    }

    /**
     * An object above {@code moq.relay.store.max.object.bytes} (issue 12): not gathered nor stored; the subgroup is
     * reset downstream and the publisher's stream stopped, both with EXCESSIVE_LOAD (the endpoint declines a load it
     * does not take, draft-18 § Stream Reset Error Codes); the rest of the stream is read and dropped. Counted and
     * logged (once, since the stream ends here) by {@link TrackIngest#resetOversized}.
     */
    private void oversized(final ObjectHeader h)
    {
        final long bytes = h.payloadLength() + h.propertiesLength();
        subgroup = h.subgroupId();
        ended = true;
        ingest.resetOversized(h.groupId(), h.subgroupId(), h.objectId(),
            Long.compareUnsigned(bytes, h.payloadLength()) < 0 ? -1L : bytes); // -1: past 2^64-1, printed unsigned
        tracks.streamEnded(alias);
        giveUp();
    }

    /**
     * The relay gives this stream up (a budget refused its buffer, or its object is too large for the store): the
     * publisher is told to stop (STOP_SENDING), the subgroup is reset downstream with EXCESSIVE_LOAD, what the stream
     * buffers is given back, and its further bytes are read and dropped.
     */
    private void giveUp()
    {
        objectOpen = false;
        if (!ended && ingest != null)
        {
            ended = true;
            ingest.resetSubgroup(group, subgroup, StreamResetCode.EXCESSIVE_LOAD);
            tracks.streamEnded(alias);
        }
        ingest = null;
        gather.release();
        if (channel != null)
        {
            tracks.stopStream(channel, stopCode);
        }
    }

    /** {@link TrackIngest} refused the open object: the stream is given up and the session ends the subscription. */
    private void dropped()
    {
        final long trackAlias = alias;
        giveUp();
        tracks.objectDropped(trackAlias);
    }

    @Override
    public void onObjectEnd()
    {
        if (objectOpen && !objectDone && !ingest.object(objectFlags, objectGroup, objectSubgroup, objectId,
            objectPriority, objectStatus, properties, 0, propertiesLength, gather.buffer(), 0, gather.gathered()))
        {
            dropped();
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
        gather.release();
        if (!ended)
        {
            ended = true;
            if (ingest != null)
            {
                ingest.endSubgroup(group, subgroup);
                tracks.streamEnded(alias);
            }
        }
    }
}
