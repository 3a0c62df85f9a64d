package moq.relay.fanout;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * The deliveries of one track on one egress loop, and that loop's hold on the track log: the lowest position any of
 * them may still read (see {@link LogHolder}). Owned by the egress loop thread; {@link #heldFrom()} is read by ingest.
 */
final class TrackFanout implements LogHolder
{
    final int trackId;
    final TrackLog log;
    final EgressLoop loop;
    private Delivery[] deliveries = new Delivery[4];
    private int count;
    private int subscriptions;
    private volatile long heldFrom = NOTHING_HELD;
    /** Set by ingest when records were committed without a ring event; cleared by the loop before it pumps. */
    private final AtomicBoolean missed = new AtomicBoolean();
    boolean dirty;

    TrackFanout(final int trackId, final TrackLog log, final EgressLoop loop)
    {
        this.trackId = trackId;
        this.log = log;
        this.loop = loop;
    }

    @Override
    public void signal()
    {
        loop.signal();
    }

    /**
     * Ingest thread, ring full: queue this fan-out once for a pump on its loop. The CAS is a full fence, so either the
     * loop has not cleared the flag yet (its pump, after the clear, sees our committed records) or we queue it again.
     */
    @Override
    public void missedEvent()
    {
        if (missed.compareAndSet(false, true))
        {
            loop.missed(this);
        }
    }

    /** Loop thread, before pumping a missed fan-out: later missed events queue it again. */
    void clearMissed()
    {
        missed.set(false);
        VarHandle.fullFence(); // the clear before the pump's read of the committed end (Dekker with missedEvent)
    }

    @Override
    public long heldFrom()
    {
        return heldFrom;
    }

    int count()
    {
        return count;
    }

    void add(final Delivery d)
    {
        if (count == deliveries.length)
        {
            deliveries = Arrays.copyOf(deliveries, count * 2);
        }
        deliveries[count++] = d;
        d.fanout = this;
        if (d instanceof SubscriptionDelivery)
        {
            subscriptions++;
        }
        heldFrom = Math.min(heldFrom, d.holdFrom()); // publish the hold before reading (volatile store then load)
        d.onAdded();
    }

    /** Recomputes the hold and drops finished deliveries. */
    void refresh()
    {
        long min = NOTHING_HELD;
        int j = 0;
        for (int i = 0; i < count; i++)
        {
            final Delivery d = deliveries[i];
            if (d.finished)
            {
                if (d instanceof SubscriptionDelivery)
                {
                    subscriptions--;
                }
                continue;
            }
            min = Math.min(min, d.holdFrom());
            deliveries[j++] = d;
        }
        for (int i = j; i < count; i++)
        {
            deliveries[i] = null;
        }
        count = j;
        heldFrom = min;
    }

    /**
     * New records (an event of the ring): pump the subscriptions whose session has nothing queued up to the log's
     * committed end, queue the others. The committed end covers the event's record and whatever was committed since:
     * records whose events are still behind in the ring go out now (those events then find nothing new); above all,
     * an object and the subgroup end committed right after it (the publisher's last object and FIN, in one read)
     * reach the writer in one pump, so they can leave in one send. Records below the committed end are fully
     * written, and this fan-out's hold keeps them from reuse.
     */
    void onAppended(final int batch)
    {
        long min = NOTHING_HELD;
        boolean anyFinished = false;
        final long end = log.committed();
        final long floor = log.floor();
        final Delivery[] ds = deliveries;
        for (int i = 0, n = count; i < n; i++)
        {
            final Delivery d = ds[i];
            if (d instanceof SubscriptionDelivery)
            {
                final SubscriptionDelivery s = (SubscriptionDelivery)d;
                try
                {
                    if (!s.finished && s.onAppended(end, floor, batch))
                    {
                        s.session.markPending(s);
                    }
                }
                catch (final RuntimeException ex)
                {
                    Delivery.failed(s, ex);
                }
            }
            anyFinished |= d.finished;
            min = Math.min(min, d.holdFrom());
        }
        if (anyFinished)
        {
            refresh();
        }
        else
        {
            heldFrom = min;
        }
    }

    boolean hasSubscriptions()
    {
        return subscriptions > 0;
    }
}
