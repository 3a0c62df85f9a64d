package moq.relay.fanout;

import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * One downstream consumer of a track on an egress loop: a subscription or a fetch. Its backlog is not a queue but a
 * cursor into the track log, so a lagging subscriber costs no memory beyond the log the track keeps anyway.
 * Owned by the egress loop thread once added.
 */
public abstract class Delivery
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Delivery.class);

    final EgressSession session;
    final TrackLog log;
    final int trackId;
    final boolean descending;
    int subscriberPriority;
    long cursor;
    long retainedFrom = LogHolder.NOTHING_HELD;
    TrackFanout fanout;
    boolean pending;
    boolean blocked;
    boolean finished;
    /** {@link #nextPublisherPriority()} as of the last {@link #prepare()} by {@link EgressSession#drain}. */
    int preparedPublisherPriority;

    Delivery(
        final EgressSession session,
        final TrackLog log,
        final int trackId,
        final long cursor,
        final int subscriberPriority,
        final boolean descending)
    {
        this.session = session;
        this.log = log;
        this.trackId = trackId;
        this.cursor = cursor;
        this.subscriberPriority = subscriberPriority;
        this.descending = descending;
    }

    /** Delivers up to {@code limit} objects; returns how many were written. */
    abstract int pump(int limit);

    /** Whether there is something to write or finish. */
    abstract boolean hasWork();

    /**
     * Before {@link EgressSession} compares deliveries: take in records that arrived since the last call (no writer
     * output except closing or resetting streams whose end was reached); returns {@link #hasWork()}.
     */
    boolean prepare()
    {
        return hasWork();
    }

    /**
     * Whether the writer takes output now. {@link EgressSession#drain} leaves a delivery whose writer does not out of
     * its scan (nothing could be written; the writer's writability signal polls again), so a connection that is
     * congested costs one check per poll instead of a prepare.
     */
    abstract boolean writable();

    /** Called once when added to its track fan-out, after the hold is published. */
    abstract void onAdded();

    /** Lowest log position this delivery (or its writer) may still read. */
    long holdFrom()
    {
        return finished ? LogHolder.NOTHING_HELD : Math.min(cursor, retainedFrom);
    }

    /** Publisher priority of the object this delivery would write next (for scheduling), 255 if unknown. */
    int nextPublisherPriority()
    {
        final long c = cursor;
        if (c >= log.committed() || c < log.floor())
        {
            return 255;
        }
        final int off = log.offset(c);
        final var b = log.buffer(c);
        return TrackLog.type(b, off) == TrackLog.TYPE_OBJECT ? TrackLog.priority(b, off) : 255;
    }

    /**
     * A writer threw: the transport's bug must not stop the loop or harm other sessions, so this delivery ends here
     * (no more writer calls; its memory is released) and the error is logged.
     */
    static void failed(final Delivery d, final RuntimeException ex)
    {
        d.finished = true;
        d.retainedFrom = moq.relay.store.LogHolder.NOTHING_HELD;
        LOG.warn("writer of track {} failed; its subscription or fetch ends", d.trackId, ex);
    }

    /** The writer released every payload view it retained (egress thread). */
    public void release()
    {
        retainedFrom = LogHolder.NOTHING_HELD;
    }

    public int subscriberPriority()
    {
        return subscriberPriority;
    }

    public boolean isFinished()
    {
        return finished;
    }
}
