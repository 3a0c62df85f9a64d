package moq.relay.session.lite;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamFetch;
import moq.relay.fanout.StreamResetCode;
import moq.relay.session.ingest.ObjectGather;
import moq.relay.transport.session.DecodingReader;
import moq.relay.wire.data.StreamDecoder;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.lite.Fetch;
import moq.relay.wire.lite.LiteFrameDecoder;
import moq.relay.wire.lite.LiteFrameHandler;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteTimestamps;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The engine's upstream FETCH asked of a moq-lite publisher (every version has the Fetch Stream, 03 §"Fetch"), as a
 * MoQT session asks its publisher (docs/engine.md "Upstream FETCH"): a range within one group g becomes
 * FETCH(broadcast, track, priority 255 - the requester's, g) on a Fetch Stream of the relay's own; the reply's bare
 * FRAMEs are the group's objects 0, 1, ... (subgroup 0, Normal; lite-05: the frame's timestamp as its TIMESTAMP
 * property, draft-18 form), those inside the range relayed to the requester. moq-lite has no FETCH_OK: the first
 * frame (or a FIN with none) accepts the fetch, with the track properties the publisher's TRACK_INFO gave (its
 * timescale); the publisher's FIN completes it. A reset before any frame refuses it with DOES_NOT_EXIST (the cache then
 * serves what it holds), after: the requester's stream is reset. A frame spanning reads is gathered
 * ({@link ObjectGather}, charged to the session's stream budget; a refused growth resets both streams with
 * EXCESSIVE_LOAD). The requester's cancel resets the relay's Fetch Stream. Releases every ByteBuf it reads
 * ({@link DecodingReader}). Event-loop confined.
 * <p>
 * One group of a range ({@link LiteRangeFetch}) reports its acceptance, FIN and resets to that range's
 * {@link Outcome} instead, and is opened held (auto-read off: QUIC's stream credit bounds what the publisher sends
 * ahead) until its group is next in the range's order ({@link #read}), so its objects reach the fetch in order.
 */
final class LiteUpstreamFetch extends DecodingReader implements LiteFrameHandler
{
    /** How one group's Fetch Stream ended, told to whoever asked it (every call at most once, none after another). */
    interface Outcome
    {
        /** Before the group's first object: the publisher answers (its first frame, or a FIN with none). */
        void accepted();

        /** The publisher's FIN after the group's last frame. */
        void completed();

        /** Reset (or not opened) before any frame: the publisher does not have the group ({@code code} the answer). */
        void refused(RequestErrorCode code, String reason);

        /** Reset after frames, or the relay gave up ({@code code}: the requester's stream reset). */
        void reset(StreamResetCode code);
    }

    private final LiteSession session;
    private final UpstreamFetch fetch;
    private final Outcome outcome;
    /** Registers with the fetch's cancel (a whole fetch); a range's group is cancelled by its range. */
    private final boolean ownsCancel;
    private final int publisherPriority;
    private final boolean timestamps;
    private final long group;
    private final long firstObject;
    /** The first object past the range (exclusive), Long.MAX_VALUE for the whole group. */
    private final long endObject;
    private final LiteFrameDecoder decoder;
    private final ObjectGather gather;
    private final UnsafeBuffer timestampScratch = new UnsafeBuffer(new byte[LiteTimestamps.MAX_PROPERTY_LENGTH]);
    private QuicStreamChannel stream;
    private long frameIndex;
    private int frameLength;
    private int frameReceived;
    private long frameTimestamp;
    private boolean gathered;
    private boolean accepted;
    private boolean done;
    /** Auto-read is on (a held group's stream is read only once its turn comes). */
    private boolean reading;

    /** The engine's fetch of a range within one group: the answer is the fetch's. */
    LiteUpstreamFetch(final LiteSession session, final LiteUpstream budget, final UpstreamFetch fetch,
        final List<KeyValuePair> trackProperties, final int publisherPriority)
    {
        this(session, budget, fetch, publisherPriority, fetch.start().group(), fetch.start().object(),
            fetch.end().object() == 0 ? Long.MAX_VALUE : fetch.end().object(), new Whole(fetch, trackProperties), true);
    }

    /**
     * Group {@code group}'s objects in {@code [firstObject, endObject)} for {@code fetch}, its ends told to
     * {@code outcome}; held until {@link #read} when {@code !ownsCancel}.
     */
    LiteUpstreamFetch(final LiteSession session, final LiteUpstream budget, final UpstreamFetch fetch,
        final int publisherPriority, final long group, final long firstObject, final long endObject,
        final Outcome outcome, final boolean ownsCancel)
    {
        super(budget);
        this.session = session;
        this.fetch = fetch;
        this.outcome = outcome;
        this.ownsCancel = ownsCancel;
        this.reading = ownsCancel;
        this.publisherPriority = publisherPriority;
        this.timestamps = session.version.frameTimestamps();
        this.group = group;
        this.firstObject = firstObject;
        this.endObject = endObject;
        this.decoder = new LiteFrameDecoder(session.version, LiteFrameDecoder.Mode.FETCH_REPLY, this, budget);
        this.gather = new ObjectGather(budget);
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        if (!reading)
        {
            ctx.channel().config().setAutoRead(false); // before it is active: nothing is read until its turn
        }
    }

    /** Whether {@link #read} was called (or the stream was never held). */
    boolean reading()
    {
        return reading;
    }

    /** Its group's turn: the stream is read (now, or once it is open). */
    void read()
    {
        if (!reading)
        {
            reading = true;
            if (stream != null)
            {
                stream.config().setAutoRead(true);
            }
        }
    }

