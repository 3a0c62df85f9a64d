package moq.relay.fanout;

import java.util.ArrayList;

/**
 * One downstream connection's view on its egress loop: the deliveries that have a backlog, served in priority order
 * (subscriber priority, then publisher priority, then the subscription's group order) while its writers are writable.
 * Owned by the egress loop thread.
 */
public final class EgressSession
{
    final EgressLoop loop;
    private final ArrayList<Delivery> pending = new ArrayList<>();
    private boolean queued;

    EgressSession(final EgressLoop loop)
    {
        this.loop = loop;
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

    /** Serves backlogs in priority order; returns the work done. Leaves the loop's queue when nothing is pending. */
    int drain(final int budget)
    {
        int work = 0;
        int idleRounds = 0;
        while (work < budget)
        {
            Delivery best = null;
            int bestSub = 0;
            int bestPub = 0;
            long bestGroup = 0;
            for (int i = 0, n = pending.size(); i < n; i++)
            {
                final Delivery d = pending.get(i);
                if (d.blocked || !d.hasWork())
                {
                    continue;
                }
                final int sub = d.subscriberPriority;
                final int pub = d.nextPublisherPriority();
                final long group = d.nextGroupKey();
                if (best == null || sub < bestSub || (sub == bestSub && (pub < bestPub ||
                    (pub == bestPub && d.trackId == best.trackId && group < bestGroup))))
                {
                    best = d;
                    bestSub = sub;
                    bestPub = pub;
                    bestGroup = group;
                }
            }
            if (best == null)
            {
                break;
            }
            final long before = best.cursor;
            final boolean wasFinished = best.finished;
            int n;
            try
            {
                n = best.pump(1);
            }
            catch (final RuntimeException ex)
            {
                Delivery.failed(best, ex);
                n = 0;
            }
            final boolean progressed = n > 0 || best.cursor != before || best.finished != wasFinished;
            if (!progressed || (n == 0 && best.hasWork()))
            {
                best.blocked = true;
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
        for (int i = 0, n = pending.size(); i < n; i++)
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

    boolean isQueued()
    {
        return queued;
    }
}
