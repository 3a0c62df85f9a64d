package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.PropertiesEncoding;
import moq.relay.fanout.ObjectWriter;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.WaitingOpens;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectDatagramEncoder;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One downstream subscription's {@link ObjectWriter}: one unidirectional stream per subgroup (SUBGROUP_HEADER, then
 * objects), FIN after the last write, RESET_STREAM with the draft's code when the engine resets a subgroup, and
 * PUBLISH_DONE through {@link Done} once the engine ends the subscription. All calls on the connection's event loop
 * (which owns the session's egress loop).
 * <p>
 * Buffer ownership: each object goes to its stream as one write of a recycled {@link ObjectView}: the object header
 * encoded into the view's own small direct memory, then the payload framed in the engine's off-heap segment (not a
 * copy), so QUIC sends header and payload together. The stream releases the view once written; the subscription is
 * made with {@code retainsPayload}, and {@link DownstreamSubscription#release()} is called whenever no view is in
 * flight any more. A stream's SUBGROUP_HEADER goes in front of its first object, in the same write; a status object
 * (End of Group) right behind the stream's held object goes behind it in the same view ({@link ObjectView#trail}), so a
 * one-frame audio group is one write, FIN included, as its stream is one open (issue #19). Other status objects,
 * headers too long to carry inline and subgroups ended before any object go in pooled direct {@code ByteBuf}s whose
 * ownership passes to the stream's write; a heap payload (tests) is copied. Each object's last write is held back
 * until the engine's next call (at most until the end of its pump, {@link #flush()}), so that when the subgroup ends
 * right behind it, the object and the FIN leave in one {@code QuicStreamFrame}: one QUIC send instead of two (a group
 * of one object, as in chat, costs half the packets). The holder owns the held buffer: it is sent, carried by the
 * FIN, or released when its stream is reset. Writes use the void promise, so nothing waits on a future. Allocation per
 * object in steady state: none (the view comes from {@link ObjectViews}); per subgroup: the stream, its open and its
 * FIN frame.
 * <p>
 * Large objects: each stream's writes go through {@link SlicedStreamWrites} (shared with FETCH streams): a write
 * above {@link SlicedStreamWrites#SLICE_BYTES} goes to QUIC in slices, the next from a later event-loop turn, so that
 * packing a 2 MiB object into packets does not hold the shared event loop in one go; every later write to that stream,
 * and its FIN, waits behind it in order. Per large object this allocates its slices, their promises and scheduled
 * tasks; the small-object path is unchanged.
 * <p>
 * Stream credit ({@link GroupStreamOpens}, shared with {@link LiteGroupWriter}): a subgroup's stream open waits in
 * the transport's {@link WaitingOpens} while the subscriber grants no stream credit, ranked by subscriber and publisher
 * priority. Once a newer group of this subscription opens, a waiting open of an older group is withdrawn: that
 * subgroup is skipped (its stream never opens, the objects handed to it are dropped, it is counted in
 * {@link #skippedSubgroups()} and the loop's {@code subgroupSkipped}, and it is not one of PUBLISH_DONE's Stream
 * Count), as one refused at the session's bound of waiting opens is. A credit-starved subscriber thus gets the newest
 * group of each track, not a queue of ever staler ones.
 */
public final class SubgroupStreamWriter implements ObjectWriter
{

    /** Sends PUBLISH_DONE on the request (or control) stream, in the session's draft. */
    public interface Done
    {
        void publishDone(PublishDoneStatus status, long streamCount, String reason);
    }

    private final MoqTransport transport;
    private final EgressLoop loop;
    private final Draft draft;
    private final long trackAlias;
    private final Done done;
    private final ByteBufAllocator alloc;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[SubgroupStreamEncoder.MAX_STREAM_HEADER_LENGTH]);
    /** Grown on demand for objects with properties (the header then carries them), reused afterwards. */
    private UnsafeBuffer propertiesScratch = new UnsafeBuffer(new byte[256]);
    private final ArrayList<Stream> streams = new ArrayList<>(4);
    private final PayloadViews views;
    private DownstreamSubscription subscription;
    private boolean started;
    private boolean finished;
    /** An object's last write, held back until the engine's next call: if that ends its subgroup, both leave as one
     *  send (object and FIN). Held only within one pump of the engine, which ends with {@link #flush()}. */
    private ByteBuf held;
    private Stream heldStream;
    private long streamCount;
    /** The subgroup streams' opens, and the writes handed to them before they open. */
    private final GroupStreamOpens opens;
    /**
     * Streams of this writer that are active and not writable (bytes wait in the channel for QUIC to take them): open
     * ones, and ended ones ({@link #ended}) until QUIC took their FIN.
     */
    private int unwritableStreams;
    /**
     * Ended streams (FIN asked) that may still have bytes waiting in their channel. They hold the writer back while
     * full: otherwise a subgroup per audio frame (a new stream each, writable until its first write) queues without
     * bound in the transport whenever the connection takes nothing (its congestion window or flow-control credit
     * spent), out of the engine's sight, so no time bound ever sheds it (issue #16: 2 calls of 8 participants, objects
     * delivered 6-10 s late). Left once QUIC took the FIN, or reset when the subscription falls too far behind
     * ({@link #resetEndedStreams}).
     */
    private final EndedStreams<Stream> ended = new EndedStreams<>();
    private long datagramsSent;
    private long datagramsDropped;
    private long skippedSubgroups;
    private long deliveryTimeoutResets;
    /** See {@link ObjectWriter#objectDeliveryTimeoutNanos()}: -1 until a draft-20 subscription sets it. */
    private volatile long objectDeliveryTimeoutNanos = -1;

    /**
     * The subscriber's OBJECT_DELIVERY_TIMEOUT in milliseconds (0: none, the publisher's still applies), or -1 for a
     * subscription the relay applies no delivery timeout to. Event loop; read on the egress loop.
     */
    public void objectDeliveryTimeout(final long millis)
    {
        objectDeliveryTimeoutNanos = millis < 0 ? -1 :
            millis > Long.MAX_VALUE / 1_000_000 ? 0 : millis * 1_000_000;
    }

    @Override
    public long objectDeliveryTimeoutNanos()
    {
        return objectDeliveryTimeoutNanos;
    }

    /** See {@link ObjectWriter#subgroupDeliveryTimeoutNanos()}: -1 until a draft-20 subscription sets it. */
    private volatile long subgroupDeliveryTimeoutNanos = -1;

    /** The subscriber's SUBGROUP_DELIVERY_TIMEOUT in milliseconds, as {@link #objectDeliveryTimeout} has it. */
    public void subgroupDeliveryTimeout(final long millis)
    {
        subgroupDeliveryTimeoutNanos = millis < 0 ? -1 :
            millis > Long.MAX_VALUE / 1_000_000 ? 0 : millis * 1_000_000;
    }

    @Override
    public long subgroupDeliveryTimeoutNanos()
    {
        return subgroupDeliveryTimeoutNanos;
    }

    public SubgroupStreamWriter(final MoqTransport transport, final EgressLoop loop, final Draft draft,
        final long trackAlias, final Done done)
    {
        this.transport = transport;
        this.loop = loop;
        this.views = new PayloadViews(loop.counters());
        this.draft = draft;
        this.trackAlias = trackAlias;
        this.done = done;
        this.alloc = ByteBufAllocator.DEFAULT;
        this.opens = new GroupStreamOpens(transport, loop);
    }

    /** SUBSCRIBE_OK went out: objects may follow it. Event loop. */
    public void start(final DownstreamSubscription subscription)
    {
        this.subscription = subscription;
        views.bind(subscription);
        this.started = true;
        loop.signal();
    }

    /** The session is gone: nothing more goes out. */
    public void stop()
    {
        finished = true;
        dropHeld();
    }

    /** O(1): the engine asks several times per object; streams report their writability changes as they happen. */
    /**
     * Every draft reads the relay's own properties (a moq-lite frame's TIMESTAMP, draft-lcurley-moq-timestamp): drafts
     * 18 and 20 in the form the relay writes them, draft 14 converted to Extension Headers like any draft-18 block.
     */
    @Override
    public boolean readsRelayProperties()
    {
        return true;
    }

    /** The session's draft's: a publisher's properties in the other encoding are converted for it. */
    @Override
    public PropertiesEncoding propertiesEncoding()
    {
        return draft.atLeast(18) ? PropertiesEncoding.DRAFT_18 : PropertiesEncoding.DRAFT_14;
    }

    @Override
    public boolean isWritable()
    {
        if (!started || finished || opens.full())
        {
            return finished; // a finished writer swallows what remains so the engine can end the delivery
        }
        return unwritableStreams == 0;
    }

    @Override
    public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
    {
        openSubgroup(group, subgroup, firstObject, false, priority);
    }

    /** Draft-18 streams that start with the subgroup's first object say so with FIRST_OBJECT (a relay MUST). */
    @Override
    public void openSubgroup(final long group, final long subgroup, final long firstObject,
        final boolean firstInSubgroup, final int priority)
    {
        if (finished)
        {
            return;
        }
        sendHeld();
        // The SUBGROUP_HEADER is encoded in front of the stream's first object (one write, one send), not on its own.
        final Stream s = new Stream(group, subgroup, SubgroupHeaderType.of(draft, true,
            SubgroupHeaderType.MODE_EXPLICIT, false, false, firstInSubgroup && draft.atLeast(18)), priority);
        streams.add(s);
        streamCount++;
        final int subscriberPriority = subscription == null ? 128 : subscription.delivery().subscriberPriority();
        s.open = opens.open(s, group, subscriberPriority, priority);
    }

    /**
     * The stream of {@code s} will never open: what it held is dropped, and it is not one of the streams PUBLISH_DONE
     * counts. Withdrawn as superseded or refused at the session's bound, it is a skipped subgroup.
     */
    private void neverOpened(final Stream s, final boolean withdrawn, final Throwable cause)
    {
        s.neverOpens = true; // later writes are dropped
        streamCount--;
        if (s.endAsked)
        {
            ended.remove(s);
        }
        if (withdrawn || cause instanceof WaitingOpens.OpenRefusedException)
        {
            if (streams.remove(s))
            {
                s.detach();
            }
            if (s.headerSent)
            {
                skippedSubgroups++;
                loop.counters().subgroupSkipped();
            }
        }
    }

    @Override
    public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
        final int status, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
        final int payloadOffset, final int payloadLength)
    {
        writeObject(group, subgroup, objectId, priority, status, buffer, propertiesOffset, propertiesLength, buffer,
            payloadOffset, payloadLength);
    }

    /** The properties are copied into the object header during the call ({@code properties} may be the loop's). */
    @Override
    public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
        final int status, final DirectBuffer propertiesBuffer, final int propertiesOffset, final int propertiesLength,
        final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        final Stream s = find(group, subgroup);
        if (s == null || finished)
        {
            return;
        }
        if (payloadLength == 0 && propertiesLength == 0 && heldStream == s && held instanceof ObjectView &&
            ((ObjectView)held).canTrail())
        {
            // A header-only object (the End of Group of a one-frame audio group) behind this stream's held object
            // rides in the same write as its trailer: with the FIN that usually follows, the group is one send.
            final ObjectView v = (ObjectView)held;
            v.trail(s.encoder.writeObject(v.header(), ObjectView.TRAILER_OFFSET, objectId, status, null, 0, 0, 0));
            return;
        }
        // At most: the stream's SUBGROUP_HEADER if it has not gone yet, then the object header.
        final int maxHeader = SubgroupStreamEncoder.maxObjectHeaderLength(propertiesLength) +
            (s.headerSent ? 0 : SubgroupStreamEncoder.MAX_STREAM_HEADER_LENGTH);
        final DirectBuffer properties = propertiesLength > 0 ? propertiesBuffer : null;
        final java.nio.ByteBuffer region = payloadLength > 0 ? buffer.byteBuffer() : null;
        final boolean inLog = region != null && region.isDirect();
        if (inLog && maxHeader <= ObjectView.HEADER_CAPACITY)
        {
            // The usual case: header and the log's payload bytes (framed, not copied) leave in one stream write.
            final ObjectView v = views.view(region);
            final int h = s.writeStreamHeader(v.header(), 0);
            final int n = s.encoder.writeObject(v.header(), h, objectId, status, properties, propertiesOffset,
                propertiesLength, payloadLength);
            hold(s, v.frame(h + n, buffer.wrapAdjustment() + payloadOffset, payloadLength));
            return;
        }
        if (propertiesScratch.capacity() < maxHeader)
        {
            propertiesScratch = new UnsafeBuffer(new byte[Math.max(maxHeader, 2 * propertiesScratch.capacity())]);
        }
        final int h = s.writeStreamHeader(propertiesScratch, 0);
        final int n = h + s.encoder.writeObject(propertiesScratch, h, objectId, status, properties, propertiesOffset,
            propertiesLength, payloadLength);
        if (inLog)
        {
            // Headers too long to carry inline (large properties): their own write, then the payload view.
            sendHeld();
            s.write(alloc.directBuffer(n).writeBytes(propertiesScratch.byteArray(), 0, n));
            hold(s, views.view(region).frame(0, buffer.wrapAdjustment() + payloadOffset, payloadLength));
            return;
        }
        // A status object (no payload), or a payload on the heap (tests): one pooled buffer, the payload copied.
        final ByteBuf out = alloc.directBuffer(n + payloadLength).writeBytes(propertiesScratch.byteArray(), 0, n);
        if (payloadLength > 0)
        {
            buffer.getBytes(payloadOffset, out.nioBuffer(n, payloadLength), payloadLength);
            out.writerIndex(n + payloadLength);
        }
        hold(s, out);
    }

    /**
     * An object that arrived as a datagram goes out as one OBJECT_DATAGRAM with this subscription's track alias, in
     * the session's draft: header and payload encoded into one pooled direct buffer (a datagram is a single QUIC
     * frame, so its bytes are copied once into it). The draft drops, without notification, an object larger than the
     * peer's maximum datagram size; such drops, datagrams the transport refuses (datagrams not negotiated, closed)
     * are counted in {@link #datagramsDropped()}.
     */
    @Override
    public void writeDatagram(final long group, final long objectId, final int priority, final int status,
        final boolean endOfGroup, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
        final int payloadOffset, final int payloadLength)
    {
        writeDatagram(group, objectId, priority, status, endOfGroup, buffer, propertiesOffset, propertiesLength, buffer,
            payloadOffset, payloadLength);
    }

    @Override
    public void writeDatagram(final long group, final long objectId, final int priority, final int status,
        final boolean endOfGroup, final DirectBuffer propertiesBuffer, final int propertiesOffset,
        final int propertiesLengthIn, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        if (!started || finished)
        {
            return;
        }
        sendHeld(); // in the order the engine gave them
        if (status != 0 && !ObjectStatus.isValid(draft, status))
        {
            dropDatagram(); // a status the session's draft cannot express (draft-14 Does Not Exist in draft-18)
            return;
        }
        // Draft-18 status objects carry no properties (draft-14 ones may): left out rather than sent invalid.
        final int propertiesLength = status != 0 && draft.atLeast(18) ? 0 : propertiesLengthIn;
        final int max = transport.maxDatagramPayloadSize();
        final int headerMax = ObjectDatagramEncoder.maxHeaderLength(propertiesLength);
        if (payloadLength + propertiesLength + 3 > max) // a lower bound of the datagram's size
        {
            dropDatagram();
            return;
        }
        if (propertiesScratch.capacity() < headerMax)
        {
            propertiesScratch = new UnsafeBuffer(new byte[Math.max(headerMax, 2 * propertiesScratch.capacity())]);
        }
        final int n = ObjectDatagramEncoder.writeHeader(draft, propertiesScratch, 0, trackAlias, group, objectId,
            priority, endOfGroup, status == 0 ? ObjectDatagramEncoder.NO_STATUS : status, propertiesBuffer,
            propertiesOffset, propertiesLength);
        if (n + payloadLength > max)
        {
            dropDatagram();
            return;
        }
        final ByteBuf out = alloc.directBuffer(n + payloadLength);
        out.writeBytes(propertiesScratch.byteArray(), 0, n);
        if (payloadLength > 0)
        {
            buffer.getBytes(payloadOffset, out.nioBuffer(n, payloadLength), payloadLength);
            out.writerIndex(n + payloadLength);
        }
        if (transport.sendDatagram(out))
        {
            datagramsSent++;
        }
        else
        {
            dropDatagram();
        }
    }

    /** Object views handed out and not yet released: held, queued on a stream, or being sent. */
    public int viewsInFlight()
    {
        return views.inFlight();
    }

    /** OBJECT_DATAGRAMs handed to the transport. */
    public long datagramsSent()
    {
        return datagramsSent;
    }

    /** OBJECT_DATAGRAMs not sent: larger than the peer's maximum datagram size, or refused by the transport. */
    private void dropDatagram()
    {
        datagramsDropped++;
        loop.counters().datagramDropped(); // the relay-wide metric; we run on the loop's thread
    }

    public long datagramsDropped()
    {
        return datagramsDropped;
    }

    /** Subgroups given up while their stream waited for credit (superseded or refused), with objects handed to them. */
    public long skippedSubgroups()
    {
        return skippedSubgroups;
    }

    /** Subgroup streams of this subscription waiting for stream credit now. */
    public int waitingStreams()
    {
        return opens.waiting();
    }

    /** The engine's pump is over: the held object goes out on its own. */
    @Override
    public void flush()
    {
        sendHeld();
    }

    @Override
    public void endSubgroup(final long group, final long subgroup)
    {
        final Stream s = find(group, subgroup);
        if (s != null)
        {
            streams.remove(s);
            s.fin(takeHeld(s)); // the subgroup's last object, if held, carries the FIN
            s.end(); // still holds the writer back while its bytes wait for QUIC
        }
    }

    /**
     * SUBGROUP_DELIVERY_TIMEOUT (draft 20, draft-21 §5.2: "If the timer expires before the underlying transport
     * stream reaches 'all data committed' state ..., the implementation MUST reset the stream"): the FIN goes out as
     * usual, and {@code deliverWithinNanos} later the stream is reset DELIVERY_TIMEOUT unless QUIC took everything,
     * FIN included ({@link SlicedStreamWrites#takenByQuic}); the reset discards what still waited for the subscriber's
     * flow-control credit. Bytes QUIC took but has not sent, or not had acknowledged, cannot be told apart from
     * delivered ones here (Netty's QUIC reports no acknowledgements). One scheduled check per such subgroup stream,
     * none per object.
     */
    @Override
    public void endSubgroup(final long group, final long subgroup, final long deliverWithinNanos)
    {
        final Stream s = find(group, subgroup);
        endSubgroup(group, subgroup);
        if (s != null && !s.neverOpens)
        {
            transport.eventLoop().schedule(s::deliveryDeadline, deliverWithinNanos,
                java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Subgroup streams reset because QUIC still held their data when their SUBGROUP_DELIVERY_TIMEOUT passed. */
    public long deliveryTimeoutResets()
    {
        return deliveryTimeoutResets;
    }

    @Override
    public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
    {
        final Stream s = find(group, subgroup);
        if (s != null)
        {
            final ByteBuf last = takeHeld(s);
            if (last != null)
            {
                last.release(); // never sent: the stream is reset (a view reports its own release)
            }
            streams.remove(s);
            s.detach();
            s.reset(code.code());
        }
    }

    /**
     * The subscription fell too far behind: ended streams whose bytes still wait in their channel carry only what it
     * is too far behind for; they are reset with {@code code} (what waited is discarded) and hold nothing back.
     */
    @Override
    public void resetEndedStreams(final StreamResetCode code)
    {
        ended.resetWaiting(code);
    }

    /** Ended streams reset because their bytes still waited in the transport when the subscription fell behind. */
    public long endedStreamsReset()
    {
        return ended.resetCount();
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final String reason)
    {
        ended.release();
        dropHeld(); // every stream is reset below
        for (final Stream s : streams)
        {
            s.detach();
            s.reset(StreamResetCode.CANCELLED.code());
        }
        streams.clear();
        if (!finished)
        {
            finished = true;
            done.publishDone(status, streamCount, reason == null ? "" : reason);
        }
    }

    /** Ends every stream (the subscriber cancelled): reset with CANCELLED. */
    public void cancelAll()
    {
        cancelAll(StreamResetCode.CANCELLED.code());
    }

    /** Data streams opened so far (PUBLISH_DONE's Stream Count). */
    public long streamCount()
    {
        return streamCount;
    }

    /** Ends every stream, reset with {@code code} (a grant's expiry: EXPIRED_AUTH_TOKEN). */
    public void cancelAll(final long code)
    {
        ended.release();
        dropHeld();
        for (final Stream s : streams)
        {
            s.detach();
            s.reset(code);
        }
        streams.clear();
        finished = true;
    }

    /** Holds {@code buf}, an object's last write to {@code s} (ownership passes), sending what was held before. */
    private void hold(final Stream s, final ByteBuf buf)
    {
        sendHeld();
        held = buf;
        heldStream = s;
    }

    private void sendHeld()
    {
        if (held != null)
        {
            final ByteBuf b = held;
            held = null;
            heldStream.write(b);
            heldStream = null;
        }
    }

    /** The held write if it is for {@code s} (the caller owns it now); one for another stream is sent first. */
    private ByteBuf takeHeld(final Stream s)
    {
        if (held == null || heldStream != s)
        {
            sendHeld();
            return null;
        }
        final ByteBuf b = held;
        held = null;
        heldStream = null;
        return b;
    }

    private void dropHeld()
    {
        if (held != null)
        {
            final ByteBuf b = held;
            held = null;
            heldStream = null;
            b.release();
        }
    }

    private Stream find(final long group, final long subgroup)
    {
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final Stream s = streams.get(i);
            if (s.group == group && s.subgroup == subgroup)
            {
                return s;
            }
        }
        return null;
    }

    /** One subgroup stream; what is written before it opened waits in its {@link GroupStreamOpens.Open}. */
    private final class Stream extends SlicedStreamWrites implements GroupStreamOpens.Opened, EndedStreams.Member
    {
        final long group;
        final long subgroup;
        final int headerType;
        final int priority;
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        /** Whether the SUBGROUP_HEADER has been written (it goes in front of the first object). */
        boolean headerSent;
        GroupStreamOpens.Open open;
        boolean finRequested;
        /** Counted in {@link #unwritableStreams}. */
        boolean unwritable;
        /** The channel's send buffer is above its high mark. */
        boolean full;
        /** Reset, or ended and its FIN taken by QUIC (or released at the subscription's end): holds nothing back. */
        boolean detached;
        /** Its FIN was asked for ({@link #end}): listed in {@link SubgroupStreamWriter#ended} until detached. */
        boolean endAsked;
        /** Its stream will never open: writes are dropped. */
        boolean neverOpens;

        Stream(final long group, final long subgroup, final int headerType, final int priority)
        {
            this.group = group;
            this.subgroup = subgroup;
            this.headerType = headerType;
            this.priority = priority;
        }

        /** Encodes the SUBGROUP_HEADER at {@code offset} unless sent already; returns its length (0 if sent). */
        int writeStreamHeader(final MutableDirectBuffer dst, final int offset)
        {
            if (headerSent)
            {
                return 0;
            }
            headerSent = true;
            return encoder.writeHeader(draft, dst, offset, headerType, trackAlias, group, subgroup, priority);
        }

        /** The channel's writability: the stream holds the writer back while active and above the high mark. */
        @Override
        public void writability(final boolean writable)
        {
            full = !writable;
            countWritability();
        }

        /**
         * Unwritable as the writer counts it: opened, not detached, and full or with too much behind a sliced write. An
         * ended stream that is neither has handed QUIC its FIN (or closed): it is done holding anything back.
         */
        private void countWritability()
        {
            final boolean now = (full || holdsBack()) && channel != null && !detached;
            if (now != unwritable)
            {
                unwritable = now;
                unwritableStreams += now ? 1 : -1;
            }
            if (endAsked && !now && channel != null && !detached)
            {
                detached = true;
                ended.remove(this);
            }
        }

        /** Its FIN was asked for (after {@link #fin}): it counts until QUIC has taken everything. */
        void end()
        {
            endAsked = true;
            if (!neverOpens)
            {
                ended.add(this);
                countWritability();
            }
        }

        @Override
        public boolean unwritable()
        {
            return unwritable;
        }

        @Override
        public void detach()
        {
            detached = true;
            countWritability();
        }

        /** Sends {@code buf} (ownership passes to the stream; QUIC sends on write, flush is a no-op), or queues it
         *  until the stream opens; a failed write releases it, and errors surface as {@code exceptionCaught} on the
         *  stream, where {@link WritabilitySignal} ignores them. */
        void write(final ByteBuf buf)
        {
            if (neverOpens)
            {
                buf.release();
                return;
            }
            if (channel == null)
            {
                open.queue(buf);
                return;
            }
            send(buf);
            syncWritability();
        }

        /**
         * Reads the channel's writability after a write: netty's QUIC stream channel fires an event only when it
         * changes, and one created while the connection had no room for it is unwritable from the start, before this
         * stream listens; its first write that QUIC cannot take then changes nothing and says nothing, and the writer
         * would go on handing it (and every new stream after it) objects that only queue.
         */
        private void syncWritability()
        {
            writability(channel.isWritable() || !channel.isActive());
        }

        /** Writes behind a sliced one changed: the writer may be held back, or may take objects again. */
        @Override
        void behindChanged()
        {
            final boolean was = unwritable;
            countWritability();
            if (was && !unwritable)
            {
                loop.signal();
            }
        }

        @Override
        public void opened(final GroupStreamOpens.Open open, final QuicStreamChannel c)
        {
            channel = c;
            boolean finWritten = false;
            ByteBuf b;
            while ((b = open.poll()) != null)
            {
                if (finRequested && open.drained())
                {
                    sendFin(b); // the last queued write carries the FIN
                    finWritten = true;
                }
                else
                {
                    send(b);
                }
            }
            if (finRequested && !finWritten)
            {
                sendFin(null);
            }
            syncWritability();
            loop.signal();
        }

        /** No stream (withdrawn, refused, session closing): what waited is dropped; the engine's view is free. */
        @Override
        public void neverOpened(final boolean withdrawn, final Throwable cause)
        {
            SubgroupStreamWriter.this.neverOpened(this, withdrawn, cause);
        }

        /** Ends the stream; {@code last} (the subgroup's last object, or null) leaves in the same send as the FIN. */
        void fin(final ByteBuf last)
        {
            ByteBuf out = last;
            if (!headerSent)
            {
                // A subgroup ended before any object (so none is held): the stream still carries its header.
                final int n = writeStreamHeader(scratch, 0);
                out = alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n);
            }
            finRequested = true;
            if (neverOpens)
            {
                if (out != null)
                {
                    out.release();
                }
                return;
            }
            if (channel == null)
            {
                if (out != null)
                {
                    open.queue(out);
                }
                return; // opened() sends the FIN with the last queued write
            }
            sendFin(out);
            syncWritability();
        }

        @Override
        public void reset(final long code)
        {
            dropSlicing();
            open.reset(channel, code);
        }

        /** The SUBGROUP_DELIVERY_TIMEOUT of its FIN passed: reset unless QUIC has taken everything. Event loop. */
        void deliveryDeadline()
        {
            if (neverOpens || channel != null && takenByQuic())
            {
                return;
            }
            deliveryTimeoutResets++;
            reset(StreamResetCode.DELIVERY_TIMEOUT.code());
        }
    }

    /**
     * Reports a stream's writability to its writer ({@link #changed}, false while active and full) and tells the
     * egress loop when a full stream can take writes again. A subgroup stream's open ({@link GroupStreamOpens.Open})
     * is its own signal, so that a stream open allocates one object for both (issue #19: a stream per audio frame).
     */
    static class WritabilitySignal extends ChannelInboundHandlerAdapter
    {
        private final EgressLoop loop;

        WritabilitySignal(final EgressLoop loop)
        {
            this.loop = loop;
        }

        /** The stream's writability (true once it is inactive); nothing by default. */
        protected void changed(final boolean writable)
        {
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            final boolean writable = ctx.channel().isWritable();
            changed(writable || !ctx.channel().isActive());
            if (writable)
            {
                loop.signal();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            changed(true); // a closed stream holds nothing back
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            io.netty.util.ReferenceCountUtil.release(msg); // nothing is read on a relay-opened uni stream
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            // STOP_SENDING from the subscriber surfaces as a write failure; the stream closes on its own.
        }
    }
}
