package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import moq.relay.fanout.StreamResetCode;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.PropertiesEncoding;
import moq.relay.fanout.FetchWriter;
import moq.relay.transport.session.MoqTransport;
import moq.relay.wire.Draft;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One FETCH's {@link FetchWriter}: a unidirectional stream with FETCH_HEADER, then the objects, FIN after the last
 * write. Unwritable until its stream is open, so the engine keeps the objects in the log meanwhile. Payloads are
 * copied into pooled direct buffers (the fetch views are valid during the call only; fetches are not the live hot
 * path), whose ownership passes to the stream's writes. These go through {@link SlicedStreamWrites}, as a subgroup
 * stream's do: an object above {@link SlicedStreamWrites#SLICE_BYTES} goes to QUIC in slices from successive
 * event-loop turns, later objects and the FIN behind it; too much behind it makes the writer unwritable. Event-loop
 * confined.
 */
public final class FetchStreamWriter implements FetchWriter
{
    /** Told when the fetch stream ended (FIN or reset), to release the request. */
    public interface Ended
    {
        void fetchEnded(boolean complete);
    }

    private final MoqTransport transport;
    private final EgressLoop loop;
    private final Draft draft;
    private final long requestId;
    private final boolean descending;
    private final Ended ended;
    private final FetchStreamEncoder encoder;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[FetchStreamEncoder.maxObjectHeaderLength(0)]);
    private QuicStreamChannel channel;
    /** The stream's writes after its FETCH_HEADER, large objects sliced; its channel is set once the stream opens. */
    private final FetchStreamWrites writes;
    private boolean done;
    /** A fill that failed: reset with this code right after the FETCH_HEADER (draft-21 §3.4.1); -1 if not. */
    private long resetAfterHeader = -1;
    /** A fill that may not wait upstream (FILL_TIMEOUT 0): what the cache lacks is an End of Timed-Out Range. */
    private boolean unknownIsTimedOut;
    /** The last object written (group, object), -1 before the first: where a fill that gives up waiting goes on. */
    private long lastGroup = -1;
    private long lastObject;

    public FetchStreamWriter(final MoqTransport transport, final EgressLoop loop, final Draft draft, final long requestId,
        final boolean descending, final Ended ended)
    {
        this.transport = transport;
        this.loop = loop;
        this.writes = new FetchStreamWrites(loop);
        this.draft = draft;
        this.requestId = requestId;
        this.descending = descending;
        this.ended = ended;
        this.encoder = new FetchStreamEncoder(draft);
    }

    /** FETCH_OK went out: open the stream; objects follow once it is open. */
    public void start()
    {
        transport.openStream(QuicStreamType.UNIDIRECTIONAL, new SubgroupStreamWriter.WritabilitySignal(loop))
            .addListener(f ->
            {
                if (!f.isSuccess())
                {
                    done = true; // the engine sees an unwritable fetch; the session's close releases it
                    ended.fetchEnded(false);
                    return;
                }
                channel = (QuicStreamChannel)f.getNow();
                writes.channel = channel;
                if (done)
                {
                    transport.resetStream(channel, StreamResetCode.CANCELLED.code());
                    return;
                }
                final UnsafeBuffer header = new UnsafeBuffer(new byte[FetchStreamEncoder.MAX_STREAM_HEADER_LENGTH]);
                final int n = encoder.writeHeader(draft, header, 0, requestId, descending);
                final ChannelFuture written = channel.writeAndFlush(alloc.directBuffer(n).writeBytes(header.byteArray(),
                    0, n));
                if (resetAfterHeader >= 0)
                {
                    final QuicStreamChannel c = channel;
                    final long code = resetAfterHeader;
                    written.addListener(x -> transport.resetStream(c, code));
                    done = true;
                    ended.fetchEnded(false);
                    return;
                }
                loop.signal();
            });
    }

    /**
     * A fill with FILL_TIMEOUT 0 reports the objects the cache no longer holds as timed out (draft-21 §9.20.6: End of
     * Timed-Out Range), not unknown; set before {@link #start}.
     */
    public void reportUnknownAsTimedOut()
    {
        unknownIsTimedOut = true;
    }

    /**
     * A fill fetch stream that cannot be served (started already): "open a fill fetch stream and reset it immediately
     * after the FETCH_HEADER" with {@code code} (draft-21 §3.4.1; a fill has no error answer). A stream not yet open
     * is reset once its header is written.
     */
    public void resetAfterHeader(final long code)
    {
        if (channel == null && !done)
        {
            resetAfterHeader = code;
        }
        else
        {
            cancel(code);
        }
    }

    /** The subscriber cancelled the fetch. */
    public void cancel()
    {
        cancel(StreamResetCode.CANCELLED.code());
    }

    /** The fetch ends, its stream reset with {@code code} (a grant's expiry: EXPIRED_AUTH_TOKEN). */
    public void cancel(final long code)
    {
        if (!done)
        {
            done = true;
            if (channel != null)
            {
                writes.dropSlicing();
                transport.resetStream(channel, code);
            }
        }
    }

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
        return done || (channel != null && channel.isWritable() && !writes.holdsBack());
    }

    @Override
    public void writeObject(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int priority,
        final int status, final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength,
        final int payloadOffset, final int payloadLength)
    {
        writeObject(group, subgroup, datagram, objectId, priority, status, buffer, propertiesOffset, propertiesLength,
            buffer, payloadOffset, payloadLength);
    }

    /** The properties are copied into the object header during the call ({@code properties} may be the loop's). */
    @Override
    public void writeObject(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int priority, final int status, final DirectBuffer properties, final int propertiesOffset,
        final int propertiesLength, final DirectBuffer buffer, final int payloadOffset, final int payloadLength)
    {
        if (done || channel == null || (status != ObjectStatus.NORMAL && draft.atLeast(18)))
        {
            return; // draft-18 fetch objects carry no status: End of Group / Track markers are left out
        }
        final int max = FetchStreamEncoder.maxObjectHeaderLength(propertiesLength);
        if (scratch.capacity() < max)
        {
            scratch = new UnsafeBuffer(new byte[max]);
        }
        final int n = encoder.writeObject(scratch, 0, group, subgroup, datagram, objectId, priority, status,
            propertiesLength == 0 ? null : properties, propertiesOffset, propertiesLength, payloadLength);
        final ByteBuf out = alloc.directBuffer(n + payloadLength);
        out.writeBytes(scratch.byteArray(), 0, n);
        out.writeBytes(buffer.byteBuffer() != null ? duplicate(buffer, payloadOffset, payloadLength) :
            java.nio.ByteBuffer.wrap(buffer.byteArray(), payloadOffset, payloadLength));
        writes.send(out);
        lastGroup = group;
        lastObject = objectId;
    }

    /**
     * The first location after the last object written, or {@code start} before any (ascending fetches: a fill that
     * stops waiting for the publisher serves the rest of its range from there). Event loop.
     */
    public moq.relay.wire.Location resumeFrom(final moq.relay.wire.Location start)
    {
        return lastGroup == -1 ? start : new moq.relay.wire.Location(lastGroup, lastObject + 1);
    }

    /** Whether the stream ended (FIN or reset) or was cancelled: nothing more is written. */
    public boolean isDone()
    {
        return done;
    }

    private static java.nio.ByteBuffer duplicate(final DirectBuffer buffer, final int offset, final int length)
    {
        final int start = buffer.wrapAdjustment() + offset;
        return buffer.byteBuffer().duplicate().limit(start + length).position(start);
    }

    @Override
    public void unknownRange(final long group, final long object)
    {
        if (done || channel == null || !draft.atLeast(18))
        {
            return;
        }
        final int n = unknownIsTimedOut && draft.atLeast(20) ?
            encoder.writeEndOfTimedOutRange(scratch, 0, group, object) :
            encoder.writeEndOfRange(scratch, 0, group, object, true);
        writes.send(alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n));
    }

    @Override
    public void nonexistentRange(final long group, final long object)
    {
        if (done || channel == null || !draft.atLeast(18))
        {
            return;
        }
        final int n = encoder.writeEndOfRange(scratch, 0, group, object, false);
        writes.send(alloc.directBuffer(n).writeBytes(scratch.byteArray(), 0, n));
    }

    @Override
    public void end()
    {
        if (done)
        {
            return;
        }
        done = true;
        if (channel != null)
        {
            writes.sendFin(null); // behind the objects, and behind the slices of a large one still going out
        }
        ended.fetchEnded(true);
    }

    @Override
    public void reset(final StreamResetCode code)
    {
        if (done)
        {
            return;
        }
        done = true;
        if (channel != null)
        {
            writes.dropSlicing();
            transport.resetStream(channel, code.code());
            channel.close();
        }
        ended.fetchEnded(false);
    }
}
