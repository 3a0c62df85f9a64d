package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.ArrayList;
import moq.relay.engine.DownstreamSubscription;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.ObjectWriter;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.WaitingOpens;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.lite.LiteDatagram;
import moq.relay.wire.lite.LiteFrameEncoder;
import moq.relay.wire.lite.LiteTimestamps;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A moq-lite subscriber's {@link ObjectWriter}: one unidirectional Group Stream per group (STREAM_TYPE 0x0 and GROUP
 * {@code {subscribe id, sequence}}, then one FRAME per Normal object, FIN once every subgroup of the group ended).
 * MoQT subgroups of one group share the group's stream (moq-lite has no subgroups or object ids: the frames go in the
 * order the engine writes them); status objects are not frames (End of Group is the FIN, others have no moq-lite
 * form) and are skipped; properties are dropped (moq-lite has none). lite-03/04 frames carry no timestamp; lite-05
 * frames carry the publisher's timestamp where the track has a media timescale (a TIMESCALE track property: a lite-05
 * publisher's TRACK_INFO or a MoQT publisher's) and the object a TIMESTAMP property, byte for byte; otherwise the
 * relay's clock when the frame is written, in microseconds since the epoch ({@link #TIMESCALE}, the timescale the
 * session's TRACK_INFO then names; for a live track the write time is the relay's arrival time give or take the
 * egress queue). See {@link #frameTimestamp}.
 *
 * <p>Buffer ownership, as {@link SubgroupStreamWriter}: each frame is one write of a recycled {@link ObjectView}, its
 * header (the stream's GROUP in front of the first frame, then the FRAME's length) in the view's own memory and the
 * payload framed, not copied, in the track log's segment; the subscription is made with {@code retainsPayload} and
 * {@link DownstreamSubscription#release()} is called whenever no view is in flight. A heap payload (tests) is
 * copied into a pooled buffer whose ownership passes to the stream's write. All calls on the connection's event loop.
 *
 * <p>Opens waiting for the subscriber's stream credit, as {@link SubgroupStreamWriter}'s ({@link GroupStreamOpens}):
 * ranked by subscriber then publisher priority ({@link WaitingOpens#rank}), and a Group Stream whose open still waits
 * when a newer group of the subscription opens is withdrawn: never opened, what it held dropped, counted as a skipped
 * subgroup. A credit-starved watcher (a browser receiving a new stream for every audio frame) so gets the newest group
 * of each track instead of a first-in-first-out queue of stale ones.
 */
public final class LiteGroupWriter implements ObjectWriter
{
    /** lite-05 frame timestamp units per second: microseconds. */
    public static final long TIMESCALE = 1_000_000;
    private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000;
    private static final long EPOCH_NANOS = System.nanoTime();

    /** The relay's clock for lite-05 frame timestamps: µs since the epoch, from a monotonic source. */
    static long nowMicros()
    {
        return EPOCH_MICROS + (System.nanoTime() - EPOCH_NANOS) / 1000;
    }

    /**
     * A lite-05 frame's timestamp. On a track with a media timescale ({@code timescale} > 0, its TIMESCALE property,
     * which the relay's TRACK_INFO names): the object's TIMESTAMP property as the publisher gave it (a lite-05 frame's
     * or a MoQT object's, draft-lcurley-moq-timestamp), byte for byte, whatever order the values come in; an object
     * without one gets the relay's clock in that timescale. Without one ({@code timescale} 0): the relay's clock in µs,
     * what the relay's TRACK_INFO then names. The relay's clock never goes back on a stream ({@code previous}).
     */
    static long frameTimestamp(final long timescale, final long previous, final DirectBuffer buffer,
        final int propertiesOffset, final int propertiesLength)
    {
        if (timescale <= 0)
        {
            return Math.max(previous, nowMicros());
        }
        final int at = propertiesLength > 0 ? LiteTimestamps.find(buffer, propertiesOffset, propertiesLength) : -1;
        if (at >= 0)
        {
            return MoqtVarint.value(buffer, at);
        }
        final long micros = nowMicros();
        return Math.max(previous, timescale == TIMESCALE ? micros :
            micros / TIMESCALE * timescale + micros % TIMESCALE * timescale / TIMESCALE);
    }

    /** The subscription ended: the session answers on the Subscribe Stream (FIN, or a reset for an error). */
    public interface Done
    {
        void publishDone(PublishDoneStatus status, String reason);
    }

    private final MoqTransport transport;
    private final EgressLoop loop;
    private final LiteVersion version;
    private final long subscribeId;
    private final Done done;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final UnsafeBuffer scratch =
        new UnsafeBuffer(new byte[LiteFrameEncoder.MAX_GROUP_STREAM_HEADER + LiteFrameEncoder.MAX_FRAME_HEADER]);
    private final ArrayList<Stream> streams = new ArrayList<>(4);
    private final PayloadViews views;
    private DownstreamSubscription subscription;
    /** The track's media timescale (its TIMESCALE property), 0 for none: see {@link #frameTimestamp}. */
    private long timescale;
    private boolean started;
    private boolean finished;
    /** The Group Streams' opens, and the writes handed to them before they open. */
    private final GroupStreamOpens opens;
    /**
     * Group Streams that are active and not writable (bytes wait in the channel for QUIC to take them): open ones, and
     * ended ones ({@link #ended}) until QUIC took their FIN.
     */
    private int unwritableStreams;
    /**
     * Ended Group Streams (FIN asked) that may still have bytes waiting in their channel. They hold the writer back
     * while full, as {@link SubgroupStreamWriter}'s do: otherwise a group per audio frame (a new stream each, writable
     * until its first write) queues without bound in the transport whenever the connection takes nothing, out of the
     * engine's sight, so no time bound sheds it. Left once QUIC took the FIN, or reset when the subscription falls too
     * far behind ({@link #resetEndedStreams}).
     */
    private final EndedStreams<Stream> ended = new EndedStreams<>();
    private long groupsOpened;
    private long skippedGroups;
    /** The subscriber's Max Latency in nanoseconds, 0 for none ({@link #maxLatency}). */
    private long maxLatencyNanos;
    private long expiredGroups;

    public LiteGroupWriter(final MoqTransport transport, final EgressLoop loop, final LiteVersion version,
        final long subscribeId, final Done done)
    {
        this.transport = transport;
        this.loop = loop;
        this.views = new PayloadViews(loop.counters());
        this.version = version;
        this.subscribeId = subscribeId;
        this.done = done;
        this.opens = new GroupStreamOpens(transport, loop);
    }

    /**
     * SUBSCRIBE_OK went out: groups may follow; {@code timescale} is the track's TIMESCALE property (0: none), the
     * timescale of the relay's TRACK_INFO for the track. Event loop.
     */
    public void start(final DownstreamSubscription subscription, final long timescale)
    {
        this.timescale = timescale;
        this.subscription = subscription;
        views.bind(subscription);
        this.started = true;
        loop.signal();
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

    /** Reads the relay's own properties: a lite-05 publisher's frame timestamps come back from them. */
    @Override
    public boolean readsRelayProperties()
    {
        return true;
    }

    @Override
    public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
    {
        if (finished)
        {
            return;
        }
        final Stream existing = find(group);
        if (existing != null)
        {
            existing.subgroups++; // another MoQT subgroup of the group: same Group Stream
            return;
        }
        final Stream s = new Stream(group);
        if (maxLatencyNanos > 0)
        {
            expire(group, s.arrivalNanos);
        }
        streams.add(s);
        groupsOpened++;
        final int subscriberPriority = subscription == null ? 128 : subscription.delivery().subscriberPriority();
        s.open = opens.open(s, group, subscriberPriority, priority);
    }

    /**
     * The subscriber's Max Latency (SUBSCRIBE, SUBSCRIBE_UPDATE), in milliseconds; 0: groups never expire. moq-lite's
     * "Expiration": once a newer group exists, an older group whose arrival (here: when its first object was handed
     * to this writer, the publisher side's "queued") is more than Max Latency before the newer group's arrival is
     * expired: its Group Stream is reset (DELIVERY_TIMEOUT, 0x2), opened or still waiting for credit, and the rest of
     * its objects are dropped. Event loop.
     */
    public void maxLatency(final long millis)
    {
        maxLatencyNanos = millis <= 0 ? 0 : java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** Group Streams reset because they outlived the subscriber's Max Latency. */
    public long expiredGroups()
    {
        return expiredGroups;
    }

    /** Resets the Group Streams of groups before {@code latest} that arrived more than Max Latency before it. */
    private void expire(final long latest, final long latestArrival)
    {
        for (int i = streams.size() - 1; i >= 0; i--)
        {
            final Stream o = streams.get(i);
            if (o.group < latest && latestArrival - o.arrivalNanos > maxLatencyNanos)
            {
                streams.remove(i);
                o.detach();
                o.reset(StreamResetCode.DELIVERY_TIMEOUT.code());
                expiredGroups++;
            }
        }
    }

    /** Group Streams withdrawn while their open waited for credit (a newer group of the subscription opened). */
    public long skippedGroups()
    {
        return skippedGroups;
    }

    @Override
    public void writeObject(final long group, final long subgroup, final long objectId, final int priority,
        final int status, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
        final int payloadOffset, final int payloadLength)
    {
        final Stream s = find(group);
        if (s == null || finished || status != 0)
        {
            return; // status objects have no FRAME form
        }
        final java.nio.ByteBuffer region = payloadLength > 0 ? buffer.byteBuffer() : null;
        if (region != null && region.isDirect())
        {
            final ObjectView v = views.view(region);
            final int h = s.header(v.header(), payloadLength, buffer, propertiesOffset, propertiesLength);
            s.write(v.frame(h, buffer.wrapAdjustment() + payloadOffset, payloadLength));
            return;
        }
        final int h = s.header(scratch, payloadLength, buffer, propertiesOffset, propertiesLength);
        final ByteBuf out = alloc.directBuffer(h + payloadLength).writeBytes(scratch.byteArray(), 0, h);
        if (payloadLength > 0)
        {
            buffer.getBytes(payloadOffset, out.nioBuffer(h, payloadLength), payloadLength);
            out.writerIndex(h + payloadLength);
        }
        s.write(out);
    }

    /**
     * A datagram object: lite-05 sends a single-frame group (object 0) as a datagram {@code subscribe id, sequence,
     * timestamp, payload} (timestamp as on Group Streams); one that does not fit the connection's datagrams, an object
     * other than 0 (a MoQT group of several datagrams has no lite form), a status, or any before lite-05 (no
     * datagrams) is dropped, as moq-lite publishers drop what does not fit. The payload is copied into the datagram.
     */
    @Override
    public void writeDatagram(final long group, final long objectId, final int priority, final int status,
        final boolean endOfGroup, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
        final int payloadOffset, final int payloadLength)
    {
        if (finished || !version.datagrams() || status != 0 || objectId != 0)
        {
            return;
        }
        long timestamp = frameTimestamp(timescale, 0, buffer, propertiesOffset, propertiesLength);
        if (timestamp < 0 || timestamp >= 1L << 62)
        {
            timestamp = frameTimestamp(0, 0, buffer, 0, 0); // a datagram's timestamp is a varint
        }
        final int h = LiteDatagram.encodeHeader(scratch, 0, subscribeId, group, timestamp);
        if (h + payloadLength > transport.maxDatagramPayloadSize())
        {
            return;
        }
        final ByteBuf out = alloc.directBuffer(h + payloadLength).writeBytes(scratch.byteArray(), 0, h);
        if (payloadLength > 0)
        {
            buffer.getBytes(payloadOffset, out.nioBuffer(h, payloadLength), payloadLength);
            out.writerIndex(h + payloadLength);
        }
        transport.sendDatagram(out); // ownership passes to the transport
    }

    @Override
    public void endSubgroup(final long group, final long subgroup)
    {
        final Stream s = find(group);
        if (s != null && --s.subgroups == 0)
        {
            streams.remove(s);
            s.fin();
            s.end(); // still holds the writer back while its bytes wait for QUIC
        }
    }

    /**
     * The subscription fell too far behind: ended Group Streams whose bytes still wait in their channel carry only
     * what it is too far behind for; they are reset with {@code code} (what waited is discarded) and hold nothing back.
     */
    @Override
    public void resetEndedStreams(final StreamResetCode code)
    {
        ended.resetWaiting(code);
    }

    /** Ended Group Streams reset because their bytes still waited in the transport when the subscription fell behind. */
    public long endedStreamsReset()
    {
        return ended.resetCount();
    }

    @Override
    public void resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
    {
        final Stream s = find(group);
        if (s != null)
        {
            streams.remove(s);
            s.detach();
            s.reset(code.code());
        }
    }

    @Override
    public void publishDone(final PublishDoneStatus status, final String reason)
    {
        cancelAll();
        done.publishDone(status, reason == null ? "" : reason);
    }

    /** Ends every Group Stream (the subscriber cancelled, or the session closed): reset with CANCELLED. */
    public void cancelAll()
    {
        ended.release();
        for (final Stream s : streams)
        {
            s.detach();
            s.reset(StreamResetCode.CANCELLED.code());
        }
        streams.clear();
        finished = true;
    }

    /** Group Streams opened so far. */
    public long groupsOpened()
    {
        return groupsOpened;
    }

    /** The highest group a Group Stream was opened for, or -1 (lite-05's SUBSCRIBE_END is the next one). */
    public long highestGroup()
    {
        return opens.newestGroup(); // group ids are varints (< 2^62): unsigned and signed order agree
    }

    /** Payload views handed to streams and not yet released. */
    public int viewsInFlight()
    {
        return views.inFlight();
    }

    private Stream find(final long group)
    {
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final Stream s = streams.get(i);
            if (s.group == group)
            {
                return s;
            }
        }
        return null;
    }

    /** One Group Stream; what is written before it opened waits in its {@link GroupStreamOpens.Open}. */
    private final class Stream implements GroupStreamOpens.Opened, EndedStreams.Member
    {
        final long group;
        /** When the group's first object reached this writer (System.nanoTime): its arrival, for Max Latency. */
        final long arrivalNanos = System.nanoTime();
        int subgroups = 1;
        boolean headerSent;
        /** lite-05: the previous frame's timestamp (the first frame's delta is from 0). */
        long lastTimestamp;
        GroupStreamOpens.Open open;
        QuicStreamChannel channel;
        boolean finRequested;
        boolean unwritable;
        /** The channel's bytes wait for QUIC (netty's writability is off). */
        boolean full;
        /** Reset, or ended and its FIN taken by QUIC (or released at the subscription's end): holds nothing back. */
        boolean detached;
        /** Its FIN was asked for ({@link #end}): listed in {@link LiteGroupWriter#ended} until detached. */
        boolean endAsked;
        /** Its open failed or was withdrawn: it never holds anything back. */
        boolean neverOpens;

        Stream(final long group)
        {
            this.group = group;
        }

        /**
         * The GROUP (first frame only) and the FRAME header for {@code length} bytes, lite-05 with the timestamp of
         * the object whose properties are given; returns bytes written.
         */
        int header(final org.agrona.MutableDirectBuffer dst, final int length, final DirectBuffer buffer,
            final int propertiesOffset, final int propertiesLength)
        {
            int n = 0;
            if (!headerSent)
            {
                headerSent = true;
                n = LiteFrameEncoder.groupStreamHeader(dst, 0, subscribeId, group);
            }
            if (!version.frameTimestamps())
            {
                return n + LiteFrameEncoder.frameHeader(dst, n, version, length, 0, 0);
            }
            final long timestamp = frameTimestamp(timescale, lastTimestamp, buffer, propertiesOffset,
                propertiesLength);
            final int h = LiteFrameEncoder.frameHeader(dst, n, version, length, timestamp, lastTimestamp);
            lastTimestamp = timestamp;
            return n + h;
        }

        @Override
        public void writability(final boolean writable)
        {
            full = !writable;
            countWritability();
        }

        /**
         * Unwritable as the writer counts it: opened, not detached, and full. An ended stream that is not full has
         * handed QUIC its FIN (or closed): it is done holding anything back.
         */
        private void countWritability()
        {
            final boolean now = full && channel != null && !detached;
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

        /**
         * Reads the channel's writability after a write: netty's QUIC stream channel fires an event only when it
         * changes, and one created while the connection had no room for it is unwritable from the start; its writes
         * then change nothing and say nothing, and the writer would go on handing it (and every new stream after it)
         * frames that only queue.
         */
        private void syncWritability()
        {
            writability(channel.isWritable() || !channel.isActive());
        }

        void write(final ByteBuf buf)
        {
            if (channel == null)
            {
                open.queue(buf);
                return;
            }
            channel.writeAndFlush(buf, channel.voidPromise());
            syncWritability();
        }

        @Override
        public void opened(final GroupStreamOpens.Open open, final QuicStreamChannel c)
        {
            channel = c;
            ByteBuf b;
            while ((b = open.poll()) != null)
            {
                channel.write(b, channel.voidPromise());
            }
            if (finRequested)
            {
                writeFin();
            }
            channel.flush();
            syncWritability();
            loop.signal();
        }

        /** Withdrawn for a newer group (what it held is dropped already): a skipped group. */
        @Override
        public void neverOpened(final boolean withdrawn, final Throwable cause)
        {
            neverOpens = true;
            if (endAsked)
            {
                ended.remove(this);
            }
            if (withdrawn)
            {
                if (streams.remove(this)) // not when the group already ended and only its FIN waited
                {
                    detach();
                }
                skippedGroups++;
                loop.counters().subgroupSkipped();
            }
        }

        void fin()
        {
            if (!headerSent)
            {
                // A group that ended before any frame: the stream still carries its GROUP.
                headerSent = true;
                final int n = LiteFrameEncoder.groupStreamHeader(scratch, 0, subscribeId, group);
                write(alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n));
            }
            finRequested = true;
            if (channel != null)
            {
                writeFin();
            }
        }

        /** FIN behind the writes already made (shutdownOutput() would cut them off). */
        private void writeFin()
        {
            channel.writeAndFlush(new DefaultQuicStreamFrame(Unpooled.EMPTY_BUFFER, true), channel.voidPromise());
            syncWritability();
        }

        @Override
        public void reset(final long code)
        {
            open.reset(channel, code);
        }
    }
}
