package moq.relay.transport.session;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Promise;

/**
 * Stream opens waiting for one QUIC connection's stream credit, served in the order of draft 18 §"Priorities"
 * rather than in arrival order: unranked opens (control, request and fetch streams) first, then the lowest
 * {@link #rank} (subscriber priority, then publisher priority), then the earliest arrival. Group order needs no key
 * here: a subscription's subgroup writer withdraws a waiting open once a newer group supersedes it, so the waiting
 * opens of one subscription are all of its newest group.
 * <p>
 * Bound: each owner (a MoQT session) has at most {@code maxPerOwner} opens waiting, of both directions. At the bound
 * the owner's open that the order would serve last gives way: the new one, or a waiting one of the same direction
 * ranked after it, which then fails with {@link OpenRefusedException}. A waiting open whose promise is cancelled
 * leaves the queue at once; one taken by {@link #poll} is made uncancellable (its stream is being created).
 * <p>
 * Allocation: one entry (and its tree node) per open, none per object. Event-loop confined.
 *
 * @param <O> the owner: the MoQT session's transport
 */
public final class WaitingOpens<O>
{
    /** The rank of opens that go before every subgroup stream. */
    public static final int UNRANKED = -1;

    private static final Comparator<Open<?>> ORDER = (a, b) ->
        a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Long.compare(a.seq, b.seq);

    private final int maxPerOwner;
    private final TreeSet<Open<O>> uni = new TreeSet<>(ORDER);
    private final TreeSet<Open<O>> bidi = new TreeSet<>(ORDER);
    private final Map<O, int[]> waiting = new HashMap<>();
    private long nextSeq;
    private long refused;

    public WaitingOpens(final int maxPerOwner)
    {
        this.maxPerOwner = maxPerOwner;
    }

    /** A subgroup stream's rank: subscriber priority, then publisher priority (each 0..255, lower first). */
    public static int rank(final int subscriberPriority, final int publisherPriority)
    {
        return (subscriberPriority & 0xFF) << 8 | (publisherPriority & 0xFF);
    }

    /** Queues an open of {@code owner}; at its bound, the owner's last open in the order is refused (maybe this). */
    public void add(final O owner, final QuicStreamType type, final int rank, final ChannelHandler handler,
        final Promise<QuicStreamChannel> promise)
    {
        final Open<O> open = new Open<>(owner, type, rank, nextSeq++, handler, promise);
        final int[] count = waiting.computeIfAbsent(owner, o -> new int[1]);
        if (count[0] >= maxPerOwner)
        {
            final Open<O> last = lastOf(owner, type);
            if (last == null || ORDER.compare(last, open) < 0)
            {
                refuse(promise);
                return;
            }
            leave(last);
            refuse(last.promise);
        }
        queue(type).add(open);
        count[0]++;
        promise.addListener(f ->
        {
            if (f.isCancelled())
            {
                leave(open); // withdrawn while it waited (superseded, or its subgroup reset): no stream id spent
            }
        });
    }

    /** The next open of {@code type} to create, no longer cancellable; null when none waits. */
    public Open<O> poll(final QuicStreamType type)
    {
        final TreeSet<Open<O>> q = queue(type);
        Open<O> open;
        while ((open = q.pollFirst()) != null)
        {
            left(open.owner);
            if (open.promise.setUncancellable())
            {
                return open;
            }
        }
        return null;
    }

    public boolean isEmpty(final QuicStreamType type)
    {
        return queue(type).isEmpty();
    }

    /** Opens of {@code owner} waiting now. */
    public int waiting(final O owner)
    {
        final int[] count = waiting.get(owner);
        return count == null ? 0 : count[0];
    }

    /** Opens refused at an owner's bound so far. */
    public long refused()
    {
        return refused;
    }

    /** Fails every waiting open of {@code owner} (every owner's if null): its session or connection closed. */
    public void failAll(final O owner, final Throwable cause)
    {
        for (final TreeSet<Open<O>> q : java.util.List.of(uni, bidi))
        {
            final Iterator<Open<O>> it = q.iterator();
            while (it.hasNext())
            {
                final Open<O> open = it.next();
                if (owner == null || open.owner == owner)
                {
                    it.remove();
                    left(open.owner);
                    open.promise.tryFailure(cause);
                }
            }
        }
    }

    private Open<O> lastOf(final O owner, final QuicStreamType type)
    {
        final Iterator<Open<O>> it = queue(type).descendingIterator();
        while (it.hasNext())
        {
            final Open<O> open = it.next();
            if (open.owner == owner)
            {
                return open;
            }
        }
        return null;
    }

    private void refuse(final Promise<QuicStreamChannel> promise)
    {
        refused++;
        promise.tryFailure(new OpenRefusedException(maxPerOwner));
    }

    private void leave(final Open<O> open)
    {
        if (queue(open.type).remove(open))
        {
            left(open.owner);
        }
    }

    private void left(final O owner)
    {
        final int[] count = waiting.get(owner);
        if (count != null && --count[0] == 0)
        {
            waiting.remove(owner);
        }
    }

    private TreeSet<Open<O>> queue(final QuicStreamType type)
    {
        return type == QuicStreamType.BIDIRECTIONAL ? bidi : uni;
    }

    /** One waiting open: the caller creates the stream with {@code handler} and completes {@code promise}. */
    public static final class Open<O>
    {
        private final O owner;
        private final QuicStreamType type;
        private final int rank;
        private final long seq;
        private final ChannelHandler handler;
        private final Promise<QuicStreamChannel> promise;

        Open(final O owner, final QuicStreamType type, final int rank, final long seq, final ChannelHandler handler,
            final Promise<QuicStreamChannel> promise)
        {
            this.owner = owner;
            this.type = type;
            this.rank = rank;
            this.seq = seq;
            this.handler = handler;
            this.promise = promise;
        }

        public O owner()
        {
            return owner;
        }

        public ChannelHandler handler()
        {
            return handler;
        }

        public Promise<QuicStreamChannel> promise()
        {
            return promise;
        }
    }

    /** The open was refused: its session already has as many opens waiting, none ranked after it. */
    public static final class OpenRefusedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        OpenRefusedException(final int max)
        {
            super(max + " stream opens of the session already wait for stream credit", null, false, false);
        }
    }
}
