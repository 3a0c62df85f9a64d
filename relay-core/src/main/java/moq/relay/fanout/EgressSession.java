package moq.relay.fanout;

import java.util.ArrayList;
import moq.relay.wire.data.ObjectStatus;

/**
 * One downstream connection's view on its egress loop: the deliveries that have a backlog, served one object at a time
 * while its writers are writable. The next object is the one with the lowest subscriber priority number, then the
 * lowest publisher priority number (each delivery offers its own highest-precedence pending object: see
 * {@link SubscriptionDelivery} for group order and subgroup ID within a subscription). Deliveries that tie on both
 * (the draft leaves their order to the implementation) take turns, so every one of them progresses.
 * Owned by the egress loop thread.
 */
public final class EgressSession
{
    final EgressLoop loop;
    private final ArrayList<Delivery> pending = new ArrayList<>();
    private boolean queued;
    private int turn; // where the next scan starts, so equal-priority deliveries take turns
    /** Objects and payload bytes written to this session (plain: written by the loop, read racily at its end). */
    private long objectsOut;
    private long bytesOut;
    private final EgressCounters counters;

    EgressSession(final EgressLoop loop)
    {
        this.loop = loop;
        this.counters = loop.counters();
    }

    /**
     * An object of {@code status} and {@code payloadBytes} was handed to one of this session's writers (loop thread).
     * Only Normal objects count: a status object (End of Group, End of Track, Does Not Exist) says that objects do not
     * exist, and counting it made a call of one-object audio groups report some 1.6 objects per frame (issue #19).
     */
    void objectOut(final int status, final int payloadBytes)
    {
        if (status != ObjectStatus.NORMAL)
        {
            return;
        }
        objectsOut++;
        bytesOut += payloadBytes;
        counters.objectOut(payloadBytes);
    }

    /** Normal objects written to this session's subscriptions and fetches (status objects not counted); racy read. */
    public long objectsOut()
    {
        return objectsOut;
    }

    /** Payload bytes of {@link #objectsOut()}; racy read. */
    public long bytesOut()
    {
        return bytesOut;
    }

    public EgressLoop loop()
    {
        return loop;
    }

    int pendingCount()
    {
        return pending.size();
    }

    void markPending(final Delivery d)
    {
        if (!d.pending)
        {
            d.pending = true;
            pending.add(d);
        }
        if (!queued)
        {
            queued = true;
            loop.queuePending(this);
        }
    }

    /**
     * Serves backlogs in priority order; returns the work done. Leaves the loop's queue when nothing is pending.
     * <p>
     * Every pending delivery is prepared (new records taken in, next publisher priority read) once per call, not once
     * per object: pumping one delivery changes only that one's next object, so only it is prepared again. Records
     * committed meanwhile by an ingest thread come with their own ring events and are seen at the next poll. Picking
     * the next object is then a scan of cached priorities, instead of a {@link Delivery#prepare()} of every pending
     * delivery per object written (which made a congested session with many subscriptions quadratic).
     */
    int drain(final int budget)
    {
        int work = 0;
        int idleRounds = 0;
        final int n = pending.size();
        for (int i = 0; i < n; i++)
        {
            prepareForScan(pending.get(i));
        }
        while (work < budget)
        {
            Delivery best = null;
            int bestIndex = 0;
            int bestSub = 0;
            int bestPub = 0;
            int i = turn < n ? turn : 0;
            for (int k = 0; k < n; k++)
            {
                final Delivery d = pending.get(i);
                if (!d.blocked)
                {
                    final int sub = d.subscriberPriority;
                    final int pub = d.preparedPublisherPriority;
                    if (best == null || sub < bestSub || (sub == bestSub && pub < bestPub))
                    {
                        best = d;
                        bestIndex = i;
                        bestSub = sub;
                        bestPub = pub;
                    }
                }
                i = i + 1 == n ? 0 : i + 1;
            }
            if (best == null)
            {
                break;
            }
            turn = bestIndex + 1;
            final long before = best.cursor;
            final boolean wasFinished = best.finished;
            int written;
            try
            {
                written = best.pump(1);
            }
            catch (final RuntimeException ex)
            {
                Delivery.failed(best, ex);
                written = 0;
            }
            final boolean progressed = written > 0 || best.cursor != before || best.finished != wasFinished;
            if (!progressed || (written == 0 && best.hasWork()))
            {
                best.blocked = true;
            }
            else
            {
                prepareForScan(best);
            }
            if (progressed)
            {
                work++;
                loop.markDirty(best);
            }
            else
            {
                idleRounds++;
                if (idleRounds > pending.size())
                {
                    break;
                }
            }
        }
        int j = 0;
        for (int i = 0, size = pending.size(); i < size; i++)
        {
            final Delivery d = pending.get(i);
            d.blocked = false;
            if (d.hasWork())
            {
                pending.set(j++, d);
            }
            else
            {
                d.pending = false;
            }
        }
        for (int i = pending.size() - 1; i >= j; i--)
        {
            pending.remove(i);
        }
        if (pending.isEmpty())
        {
            queued = false;
        }
        return work;
    }

    /**
     * Prepares {@code d} and caches what the scan compares; a delivery without work, or whose writer takes nothing
     * now, sits the scan out.
     */
    private void prepareForScan(final Delivery d)
    {
        if (!d.finished && !d.writable())
        {
            d.blocked = true;
            return;
        }
        d.blocked = !prepared(d);
        if (!d.blocked)
        {
            d.preparedPublisherPriority = d.nextPublisherPriority();
        }
    }

    /** {@link Delivery#prepare()}, guarded like a pump: a writer that throws ends only its delivery. */
    private boolean prepared(final Delivery d)
    {
        final long hold = d.holdFrom();
        final boolean wasFinished = d.finished;
        boolean work;
        try
        {
            work = d.prepare();
        }
        catch (final RuntimeException ex)
        {
            Delivery.failed(d, ex);
            work = false;
        }
        if (d.finished != wasFinished || d.holdFrom() != hold)
        {
            loop.markDirty(d); // the hold moved or the delivery ended: the fan-out republishes its hold
        }
        return work;
    }

    boolean isQueued()
    {
        return queued;
    }
}
