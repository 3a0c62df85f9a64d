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
 */
final class LiteUpstreamFetch extends DecodingReader implements LiteFrameHandler
{
    private final LiteSession session;
    private final UpstreamFetch fetch;
    private final List<KeyValuePair> trackProperties;
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

    LiteUpstreamFetch(final LiteSession session, final LiteUpstream budget, final UpstreamFetch fetch,
        final List<KeyValuePair> trackProperties, final int publisherPriority)
    {
        super(budget);
        this.session = session;
        this.fetch = fetch;
        this.trackProperties = trackProperties;
        this.publisherPriority = publisherPriority;
        this.timestamps = session.version.frameTimestamps();
        this.group = fetch.start().group();
        this.firstObject = fetch.start().object();
        this.endObject = fetch.end().object() == 0 ? Long.MAX_VALUE : fetch.end().object();
        this.decoder = new LiteFrameDecoder(session.version, LiteFrameDecoder.Mode.FETCH_REPLY, this, budget);
        this.gather = new ObjectGather(budget);
    }

    /** Opens the Fetch Stream and sends FETCH; event loop. */
    void send(final String path, final String track)
    {
        if (session.closed)
        {
            fetch.reject(RequestErrorCode.INTERNAL_ERROR, "publisher session closed");
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
            session.sendOpener(stream, LiteStreamType.FETCH, new Fetch(path, track,
                Math.max(0, Math.min(255, 255 - fetch.subscriberPriority())), group));
            // The requester's cancel (or the relay giving up) resets the relay's Fetch Stream, on its loop.
            fetch.onCancel(() -> session.transport.eventLoop().execute(() -> cancel(StreamResetCode.CANCELLED)));
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
        fetch.complete();
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
            fetch.accept(false, fetch.end(), trackProperties);
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
            fetch.reset(code);
        }
        else
        {
            fetch.reject(RequestErrorCode.DOES_NOT_EXIST, reason);
        }
    }

    /** The relay ends the fetch early: the requester's side as {@link #finish}, the Fetch Stream reset. */
    private void cancel(final StreamResetCode code)
    {
        finish(code, "fetch cancelled");
        stop();
        gather.release();
        if (stream != null && stream.isActive())
        {
            session.transport.resetStream(stream, code.code());
        }
    }
}
