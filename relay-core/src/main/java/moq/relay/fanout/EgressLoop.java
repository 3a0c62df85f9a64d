package moq.relay.fanout;

import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * One egress event loop's share of the fan-out: it polls the ring for object events (an {@link EventPoller}, so the
 * owning I/O thread consumes them without another thread hop), runs the control commands addressed to it, pumps the
 * deliveries of the tracks its sessions subscribe to and serves their backlogs in priority order.
 * <p>
 * Threading: {@link #poll()} must be called by one thread, the owner (a transport event loop, or
 * {@link EgressLoopRunner}); every writer call happens inside it. {@link #execute} and {@link #handoffLatency} may be
 * called from any thread. Ingest never waits for a loop: when the ring is full (a loop is behind) it tells the
 * track's loops to read the log instead ({@link #missed}), so a slow loop falls behind and catches up from the track
 * log (its subscribers' backlogs are cursors, bounded by the TOO_FAR_BEHIND check), and the others go on.
 * <p>
 * A loop gates the ring only while it has fan-outs. One that serves no delivery is woken by nothing (its owner polls
 * it for commands and its own tracks' signals), so were it gating, the ring would fill after {@code moq.relay.ring.size}
 * events and send every track to the log-pump path. It joins in {@link #add} before the new fan-out becomes a holder
 * of the track log, at the ring's cursor: every event it skips was claimed before it joined, so its record was
 * committed before, and the delivery's catch-up (which reads the log's committed end after the join) covers it; every
 * event claimed afterwards finds the loop gating. It leaves at the end of a poll that left it with no fan-out.
 */
public final class EgressLoop
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EgressLoop.class);

    private final int index;
    private final RingBuffer<ObjectEvent> ring;
    private final EventPoller<ObjectEvent> poller;
    private final ManyToOneConcurrentArrayQueue<Runnable> commands;
    /** Fan-outs whose records were committed while the ring was full (each queued at most once until pumped). */
    private final ManyToOneConcurrentArrayQueue<TrackFanout> missed;
    /** Set when {@link #missed} overflowed: pump every fan-out of the loop. */
    private final AtomicBoolean missedAll = new AtomicBoolean();
    private final Int2ObjectHashMap<TrackFanout> fanouts = new Int2ObjectHashMap<>();
    private final ArrayList<EgressSession> pendingSessions = new ArrayList<>();
    private final ArrayList<TrackFanout> dirty = new ArrayList<>();
    private final SingleWriterRecorder handoff = new SingleWriterRecorder(3_600_000_000_000L, 2);
    private final int batch;
    private final EventPoller.Handler<ObjectEvent> handler = this::onEvent;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile Runnable wakeup;
    private long eventsSeen;
    /** The clock at the start of the current poll: one read per duty cycle for the deliveries' time bound. */
    private long pollNanos = System.nanoTime();
    private final EgressCounters counters = new EgressCounters();
    /** Object Properties as each writer reads them: converted here, in one buffer, for the other drafts' writers. */
    private final WriterProperties writerProperties;
    /**
     * Whether the poller's sequence is one of the ring's gating sequences (while the loop has fan-outs). Written by the
     * loop thread only; volatile for the metrics' {@link #ringLag()}.
     */
    private volatile boolean gating;

    public EgressLoop(final int index, final RingBuffer<ObjectEvent> ring, final int commandCapacity, final int batch)
    {
        this(index, ring, commandCapacity, batch,
            moq.relay.config.RelayConfiguration.EGRESS_PROPERTIES_CONVERSION_BYTES_DEFAULT);
    }

    /** @param propertiesBudget bytes of the buffer Object Properties are converted into (see {@link WriterProperties}) */
    public EgressLoop(final int index, final RingBuffer<ObjectEvent> ring, final int commandCapacity, final int batch,
        final int propertiesBudget)
    {
        this.writerProperties = new WriterProperties(propertiesBudget, counters);
        this.index = index;
        this.ring = ring;
        this.poller = ring.newPoller(); // not gating until its first delivery (see the class comment)
        this.commands = new ManyToOneConcurrentArrayQueue<>(commandCapacity);
        this.missed = new ManyToOneConcurrentArrayQueue<>(Math.max(64, ring.getBufferSize()));
        this.batch = batch;
    }

    public int index()
    {
        return index;
    }

    /** One duty cycle: commands, ring events, backlogs. Returns the work done (0 = idle). Owner thread only. */
    public int poll()
    {
        pollNanos = System.nanoTime();
        if (wakePending.get())
        {
            wakePending.set(false); // before consuming: anything published from now on signals again
        }
        int work = 0;
        Runnable c;
        while ((c = commands.poll()) != null)
        {
            try
            {
                c.run();
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("egress loop {}: command failed", index, ex);
            }
            work++;
        }
        try
        {
            if (gating && poller.poll(handler) == EventPoller.PollState.PROCESSING)
            {
                work++;
            }
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        work += pumpMissed();
        final boolean backlog = !pendingSessions.isEmpty();
        for (int i = 0; i < pendingSessions.size(); )
        {
            final EgressSession s = pendingSessions.get(i);
            work += s.drain(batch);
            if (!s.isQueued())
            {
                final int last = pendingSessions.size() - 1;
                pendingSessions.set(i, pendingSessions.get(last));
                pendingSessions.remove(last);
            }
            else
            {
                i++;
            }
        }
        if (!dirty.isEmpty())
        {
            for (int i = 0, n = dirty.size(); i < n; i++)
            {
                final TrackFanout f = dirty.get(i);
                f.dirty = false;
                f.refresh();
                if (f.count() == 0)
                {
                    removeFanout(f);
                }
            }
            dirty.clear();
        }
        if (gating && fanouts.isEmpty())
        {
            leaveRing();
        }
        counters.backlogSessions(pendingSessions.size());
        if (backlog && work > 0)
        {
            signal(); // backlogs are still being served: come back
        }
        return work;
    }

    private boolean onEvent(final ObjectEvent event, final long sequence, final boolean endOfBatch)
    {
        eventsSeen++;
        final TrackFanout f = fanouts.get(event.trackId);
        if (f != null)
        {
            if (f.hasSubscriptions())
            {
                handoff.recordValue(Math.max(0, System.nanoTime() - event.ingestNanos));
            }
            f.onAppended(batch);
            if (f.count() == 0)
            {
                removeFanout(f);
            }
        }
        return true;
    }

    /**
     * The fan-outs ingest could not put on the ring (it was full because some loop is behind): pumped straight from the
     * log, up to its committed end, like a ring event. After the ring's events, so a loop that catches up with the ring
     * finds most of them with nothing new.
     */
    private int pumpMissed()
    {
        int work = 0;
        if (missedAll.get())
        {
            missedAll.set(false); // each fan-out's clearMissed fences before its pump
            for (final TrackFanout f : fanouts.values().toArray(new TrackFanout[0]))
            {
                work += pumpMissed(f);
            }
        }
        TrackFanout f;
        while ((f = missed.poll()) != null)
        {
            work += pumpMissed(f);
        }
        return work;
    }

    private int pumpMissed(final TrackFanout f)
    {
        f.clearMissed();
        if (fanouts.get(f.trackId) != f)
        {
            return 0; // removed since: nothing to deliver
        }
        counters.missedPump();
        f.onAppended(batch);
        if (f.count() == 0)
        {
            removeFanout(f);
        }
        return 1;
    }

    /** Ingest thread: {@code f} has records without a ring event. Never blocks. */
    void missed(final TrackFanout f)
    {
        if (!missed.offer(f))
        {
            missedAll.set(true); // queue full: pump every fan-out on the next poll
        }
        signal();
    }

    /** {@link System#nanoTime()} at the start of the current (or last) poll. Loop thread. */
    long pollNanos()
    {
        return pollNanos;
    }

    /** Queues a control command to run on this loop's thread; false if the queue is full. Any thread. */
    public boolean execute(final Runnable command)
    {
        final boolean queued = commands.offer(command);
        if (queued)
        {
            signal();
        }
        return queued;
    }

    /**
     * Installs the owner's wake-up: called (from ingest and control threads) when this loop has new work and no
     * wake-up is pending since its last {@link #poll()}, so an event-loop owner can schedule one poll task per burst
     * (e.g. {@code () -> eventLoop.execute(pollTask)}) instead of spinning. Without one, the owner must poll
     * periodically (a spinning {@link EgressLoopRunner}).
     */
    public void wakeup(final Runnable wakeup)
    {
        this.wakeup = wakeup;
    }

    /** New work for this loop: runs the wake-up once until the next poll. Any thread. */
    public void signal()
    {
        // The work was published with a release store (the ring's cursor, a command queue's offer) and may still
        // sit in this core's store buffer while the load of wakePending below runs: a poll clearing wakePending
        // then reading the ring could miss the work while this thread still read the old "pending" and skipped the
        // wake-up, leaving the work until the next signal. A full fence orders the two (Dekker's pattern; the poll
        // side's volatile store of false already is one).
        VarHandle.fullFence();
        final Runnable w = wakeup;
        if (w != null && !wakePending.get() && wakePending.compareAndSet(false, true))
        {
            w.run();
        }
    }

    /** Whether a command can be queued now (checked by the engine before it answers a request). */
    public boolean hasCommandRoom()
    {
        return commands.remainingCapacity() > 0;
    }

    /** A new session bound to this loop (any thread; the object is confined to the loop afterwards). */
    public EgressSession newSession()
    {
        return new EgressSession(this);
    }

    /** Adds a delivery to its track on this loop and serves its catch-up. Loop thread (run it as a command). */
    public void add(final Delivery d)
    {
        if (!gating)
        {
            joinRing(); // before the fan-out below becomes a holder that ingest signals and publishes for
        }
        TrackFanout f = fanouts.get(d.trackId);
        if (f == null)
        {
            f = new TrackFanout(d.trackId, d.log, this);
            fanouts.put(d.trackId, f);
            d.log.addHolder(f);
        }
        f.add(d);
        if (d.hasWork())
        {
            d.session.markPending(d);
        }
        markDirty(d);
    }

    /** Removes a subscription at the subscriber's request (no more writer calls). Loop thread. */
    public void cancel(final Delivery d)
    {
        if (d instanceof SubscriptionDelivery)
        {
            ((SubscriptionDelivery)d).cancel();
        }
        else if (d instanceof FetchDelivery)
        {
            ((FetchDelivery)d).cancel();
        }
        markDirty(d);
    }

    /** Ends a subscription with PUBLISH_DONE once what was ingested so far is delivered. Loop thread. */
    public void requestDone(
        final SubscriptionDelivery d,
        final PublishDoneStatus status,
        final String reason,
        final StreamResetCode resetCode)
    {
        d.requestDone(status, reason, resetCode);
        d.session.markPending(d);
    }

    /** REQUEST_UPDATE of forward state or subscriber priority. Loop thread. */
    public void update(final SubscriptionDelivery d, final boolean forward, final int subscriberPriority)
    {
        d.update(forward, subscriberPriority);
        if (d.hasWork())
        {
            d.session.markPending(d);
        }
    }

    void queuePending(final EgressSession s)
    {
        pendingSessions.add(s);
    }

    void markDirty(final Delivery d)
    {
        final TrackFanout f = d.fanout;
        if (f != null && !f.dirty)
        {
            f.dirty = true;
            dirty.add(f);
        }
    }

    /**
     * Joins the ring's gating sequences. The Disruptor sets the poller's sequence to the cursor before it installs it
     * (no stale position is ever seen by a publisher) and again after (claims that raced the install, checked against
     * the old set, are skipped): the loop has no fan-out here, and the delivery being added reads the records behind
     * the skipped events from the log.
     */
    private void joinRing()
    {
        ring.addGatingSequences(poller.getSequence());
        gating = true;
    }

    /** No fan-out left: stops holding the ring back (nothing would wake this loop to consume it). */
    private void leaveRing()
    {
        gating = false;
        ring.removeGatingSequence(poller.getSequence());
    }

    private void removeFanout(final TrackFanout f)
    {
        if (fanouts.get(f.trackId) == f)
        {
            fanouts.remove(f.trackId);
            f.log.removeHolder(f);
        }
    }

    /** Whether this loop currently has deliveries for the track (loop thread; tests). */
    public boolean hasTrack(final int trackId)
    {
        return fanouts.containsKey(trackId);
    }

    /**
     * The in-process hand-off latency (ingest to the first writer call for that object on this loop) recorded since the
     * previous call, in nanoseconds. Any thread; pass the previous result to recycle it.
     */
    public Histogram handoffLatency(final Histogram recycle)
    {
        return handoff.getIntervalHistogram(recycle);
    }

    /** The loop's properties view for writer calls (loop thread). */
    WriterProperties writerProperties()
    {
        return writerProperties;
    }

    /** What this loop delivered (metrics; any thread reads). */
    public EgressCounters counters()
    {
        return counters;
    }

    /** Control commands queued for this loop (metrics; any thread). */
    public int commandQueueSize()
    {
        return commands.size();
    }

    /**
     * Ring events published that this loop has not consumed yet; 0 while it serves no delivery, as it does not gate the
     * ring then (metrics; any thread, racy).
     */
    public long ringLag()
    {
        return gating ? Math.max(0, ring.getCursor() - poller.getSequence().get()) : 0;
    }

    public long eventsSeen()
    {
        return eventsSeen;
    }

    /** The ring position this loop has consumed (for a caller that wants to wait until the loop caught up). */
    public long consumedSequence()
    {
        return gating ? poller.getSequence().get() : ring.getCursor();
    }

    /** Stops gating the ring (the loop will not be polled any more). */
    public void close()
    {
        gating = false;
        ring.removeGatingSequence(poller.getSequence());
    }
}