    /** Opens the Fetch Stream and sends FETCH; event loop. */
    void send(final String path, final String track)
    {
        if (session.closed)
        {
            done = true;
            outcome.refused(RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
            return;
        }
        session.transport.openStream(io.netty.handler.codec.quic.QuicStreamType.BIDIRECTIONAL, this).addListener(f ->
        {
            if (!f.isSuccess())
            {
                finish(StreamResetCode.INTERNAL_ERROR, "could not open a Fetch Stream");
                return;
            }
            stream = (QuicStreamChannel)f.getNow();
            if (done)
            {
                session.transport.resetStream(stream, StreamResetCode.CANCELLED.code()); // cancelled while opening
                return;
            }
            session.sendOpener(stream, LiteStreamType.FETCH, new Fetch(path, track,
                Math.max(0, Math.min(255, 255 - fetch.subscriberPriority())), group));
            if (reading)
            {
                stream.config().setAutoRead(true);
            }
            if (ownsCancel)
            {
                // The requester's cancel (or the relay giving up) resets the relay's Fetch Stream, on its loop.
                fetch.onCancel(() -> session.transport.eventLoop().execute(() -> cancel(StreamResetCode.CANCELLED)));
            }
        });
    }

    @Override
    protected StreamDecoder decoder()
    {
        return decoder;
    }

    @Override
    protected boolean closesAtFin()
    {
        return true; // the reply is over: the relay's side has nothing more to say
    }

    @Override
    protected void abandoned(final ChannelHandlerContext ctx)
    {
        cancel(StreamResetCode.EXCESSIVE_LOAD);
    }

    @Override
    protected void gone(final ChannelHandlerContext ctx)
    {
        gather.release();
        finish(StreamResetCode.CANCELLED, "the publisher reset its Fetch Stream"); // no-op after its FIN
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        // The publisher's reset surfaces here; netty-quic keeps the stream open while the relay's side is: close it,
        // so the fetch ends now (gone), not with the connection.
        if (cause instanceof io.netty.handler.codec.quic.QuicStreamResetException)
        {
            ctx.close();
        }
    }

    @Override
    public void onGroup(final long subscribeId, final long sequence)
    {
        // FETCH_REPLY mode: no GROUP, the group is the one asked.
    }

    @Override
    public void onFrame(final long length, final long timestamp)
    {
        if (done)
        {
            return;
        }
        accept();
        frameTimestamp = timestamp;
        frameLength = (int)Math.min(length, Integer.MAX_VALUE);
        frameReceived = 0;
        gathered = false;
        if (inRange())
        {
            gather.start(frameLength);
        }
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (done || !inRange())
        {
            return;
        }
        if (frameReceived == 0 && length == frameLength)
        {
            frameReceived = length;
            relay(buffer, offset, length); // in one piece: no gathering
            return;
        }
        if (!gather.append(buffer, offset, length))
        {
            cancel(StreamResetCode.EXCESSIVE_LOAD);
            return;
        }
        frameReceived += length;
        gathered = true;
    }

    @Override
    public void onFrameEnd()
    {
        if (!done && inRange())
        {
            if (frameLength == 0)
            {
                relay(null, 0, 0);
            }
            else if (gathered && frameReceived == frameLength)
            {
                relay(gather.buffer(), 0, frameLength);
            }
        }
        gathered = false;
        frameIndex++;
    }

    @Override
    public void onStreamEnd()
    {
        if (done)
        {
            return;
        }
        accept();
        done = true;
        outcome.completed();
    }

    private boolean inRange()
    {
        return frameIndex >= firstObject && frameIndex < endObject;
    }

    private void accept()
    {
        if (!accepted)
        {
            accepted = true;
            outcome.accepted();
        }
    }

    private void relay(final DirectBuffer payload, final int offset, final int length)
    {
        final int n = timestamps ? LiteTimestamps.write(timestampScratch, 0, frameTimestamp) : 0;
        if (!fetch.object(group, 0, false, frameIndex, publisherPriority, 0, timestampScratch, 0, n,
            payload == null ? timestampScratch : payload, offset, length))
        {
            cancel(StreamResetCode.CANCELLED); // the fetch is over (cancelled, or reset for its memory bound)
        }
    }

    /** Ends the fetch with the publisher's stream gone: refused before any frame, else the requester's reset. */
    private void finish(final StreamResetCode code, final String reason)
    {
        if (done)
        {
            return;
        }
        done = true;
        if (accepted)
        {
            outcome.reset(code);
        }
        else
        {
            outcome.refused(RequestErrorCode.DOES_NOT_EXIST, reason);
        }
    }

    /** The relay ends the fetch early: the requester's side as {@link #finish}, the Fetch Stream reset. */
    void cancel(final StreamResetCode code)
    {
        finish(code, "fetch cancelled");
        stop();
        gather.release();
        if (stream != null && stream.isActive())
        {
            session.transport.resetStream(stream, code.code());
        }
    }

    /** A whole fetch's outcome: its FETCH_OK (the range asked, TRACK_INFO's properties), FIN, refusal or reset. */
    private record Whole(UpstreamFetch fetch, List<KeyValuePair> trackProperties) implements Outcome
    {
        @Override
        public void accepted()
        {
            fetch.accept(false, fetch.end(), trackProperties);
        }

        @Override
        public void completed()
        {
            fetch.complete();
        }

        @Override
        public void refused(final RequestErrorCode code, final String reason)
        {
            fetch.reject(code, reason);
        }

        @Override
        public void reset(final StreamResetCode code)
        {
            fetch.reset(code);
        }
    }
}
