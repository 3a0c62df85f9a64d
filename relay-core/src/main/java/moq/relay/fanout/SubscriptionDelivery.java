package moq.relay.fanout;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.engine.PublishDoneStatus;
import moq.relay.engine.StreamResetCode;
import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * A downstream subscription on its egress loop: filter, forward state, open subgroup streams, the too-far-behind
 * policy and the PUBLISH_DONE hand-off. All methods run on the egress loop thread.
 */
public final class SubscriptionDelivery extends Delivery
{
    /** No end group. */
    public static final long NO_END_GROUP = -1;

    private final ObjectWriter writer;
    private final boolean retainsPayload;
    private final long startGroup;
    private final long startObject;
    private final long endGroup;
    private final long backlogBytes;
    private final long[] openGroups;
    private final long[] openSubgroups;
    private int openCount;
    private long resumeGroup;
    private boolean forward;

    private PublishDoneStatus doneStatus;
    private String doneReason;
    private StreamResetCode doneResetCode;
    private long doneAt = -1;

    private long objectsWritten;
    private long tooFarBehindCount;

    public SubscriptionDelivery(
        final EgressSession session,
        final TrackLog log,
        final int trackId,
        final long startPosition,
        final long startGroup,
        final long startObject,
        final long endGroup,
        final boolean forward,
        final int subscriberPriority,
        final boolean descending,
        final ObjectWriter writer,
        final boolean retainsPayload,
        final long backlogBytes,
        final int maxOpenSubgroups)
    {
        super(session, log, trackId, startPosition, subscriberPriority, descending);
        this.writer = writer;
        this.retainsPayload = retainsPayload;
        this.startGroup = startGroup;
        this.startObject = startObject;
        this.endGroup = endGroup;
        this.forward = forward;
        this.backlogBytes = backlogBytes;
        this.openGroups = new long[maxOpenSubgroups];
        this.openSubgroups = new long[maxOpenSubgroups];
    }

    @Override
    void onAdded()
    {
        if (cursor < log.floor())
        {
            cursor = log.cacheStart();
        }
    }

    @Override
    boolean hasWork()
    {
        return !finished && (cursor < log.committed() || doneStatus != null);
    }

    /**
     * On every new record of the track (live path): the backlog check, which keeps memory bounded for stalled
     * writers, then, if this subscription's session has nothing queued, delivery. {@code end} and {@code floor} are
     * read once per event by the fan-out. Returns whether a backlog remains.
     */
    boolean onAppended(final long end, final long floor, final int limit)
    {
        if (cursor < floor || end - Math.min(cursor, retainedFrom) > backlogBytes)
        {
            tooFarBehind();
        }
        if (session.pendingCount() != 0)
        {
            return true;
        }
        pump(limit, end, floor);
        return cursor < end; // later records come with their own events
    }

    @Override
    int pump(final int limit)
    {
        return finished ? 0 : pump(limit, log.committed(), log.floor());
    }

    private int pump(final int limit, final long end, final long floor)
    {
        if (finished)
        {
            return 0;
        }
        final TrackLog log = this.log;
        if (cursor < floor)
        {
            tooFarBehind();
        }
        int written = 0;
        if (!forward)
        {
            if (cursor < end)
            {
                resetAll(StreamResetCode.CANCELLED);
                cursor = end;
            }
        }
        while (cursor < end && written < limit)
        {
            final UnsafeBuffer b = log.buffer(cursor);
            final int off = log.offset(cursor);
            final int length = TrackLog.length(b, off);
            final int type = TrackLog.type(b, off);
            if (type == TrackLog.TYPE_OBJECT)
            {
                final long g = TrackLog.group(b, off);
                final long o = TrackLog.object(b, off);
                if (endGroup != NO_END_GROUP && Long.compareUnsigned(g, endGroup) > 0 && doneStatus == null &&
                    openCount == 0)
                {
                    // The filter's end group is over (a later group started and its streams are closed).
                    requestDone(PublishDoneStatus.SUBSCRIPTION_ENDED, "end of the subscription filter",
                        StreamResetCode.CANCELLED);
                    doneAt = cursor;
                    break;
                }
                if (passes(g, o))
                {
                    if (!writer.isWritable())
                    {
                        break;
                    }
                    final long sg = TrackLog.subgroup(b, off);
                    final int priority = TrackLog.priority(b, off);
                    if (findOpen(g, sg) < 0)
                    {
                        open(g, sg, o, priority);
                    }
                    if (retainsPayload && retainedFrom == LogHolder.NOTHING_HELD)
                    {
                        retainedFrom = cursor;
                    }
                    final int propertiesLength = TrackLog.propertiesLength(b, off);
                    final int propertiesOffset = off + TrackLog.HEADER_LENGTH;
                    writer.writeObject(g, sg, o, priority, TrackLog.status(b, off), b, propertiesOffset,
                        propertiesLength, propertiesOffset + propertiesLength, TrackLog.payloadLength(b, off));
                    objectsWritten++;
                    written++;
                }
            }
            else if (type == TrackLog.TYPE_END_SUBGROUP || type == TrackLog.TYPE_RESET_SUBGROUP)
            {
                final long g = TrackLog.group(b, off);
                final long sg = TrackLog.subgroup(b, off);
                final int i = findOpen(g, sg);
                if (i >= 0)
                {
                    removeOpen(i);
                    if (type == TrackLog.TYPE_END_SUBGROUP)
                    {
                        writer.endSubgroup(g, sg);
                    }
                    else
                    {
                        writer.resetSubgroup(g, sg, StreamResetCode.fromOrdinal(TrackLog.status(b, off)));
                    }
                }
            }
            cursor += length;
        }
        if (doneStatus != null && cursor >= doneAt)
        {
            finish();
        }
        return written;
    }

