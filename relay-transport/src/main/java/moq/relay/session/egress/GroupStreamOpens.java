package moq.relay.session.egress;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import moq.relay.fanout.EgressLoop;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.WaitingOpens;

/**
 * The stream opens of one subscription's writer, what {@link SubgroupStreamWriter} and {@link LiteGroupWriter} share:
 * each stream of a group is opened through the transport, ranked by subscriber then publisher priority
 * ({@link WaitingOpens#rank}); while its open waits for the subscriber's stream credit it is listed here, and once a
 * newer group of the subscription opens, the waiting opens of older groups are withdrawn (never opened: skipped, what
 * they were handed dropped). A stream's {@link Open} holds what is written to it before it opens and a reset asked for
 * meanwhile, and tells the stream how its open ended. Event loop.
 *
 * <p>Buffer ownership: a write handed to {@link Open#queue} is owned here until {@link Open#poll} hands it to the
 * opened stream, in order, or the stream will never open (or is reset first) and it is released; queued bytes are
 * counted across the writer ({@link UnopenedWrites}). Allocation per stream (issue #19: the video call opens a stream
 * per audio frame and subscriber): its {@link Open}, which is the open's listener and the stream's handler
 * (writability signal) in one, its queue only if something is written before the stream opens, and the transport's
 * future; none per object.
 */
final class GroupStreamOpens
{
    /** The writer's side of a stream, told how its open ended and of its channel's writability. */
    interface Opened
    {
        /**
         * The stream opened: the writes queued meanwhile are to be {@link Open#poll}ed from {@code open}, in order
         * (this may run before {@link #open} returns it, when the stream opens at once).
         */
        void opened(Open open, QuicStreamChannel channel);

        /**
         * The stream will never open (what was queued is released): {@code withdrawn} when a newer group superseded
         * it; otherwise {@code cause} says why (a refusal at the session's bound of waiting opens, a reset, the
         * session closing).
         */
        void neverOpened(boolean withdrawn, Throwable cause);

        /** The channel's writability (true once it is inactive). */
        void writability(boolean writable);
    }

    private final MoqTransport transport;
    private final EgressLoop loop;
    private final UnopenedWrites unopenedWrites = new UnopenedWrites();
    /** Opens waiting for stream credit (of ended streams too: they still carry their FIN). */
    private final ArrayList<Open> waiting = new ArrayList<>(4);
    private boolean anyGroup;
    private long newestGroup;

    GroupStreamOpens(final MoqTransport transport, final EgressLoop loop)
    {
        this.transport = transport;
        this.loop = loop;
    }

    /**
     * Opens a stream of {@code group}: first withdrawing the waiting opens of older groups if it is the newest, and
     * withdrawing its own at once if it is older than the newest (a late one would only wait to be stale).
     */
    Open open(final Opened stream, final long group, final int subscriberPriority, final int publisherPriority)
    {
        if (!anyGroup || Long.compareUnsigned(group, newestGroup) > 0)
        {
            anyGroup = true;
            newestGroup = group;
            supersede(group);
        }
        final Open open = new Open(stream, group);
        open.future = transport.openStream(QuicStreamType.UNIDIRECTIONAL, open,
            WaitingOpens.rank(subscriberPriority, publisherPriority));
        if (!open.future.isDone())
        {
            waiting.add(open);
        }
        open.future.addListener(open);
        if (Long.compareUnsigned(group, newestGroup) < 0 && !open.future.isDone())
        {
            open.withdraw();
        }
        return open;
    }

    /** Withdraws the waiting opens of groups before {@code group}: they are skipped, never opened. */
    private void supersede(final long group)
    {
        for (int i = waiting.size() - 1; i >= 0; i--)
        {
            if (i < waiting.size() && Long.compareUnsigned(waiting.get(i).group, group) < 0)
            {
                waiting.get(i).withdraw();
            }
        }
    }

    /** True beyond {@link UnopenedWrites#MAX_BYTES} queued: the writer takes no more objects until streams open. */
    boolean full()
    {
        return unopenedWrites.full();
    }

    /** Streams whose open waits for stream credit now. */
    int waiting()
    {
        return waiting.size();
    }

    /** The newest group a stream was opened for, or -1 before any (group ids are varints, below 2^62). */
    long newestGroup()
    {
        return anyGroup ? newestGroup : -1;
    }

    /**
     * One stream until it opens: its open, the writes handed to it meanwhile, a reset asked for meanwhile; and, as the
     * stream's handler, its writability signal for the stream's life.
     */
    final class Open extends SubgroupStreamWriter.WritabilitySignal
        implements GenericFutureListener<Future<QuicStreamChannel>>
    {
        private final Opened stream;
        private final long group;
        /** Writes handed over before the stream opened; made by the first (a stream with credit opens at once). */
        private ArrayDeque<ByteBuf> unopened;
        private Future<QuicStreamChannel> future;
        private boolean superseded;
        private long resetCode = -1;

        private Open(final Opened stream, final long group)
        {
            super(loop);
            this.stream = stream;
            this.group = group;
        }

        /** Queues {@code buf} until the stream opens; ownership passes here. */
        void queue(final ByteBuf buf)
        {
            if (unopened == null)
            {
                unopened = new ArrayDeque<>(4);
            }
            unopenedWrites.add(unopened, buf);
        }

        /** The next queued write, ownership passing to the caller; null when none is left. */
        ByteBuf poll()
        {
            return unopened == null ? null : unopenedWrites.poll(unopened);
        }

        /** True when nothing more is queued. */
        boolean drained()
        {
            return unopened == null || unopened.isEmpty();
        }

        private void discard()
        {
            if (unopened != null)
            {
                unopenedWrites.discard(unopened);
            }
        }

        private void withdraw()
        {
            superseded = true;
            if (!future.cancel(false))
            {
                superseded = false; // its stream is being created already: it goes out
            }
        }

        /**
         * Resets the stream with {@code code}: {@code channel}, once open (the writes still queued on it fail, so
         * their payload views are released now: a peer that stopped reading must not keep the track's log memory
         * held); before, what was queued is dropped and the open cancelled (one still waiting for credit is never
         * opened; one being created is reset as it opens).
         */
        void reset(final QuicStreamChannel channel, final long code)
        {
            if (channel != null)
            {
                transport.resetStream(channel, code);
                channel.close();
                return;
            }
            resetCode = code;
            discard();
            future.cancel(false);
        }

        @Override
        public void operationComplete(final Future<QuicStreamChannel> f)
        {
            waiting.remove(this);
            if (!f.isSuccess())
            {
                discard();
                stream.neverOpened(superseded, f.cause());
                return;
            }
            final QuicStreamChannel c = f.getNow();
            if (resetCode >= 0 || !c.isActive())
            {
                discard();
                if (resetCode >= 0)
                {
                    transport.resetStream(c, resetCode);
                }
                return;
            }
            stream.opened(this, c);
        }

        @Override
        protected void changed(final boolean writable)
        {
            stream.writability(writable);
        }
    }
}
