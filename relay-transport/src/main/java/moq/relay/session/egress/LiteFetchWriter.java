package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.quic.QuicStreamChannel;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.FetchWriter;
import moq.relay.fanout.StreamResetCode;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.lite.LiteFrameEncoder;
import moq.relay.wire.lite.LiteVersion;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A moq-lite FETCH's {@link FetchWriter}: the group's objects as bare FRAMEs (moq-lite-03 §"Fetch": no GROUP before
 * them; lite-05: each after its timestamp delta, as on the relay's Group Streams) on the Fetch Stream
 * the subscriber opened, FIN after the last. Status objects have no FRAME form and are left out, as on Group Streams;
 * object ids, gaps and subgroups are invisible (frames in object order). The cache not holding the start of the group
 * (an End of Unknown Range) resets the stream with {@link #RESET_NOT_IN_CACHE}: frames missing at the front would
 * shift every index after them. Unwritable until {@link #start}, so the engine keeps the objects in the log meanwhile.
 *
 * <p>Buffer ownership as {@link FetchStreamWriter}: payloads are copied into pooled direct buffers (the fetch views are
 * valid during the call only; fetches are not the live hot path) whose ownership passes to the stream's writes,
 * {@link SlicedStreamWrites} slicing a large one. Event-loop confined.
 */
public final class LiteFetchWriter implements FetchWriter
{
    /** Reset code of a fetched group the cache does not hold (whole, from its start): DOES_NOT_EXIST's. */
    public static final long RESET_NOT_IN_CACHE = 0x10;

    /** Told once when the Fetch Stream ended (FIN or reset), to release the request. */
    public interface Ended
    {
        void fetchEnded(boolean complete);
    }

    private final MoqTransport transport;
    private final EgressLoop loop;
    private final LiteVersion version;
    private final QuicStreamChannel channel;
    private final Ended ended;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[LiteFrameEncoder.MAX_FRAME_HEADER]);
    private final FetchStreamWrites writes;
    private boolean started;
    /** The track's media timescale (its TIMESCALE property), 0 for none: see {@link LiteGroupWriter#frameTimestamp}. */
    private long timescale;
    private boolean done;
    /** lite-05: the previous frame's timestamp (the first frame's delta is from 0). */
    private long lastTimestamp;

    public LiteFetchWriter(final MoqTransport transport, final EgressLoop loop, final LiteVersion version,
        final QuicStreamChannel channel, final Ended ended)
    {
        this.transport = transport;
        this.loop = loop;
        this.writes = new FetchStreamWrites(loop);
        this.version = version;
        this.channel = channel;
        this.ended = ended;
        writes.channel = channel; // open already: the subscriber opened it
        // Behind the stream's reader (which consumes every read): the engine hears when the stream drains.
        channel.pipeline().addLast(new SubgroupStreamWriter.WritabilitySignal(loop));
    }

    /** The engine accepted the FETCH: frames may follow; {@code timescale} is the track's TIMESCALE (0: none). */
    public void start(final long timescale)
    {
        if (!done)
        {
            this.timescale = timescale;
            started = true;
            loop.signal();
        }
    }

    /** The subscriber cancelled (reset its side) or the session closed: nothing more is written. */
    public void cancel(final long code)
    {
        if (!done)
        {
            done = true;
            writes.dropSlicing();
            if (channel.isActive())
            {
                transport.resetStream(channel, code);
            }
        }
    }

    public boolean isDone()
    {
        return done;
    }

    @Override
    public boolean isWritable()
    {
        return done || (started && channel.isWritable() && !writes.holdsBack());
    }

    @Override
    public void writeObject(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int priority, final int status, final DirectBuffer buffer, final int propertiesOffset,
        final int propertiesLength, final int payloadOffset, final int payloadLength)
    {
        if (done || !started || status != ObjectStatus.NORMAL)
        {
            return;
        }
        final long timestamp = version.frameTimestamps() ? LiteGroupWriter.frameTimestamp(timescale, lastTimestamp,
            buffer, propertiesOffset, propertiesLength) : 0;
        final int h = LiteFrameEncoder.frameHeader(scratch, 0, version, payloadLength, timestamp, lastTimestamp);
        lastTimestamp = timestamp;
        final ByteBuf out = alloc.directBuffer(h + payloadLength).writeBytes(scratch.byteArray(), 0, h);
        if (payloadLength > 0)
        {
            buffer.getBytes(payloadOffset, out.nioBuffer(h, payloadLength), payloadLength);
            out.writerIndex(h + payloadLength);
        }
        writes.send(out);
    }

    /** Reads the relay's own properties: a lite-05 publisher's frame timestamps come back from them. */
    @Override
    public boolean readsRelayProperties()
    {
        return true;
    }

    @Override
    public void unknownRange(final long group, final long object)
    {
        reset(RESET_NOT_IN_CACHE);
    }

    @Override
    public void end()
    {
        if (done)
        {
            return;
        }
        done = true;
        writes.sendFin(null); // behind the frames, and behind the slices of a large one still going out
        ended.fetchEnded(true);
    }

    @Override
    public void reset(final StreamResetCode code)
    {
        reset(code.code());
    }

    private void reset(final long code)
    {
        if (done)
        {
            return;
        }
        cancel(code);
        ended.fetchEnded(false);
    }
}