    private boolean passes(final long g, final long o)
    {
        if (Long.compareUnsigned(g, resumeGroup) < 0)
        {
            return false;
        }
        final int c = Long.compareUnsigned(g, startGroup);
        if (c < 0 || (c == 0 && Long.compareUnsigned(o, startObject) < 0))
        {
            return false;
        }
        return endGroup == NO_END_GROUP || Long.compareUnsigned(g, endGroup) <= 0;
    }

    private void open(final long g, final long sg, final long firstObject, final int priority)
    {
        if (openCount == openGroups.length)
        {
            final long og = openGroups[0];
            final long osg = openSubgroups[0];
            removeOpen(0);
            writer.resetSubgroup(og, osg, StreamResetCode.EXCESSIVE_LOAD);
        }
        openGroups[openCount] = g;
        openSubgroups[openCount] = sg;
        openCount++;
        writer.openSubgroup(g, sg, firstObject, priority);
    }

    private int findOpen(final long g, final long sg)
    {
        for (int i = openCount - 1; i >= 0; i--)
        {
            if (openGroups[i] == g && openSubgroups[i] == sg)
            {
                return i;
            }
        }
        return -1;
    }

    private void removeOpen(final int i)
    {
        System.arraycopy(openGroups, i + 1, openGroups, i, openCount - i - 1);
        System.arraycopy(openSubgroups, i + 1, openSubgroups, i, openCount - i - 1);
        openCount--;
    }

    private void resetAll(final StreamResetCode code)
    {
        while (openCount > 0)
        {
            final long g = openGroups[0];
            final long sg = openSubgroups[0];
            removeOpen(0);
            writer.resetSubgroup(g, sg, code);
        }
        retainedFrom = LogHolder.NOTHING_HELD;
    }

    /** Abandons the open subgroups and resumes at the next group that starts after now. */
    private void tooFarBehind()
    {
        resetAll(StreamResetCode.TOO_FAR_BEHIND);
        final long lg = log.largestGroup();
        if (lg != -1 && Long.compareUnsigned(lg + 1, resumeGroup) > 0)
        {
            resumeGroup = lg + 1;
        }
        cursor = Math.max(cursor, log.committed());
        tooFarBehindCount++;
    }

    private void finish()
    {
        resetAll(doneResetCode);
        finished = true;
        writer.publishDone(doneStatus, doneReason);
    }

    /** The track ended for this subscription: deliver what was ingested so far, then PUBLISH_DONE. */
    void requestDone(final PublishDoneStatus status, final String reason, final StreamResetCode resetCode)
    {
        if (doneStatus == null && !finished)
        {
            doneStatus = status;
            doneReason = reason;
            doneResetCode = resetCode;
            doneAt = log.committed();
        }
    }

    void update(final boolean forward, final int subscriberPriority)
    {
        this.forward = forward;
        this.subscriberPriority = subscriberPriority;
    }

    /** The subscriber left: no more calls to the writer. */
    void cancel()
    {
        finished = true;
        openCount = 0;
        retainedFrom = LogHolder.NOTHING_HELD;
    }

    public long objectsWritten()
    {
        return objectsWritten;
    }

    public long tooFarBehindCount()
    {
        return tooFarBehindCount;
    }

    public int openSubgroupCount()
    {
        return openCount;
    }
}
