package moq.relay.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import moq.relay.wire.lite.LiteFrameEncoder;
import moq.relay.wire.lite.SubscribeEnd;
import moq.relay.wire.lite.SubscribeStart;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One track a {@link LiteClient} publishes: each frame goes to every current subscriber (the relay's SUBSCRIBEs for
 * the track) on that subscriber's Group Stream for the frame's group, opened at the group's first frame (GROUP
 * header) and FINed at {@link #endGroup}. lite-05: SUBSCRIBE_START names the first group served, SUBSCRIBE_END the
 * group after the last one at {@link #finish}; frames carry the client's clock in µs (timescale 1,000,000). The
 * caller's thread hands {@code ByteBuf}s over (ownership passes); the writes happen on the connection's event loop.
 */
public final class LiteTrackWriter
{
    /** lite-05 frame timestamp units per second: the client's clock in µs. */
    static final long TIMESCALE = 1_000_000;
    private static final long EPOCH_MICROS = System.currentTimeMillis() * 1000;
    private static final long EPOCH_NANOS = System.nanoTime();

    private final LiteClient client;
    final String broadcast;
    final String track;
    final int priority;
    private final List<Outgoing> subscribers = new ArrayList<>();
    private final CompletableFuture<Void> firstSubscriber = new CompletableFuture<>();
    private final AtomicLong queued = new AtomicLong();

    LiteTrackWriter(final LiteClient client, final String broadcast, final String track, final int priority)
    {
        this.client = client;
        this.broadcast = broadcast;
        this.track = track;
        this.priority = priority;
    }

    /** Completes when the relay first subscribes. */
    public CompletableFuture<Void> firstSubscriber()
    {
        return firstSubscriber;
    }

    /** Bytes handed over by {@link #frame} and not yet passed to the streams (for the caller's back-pressure). */
    public long queuedBytes()
    {
        return queued.get();
    }

    /** One frame of {@code group}; takes ownership of {@code payload}. Groups go in increasing order. */
    public void frame(final long group, final ByteBuf payload)
    {
        queued.addAndGet(payload.readableBytes());
        client.eventLoop().execute(() ->
        {
            final long timestamp = EPOCH_MICROS + (System.nanoTime() - EPOCH_NANOS) / 1000;
            for (final Outgoing o : subscribers)
            {
                o.frame(group, timestamp, payload.retainedDuplicate());
            }
            queued.addAndGet(-payload.readableBytes());
            payload.release();
        });
    }

    /** The group is complete: every subscriber's Group Stream for it is FINed. */
    public void endGroup(final long group)
    {
        client.eventLoop().execute(() ->
        {
            for (final Outgoing o : subscribers)
            {
                o.endGroup(group);
            }
        });
    }

    /** The track ended: lite-05's SUBSCRIBE_END, then the FIN of every Subscribe Stream. */
    public void finish()
    {
        client.eventLoop().execute(() ->
        {
            for (final Outgoing o : new ArrayList<>(subscribers))
            {
                o.finish();
            }
            subscribers.clear();
        });
    }

    Outgoing add(final long subscribeId, final QuicStreamChannel stream)
    {
        final Outgoing o = new Outgoing(subscribeId, stream);
        subscribers.add(o);
        firstSubscriber.complete(null);
        return o;
    }

    /** One subscriber of the track. Event loop. */
    final class Outgoing
    {
        private final long id;
        private final QuicStreamChannel subscribeStream;
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[LiteFrameEncoder.MAX_GROUP_STREAM_HEADER +
            LiteFrameEncoder.MAX_FRAME_HEADER]);
        private Future<QuicStreamChannel> current;
        private long currentGroup = -1;
        private long highestGroup = -1;
        private long lastTimestamp;
        private boolean started;

        Outgoing(final long id, final QuicStreamChannel subscribeStream)
        {
            this.id = id;
            this.subscribeStream = subscribeStream;
        }

        void frame(final long group, final long timestamp, final ByteBuf payload)
        {
            int n = 0;
            if (group != currentGroup)
            {
                endGroup(currentGroup);
                if (!started && client.version.subscribeStartEnd())
                {
                    client.send(subscribeStream, new SubscribeStart(group));
                }
                started = true;
                currentGroup = group;
                highestGroup = Math.max(highestGroup, group);
                lastTimestamp = 0;
                current = client.openStream(QuicStreamType.UNIDIRECTIONAL, moq.relay.transport.session.DiscardInbound.INSTANCE);
                n = LiteFrameEncoder.groupStreamHeader(scratch, 0, id, group);
            }
            final long ts = Math.max(timestamp, lastTimestamp);
            n += LiteFrameEncoder.frameHeader(scratch, n, client.version, payload.readableBytes(), ts, lastTimestamp);
            lastTimestamp = ts;
            write(current, Unpooled.wrappedBuffer(Unpooled.copiedBuffer(scratch.byteArray(), 0, n), payload), false);
        }

        void endGroup(final long group)
        {
            if (current != null && group == currentGroup)
            {
                write(current, Unpooled.EMPTY_BUFFER, true);
                current = null;
                currentGroup = -1;
            }
        }

        void finish()
        {
            endGroup(currentGroup);
            if (client.version.subscribeStartEnd() && started)
            {
                client.send(subscribeStream, new SubscribeEnd(highestGroup + 1));
            }
            LiteClient.fin(subscribeStream);
        }

        void remove()
        {
            subscribers.remove(this);
            if (current != null)
            {
                final Future<QuicStreamChannel> f = current;
                f.addListener(x ->
                {
                    if (f.isSuccess())
                    {
                        f.getNow().shutdownOutput(0x0);
                    }
                });
                current = null;
            }
        }

        /** Writes behind the stream's opening, in order (listeners run in registration order on the loop). */
        private void write(final Future<QuicStreamChannel> stream, final ByteBuf bytes, final boolean fin)
        {
            if (!stream.isDone())
            {
                stream.addListener(x -> write(stream, bytes, fin));
                return;
            }
            if (!stream.isSuccess() || !stream.getNow().isActive())
            {
                bytes.release();
                return;
            }
            stream.getNow().writeAndFlush(fin ? new io.netty.handler.codec.quic.DefaultQuicStreamFrame(bytes, true) :
                bytes);
        }
    }
}
