package moq.relay.fanout;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * A downstream subscription on its egress loop: filter, forward state, subgroup streams, the draft's scheduling order
 * within the subscription, the too-far-behind policy and the PUBLISH_DONE hand-off. All methods run on the egress
 * loop thread.
 * <p>
 * <b>Backlog as cursors.</b> {@link #cursor} is the discovery frontier: every record below it has been looked at.
 * Each subgroup the subscription has an open stream for, or has undelivered objects of, is a <i>lane</i>: its group,
 * subgroup, publisher priority, whether its stream is open, and the log position of its next undelivered record
 * ({@link #NONE} if every record of it below the frontier is delivered). Lanes live in arrays that start at
 * {@value #INITIAL_LANES} lanes and double when a subgroup finds them full, up to {@code maxOpenSubgroups}: an idle
 * subscription holds a few lanes, not the 64 it may grow to (issue #19, RSS per idle session); nothing is allocated or
 * copied per object, only when a new subgroup outgrows the lanes the subscription has used so far.
 * <p>
 * <b>Order.</b> Among the lanes with a pending object the next one written is the draft's highest precedence
 * (§ Priorities, Scheduling Algorithm): lowest publisher priority number, then the subscription's group order
 * (ascending or descending), then the lowest subgroup ID; within a lane, log (= stream) order. A subscriber that keeps
 * up has at most the one just-arrived object pending, so it gets objects as they arrive. Subscriber priority and the
 * choice between subscriptions are made by {@link EgressSession}.
 */
public final class SubscriptionDelivery extends Delivery
{
    /** No end group. */
    public static final long NO_END_GROUP = -1;
    /** A lane with nothing pending below the frontier. */
    private static final long NONE = LogHolder.NOTHING_HELD;
    /** Lanes a new subscription starts with: one open subgroup and a few overlapping ones grow nothing. */
    static final int INITIAL_LANES = 4;

    private final ObjectWriter writer;
    private final boolean retainsPayload;
    private final long startGroup;
    private final long startObject;
    private final long endGroup;
    private final long backlogBytes;
    private long maxDelayNanos;
    private long startNanos;
    private long[] laneGroup;
    private long[] laneSubgroup;
    private long[] laneNext;
    private int[] lanePriority;
    private boolean[] laneOpen;
    /**
     * Lanes whose subgroup passed its OBJECT_DELIVERY_TIMEOUT: the stream was reset with DELIVERY_TIMEOUT and the
     * subgroup's later objects are dropped, no new stream opened for them (draft-21 §5.2).
     */
    private boolean[] laneTimedOut;
    /**
     * When the subgroup's end (the publisher's FIN) was ingested, once discovery passed it while the lane still had
     * objects to write; {@link #NO_END} before: SUBGROUP_DELIVERY_TIMEOUT runs from there (draft-21 §5.2).
     */
    private long[] laneEndNanos;
    private static final long NO_END = Long.MIN_VALUE;
    /**
     * The publisher's OBJECT_DELIVERY_TIMEOUT and SUBGROUP_DELIVERY_TIMEOUT for the lane's subgroup, nanoseconds, as
     * Object Properties of its first object (draft-21 §5.2, §10.1, §10.2: they override the track's for that
     * subgroup); {@link DeliveryTimeoutProperties#ABSENT} where the track's apply.
     */
    private long[] laneObjectTimeout;
    private long[] laneSubgroupTimeout;
    /** The publisher's OBJECT_DELIVERY_TIMEOUT (track property), nanoseconds; 0 for none. */
    private long publisherObjectTimeoutNanos;
    /** The publisher's SUBGROUP_DELIVERY_TIMEOUT (track property), nanoseconds; 0 for none. */
    private long publisherSubgroupTimeoutNanos;
    private long objectsTimedOut;
    /** Subgroup streams reset because their FIN came past SUBGROUP_DELIVERY_TIMEOUT with nothing else left. */
    private long subgroupsTimedOut;
    private int laneCount;
    /** What the lane arrays may grow to ({@code maxOpenSubgroups}). */
    private final int maxLanes;
    private int pendingLanes;
    private long resumeGroup;
    private boolean forward;
    /** The subscription's Range Filters (draft 20), null for none: then the hot path pays one null check. */
    private ObjectFilter objectFilter;
    /** The track log's epoch this subscription belongs to (see {@link TrackLog#newEpoch()}). */
    private final long epoch;
    /** Where the next epoch starts, once seen: nothing from there on is read. */
    private long epochEnd = Long.MAX_VALUE;

    private PublishDoneStatus doneStatus;
    private String doneReason;
    private StreamResetCode doneResetCode;
    private long doneAt = -1;

    private long objectsWritten;
    private long tooFarBehindCount;
    /** The loop's metrics, written on this (its owner) thread. */
    private final EgressCounters counters;
    /** Open streams of idle lanes reset (EXCESSIVE_LOAD) to make room for a new subgroup: their unsent objects lost. */
    private long idleSubgroupsReset;

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
        this.maxLanes = maxOpenSubgroups;
        final int lanes = Math.min(INITIAL_LANES, maxOpenSubgroups);
        this.laneGroup = new long[lanes];
        this.laneSubgroup = new long[lanes];
        this.laneNext = new long[lanes];
        this.lanePriority = new int[lanes];
        this.laneOpen = new boolean[lanes];
        this.laneTimedOut = new boolean[lanes];
        this.laneEndNanos = new long[lanes];
        this.laneObjectTimeout = new long[lanes];
        this.laneSubgroupTimeout = new long[lanes];
        this.counters = session.loop.counters();
        this.epoch = log.epoch(); // created under the engine's control lock, which every new epoch is started under
    }

    /**
     * {@code committed} bounded by this subscription's epoch: the records of a later epoch (a new publisher that took
     * the track over) are never delivered on it; it ends with the PUBLISH_DONE already on its way.
     */
    private long readEnd(final long committed)
    {
        if (epochEnd == Long.MAX_VALUE && log.epoch() != epoch)
        {
            epochEnd = log.epochStart();
        }
        return Math.min(committed, epochEnd);
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
    boolean writable()
    {
        return writer.isWritable();
    }

    @Override
    boolean hasWork()
    {
        return !finished && (pendingLanes > 0 || cursor < readEnd(log.committed()) || doneStatus != null);
    }

    @Override
    long holdFrom()
    {
        return finished ? LogHolder.NOTHING_HELD : Math.min(readFrom(), retainedFrom);
    }

    /** Lowest position still to be read: the frontier or a lane's next record. */
    private long readFrom()
    {
        long min = cursor;
        if (pendingLanes > 0)
        {
            for (int i = 0; i < laneCount; i++)
            {
                min = Math.min(min, laneNext[i]);
            }
        }
        return min;
    }

    /**
     * On every new record of the track (live path): the backlog check, which keeps memory bounded for stalled
     * writers, then, if this subscription's session has nothing queued, delivery. {@code committed} and {@code floor} are
     * read once per event by the fan-out. Returns whether a backlog remains.
     */
    boolean onAppended(final long committed, final long floor, final int limit)
    {
        final long end = readEnd(committed);
        final long from = readFrom();
        final long held = Math.min(from, retainedFrom);
        // A large object (a jumbo record, several segments: a key frame) in the backlog does not count: otherwise a
        // subscriber that keeps up would be over the bound the moment one is committed, or while it is on the way.
        final boolean heldUp = session.pendingCount() != 0;
        if (from < floor || (end - held > backlogBytes && end - held - log.jumboLengthFrom(held) > backlogBytes))
        {
            tooFarBehind();
        }
        else if (from < end && !writer.isWritable() && waitedTooLong(from))
        {
            counters.tooLate();
            tooFarBehind();
        }
        if (heldUp)
        {
            return true;
        }
        pump(limit, end, floor);
        return pendingLanes > 0 || cursor < end; // later records come with their own events
    }

    /**
     * Sets the time bound ({@code moq.relay.subscriber.backlog.max.delay}; 0 = off): a record this subscriber holds up
     * (the oldest record not yet handed to its writer, while the writer is unwritable; not a session merely queued
     * behind the loop's batch limit, which is the loop being busy, not the subscriber being slow; and not payload the
     * transport retains: {@code retainedFrom} is a low-water mark kept until every view is released, not the oldest
     * view still held, so its age says nothing) may wait at most {@code maxDelayNanos} since it was ingested or, replayed from the cache, since {@code startNanos}.
     */
    public void maxDelay(final long maxDelayNanos, final long startNanos)
    {
        this.maxDelayNanos = maxDelayNanos;
        this.startNanos = startNanos;
    }

    /**
     * The publisher's OBJECT_DELIVERY_TIMEOUT track property (0 for none). It applies only to a writer whose draft
     * the relay gives delivery timeouts ({@link ObjectWriter#objectDeliveryTimeoutNanos()} not -1); the smaller of it
     * and the subscriber's, when both are set (draft-21 §5.2).
     */
    public void publisherObjectDeliveryTimeout(final long nanos)
    {
        this.publisherObjectTimeoutNanos = nanos;
    }

    /** The publisher's SUBGROUP_DELIVERY_TIMEOUT track property (0 for none), applied as the object one is. */
    public void publisherSubgroupDeliveryTimeout(final long nanos)
    {
        this.publisherSubgroupTimeoutNanos = nanos;
    }

    /** The OBJECT_DELIVERY_TIMEOUT in effect for this subscriber now, in nanoseconds; 0 for none. */
    private long objectDeliveryTimeout()
    {
        return smaller(writer.objectDeliveryTimeoutNanos(), publisherObjectTimeoutNanos);
    }

    /** {@link #objectDeliveryTimeout()} for lane {@code i}'s subgroup: its first object's property overrides. */
    private long objectDeliveryTimeout(final int i)
    {
        final long publisher = laneObjectTimeout[i];
        return smaller(writer.objectDeliveryTimeoutNanos(),
            publisher == DeliveryTimeoutProperties.ABSENT ? publisherObjectTimeoutNanos : publisher);
    }

    /** {@link #subgroupDeliveryTimeout()} for lane {@code i}'s subgroup: its first object's property overrides. */
    private long subgroupDeliveryTimeout(final int i)
    {
        final long publisher = laneSubgroupTimeout[i];
        return smaller(writer.subgroupDeliveryTimeoutNanos(),
            publisher == DeliveryTimeoutProperties.ABSENT ? publisherSubgroupTimeoutNanos : publisher);
    }

    /**
     * Lane {@code i} starts with the record at {@code off}: if it is its subgroup's first object (§5.2: the property
     * counts only there) and the writer's draft has delivery timeouts, its timeout properties are the subgroup's.
     * Once per subgroup, not per object.
     */
    private void readSubgroupTimeouts(final int i, final UnsafeBuffer b, final int off)
    {
        if (TrackLog.isFirstInSubgroup(b, off) && writer.objectDeliveryTimeoutNanos() >= 0)
        {
            laneObjectTimeout[i] = DeliveryTimeoutProperties.nanos(b, off,
                DeliveryTimeoutProperties.OBJECT_DELIVERY_TIMEOUT);
            laneSubgroupTimeout[i] = DeliveryTimeoutProperties.nanos(b, off,
                DeliveryTimeoutProperties.SUBGROUP_DELIVERY_TIMEOUT);
        }
    }

    /** The SUBGROUP_DELIVERY_TIMEOUT in effect for this subscriber now, in nanoseconds; 0 for none. */
    private long subgroupDeliveryTimeout()
    {
        return smaller(writer.subgroupDeliveryTimeoutNanos(), publisherSubgroupTimeoutNanos);
    }

    /**
     * The subscriber's timeout and the publisher's, "if both ... are non-zero, the smaller of the two" (§5.2); 0 for
     * none, and none for a writer the relay gives no delivery timeouts (subscriber -1).
     */
    private static long smaller(final long subscriber, final long publisher)
    {
        if (subscriber < 0)
        {
            return 0;
        }
        return subscriber == 0 ? publisher : publisher == 0 ? subscriber : Math.min(subscriber, publisher);
    }

    /**
     * Whether the object at {@code position} passed its delivery timeout: the time since it was ingested (its header
     * was read: the record's stamp) exceeds {@code timeout}. Uses the loop's clock read of this duty cycle.
     */
    private boolean timedOut(final long position, final long timeout)
    {
        final long stamp = log.ingestNanosAt(position);
        return stamp != Long.MAX_VALUE && session.loop.pollNanos() - stamp > timeout;
    }

    /**
     * Subgroup streams reset at their end because their SUBGROUP_DELIVERY_TIMEOUT passed before the FIN could be
     * sent (those reset with objects still to send count their objects in {@link #objectsTimedOut()}).
     */
    public long subgroupsTimedOut()
    {
        return subgroupsTimedOut;
    }

    /** Objects dropped because their (object or subgroup) delivery timeout passed before they could be sent. */
    public long objectsTimedOut()
    {
        return objectsTimedOut;
    }

    private void objectTimedOut()
    {
        objectsTimedOut++;
        counters.objectTimedOut();
    }

    /** Whether the record at {@code held} (below the committed end, not yet written) waited too long. */
    private boolean waitedTooLong(final long held)
    {
        if (maxDelayNanos <= 0)
        {
            return false;
        }
        final long stamp = log.ingestNanosAt(held);
        if (stamp == Long.MAX_VALUE)
        {
            return false; // segment padding: the next pump moves past it
        }
        final long now = session.loop.pollNanos(); // one clock read per duty cycle, not per subscriber
        final long since = stamp - startNanos > 0 ? stamp : startNanos;
        return now - since > maxDelayNanos;
    }

    @Override
    int pump(final int limit)
    {
        return finished ? 0 : pump(limit, readEnd(log.committed()), log.floor());
    }

    /** Looks at new records (no writes) so that {@link #nextPublisherPriority()} sees every pending object. */
    @Override
    boolean prepare()
    {
        if (finished)
        {
            return false;
        }
        pump(0, readEnd(log.committed()), log.floor());
        return hasWork();
    }

    @Override
    int nextPublisherPriority()
    {
        final int i = selectLane();
        return i < 0 ? 255 : lanePriority[i];
    }

    private int pump(final int limit, final long end, final long floor)
    {
        if (finished)
        {
            return 0;
        }
        if (readFrom() < floor)
        {
            tooFarBehind();
        }
        if (!forward)
        {
            if (cursor < end || pendingLanes > 0)
            {
                resetAll(StreamResetCode.CANCELLED);
                cursor = Math.max(cursor, end);
            }
        }
        int written = 0;
        while (!finished)
        {
            written += discover(end, limit - written);
            if (written >= limit || finished)
            {
                break;
            }
            final int i = selectLane();
            if (i < 0 || !writer.isWritable())
            {
                break;
            }
            final long position = laneNext[i];
            final UnsafeBuffer b = log.buffer(position);
            final int off = log.offset(position);
            write(i, position, b, off, TrackLog.object(b, off));
            advance(i, position + TrackLog.length(b, off));
            written++;
        }
        writer.flush(); // this pump's last object goes out now, or with its FIN if the subgroup ended behind it
        if (doneStatus != null && !finished && cursor >= doneAt && pendingLanes == 0)
        {
            finish();
        }
        return written;
    }

    /**
     * Moves the frontier up to {@code end}. While no lane has a pending object, a passing object is the only candidate,
     * so it is written at once (up to {@code budget}, if the writer is writable: the path of a subscriber that keeps
     * up, in arrival order). Otherwise it becomes pending on its subgroup's lane (a new lane if needed). A subgroup end
     * or reset of a lane with nothing pending closes its stream at once. Stops early at a new subgroup when every lane
     * has pending objects (they go first) or at the end of the subscription. Returns the objects written.
     */
    private int discover(final long end, final int budget)
    {
        final TrackLog log = this.log;
        final long stop = doneStatus != null ? Math.min(end, doneAt) : end;
        int written = 0;
        while (cursor < stop)
        {
            final long position = cursor;
            final UnsafeBuffer b = log.buffer(position);
            final int off = log.offset(position);
            final int length = TrackLog.length(b, off);
            final int type = TrackLog.type(b, off);
            if (type == TrackLog.TYPE_OBJECT)
            {
                final long g = TrackLog.group(b, off);
                final long o = TrackLog.object(b, off);
                if (endGroup != NO_END_GROUP && Long.compareUnsigned(g, endGroup) > 0 && doneStatus == null)
                {
                    if (laneCount == 0)
                    {
                        // The filter's end group is over (a later group started and its streams are closed).
                        requestDone(PublishDoneStatus.SUBSCRIPTION_ENDED, "end of the subscription filter",
                            StreamResetCode.CANCELLED);
                        doneAt = position;
                        return written;
                    }
                    if (pendingLanes > 0)
                    {
                        return written; // the pending objects may close the last streams: look again after them
                    }
                }
                if (TrackLog.isDatagram(b, off))
                {
                    if (passes(g, o) && (objectFilter == null || objectFilter.matches(b, off)))
                    {
                        if (written >= budget || !writer.isWritable())
                        {
                            // Held at the frontier (the backlog, as for stream objects) until the next pump: the
                            // budget is spent, or the writer cannot send yet (not started, or congested).
                            return written;
                        }
                        // §5.2: for datagrams "the SUBGROUP_DELIVERY_TIMEOUT acts the same way as
                        // OBJECT_DELIVERY_TIMEOUT; if both are non-zero, the smaller of the two is used".
                        final long timeout = smaller(objectDeliveryTimeout(), subgroupDeliveryTimeout());
                        if (timeout > 0 && timedOut(position, timeout))
                        {
                            objectTimedOut(); // §5.2: a datagram past its delivery timeout is dropped
                            cursor = position + length;
                            continue;
                        }
                        // Not part of any subgroup stream: no lane, sent at once, in log order.
                        final WriterProperties p = session.loop.writerProperties();
                        p.of(b, off, writer.propertiesEncoding(), writer.readsRelayProperties());
                        writer.writeDatagram(g, o, TrackLog.priority(b, off), TrackLog.status(b, off),
                            TrackLog.isEndOfGroup(b, off), p.buffer, p.offset, p.length, b,
                            off + TrackLog.HEADER_LENGTH + TrackLog.propertiesLength(b, off),
                            TrackLog.payloadLength(b, off));
                        objectsWritten++;
                        session.objectOut(TrackLog.status(b, off), TrackLog.payloadLength(b, off));
                        written++;
                    }
                }
                else if (passes(g, o) && (objectFilter == null || objectFilter.matches(b, off)))
                {
                    // An object outside the filters opens no lane: a subgroup none of whose objects pass opens no
                    // stream, and its end record finds no lane (no FIN, no reset).
                    final long sg = TrackLog.subgroup(b, off);
                    int i = findLane(g, sg);
                    if (i < 0)
                    {
                        i = newLane(g, sg);
                        if (i < 0)
                        {
                            return written; // every lane has pending objects: serve them before looking further
                        }
                        readSubgroupTimeouts(i, b, off);
                    }
                    if (pendingLanes == 0 && written < budget && writer.isWritable())
                    {
                        cursor = position + length;
                        write(i, position, b, off, o);
                        written++;
                        continue;
                    }
                    if (laneNext[i] == NONE)
                    {
                        laneNext[i] = position;
                        lanePriority[i] = TrackLog.priority(b, off);
                        pendingLanes++;
                    }
                }
            }
            else if (type == TrackLog.TYPE_END_SUBGROUP || type == TrackLog.TYPE_RESET_SUBGROUP)
            {
                final int i = findLane(TrackLog.group(b, off), TrackLog.subgroup(b, off));
                if (i >= 0 && laneNext[i] == NONE)
                {
                    closeLane(i, type, TrackLog.status(b, off), position);
                }
                else if (i >= 0 && type == TrackLog.TYPE_END_SUBGROUP)
                {
                    laneEndNanos[i] = log.ingestNanosAt(position); // its SUBGROUP_DELIVERY_TIMEOUT runs from here
                }
                // a lane with pending objects reaches this record itself (it is below the frontier)
            }
            cursor = position + length;
        }
        return written;
    }

    /** The pending lane to serve next in draft order, or -1. */
    private int selectLane()
    {
        if (pendingLanes == 0)
        {
            return -1;
        }
        int best = -1;
        for (int i = 0; i < laneCount; i++)
        {
            if (laneNext[i] != NONE && (best < 0 || precedes(i, best)))
            {
                best = i;
            }
        }
        return best;
    }

    /** Publisher priority, then the subscription's group order, then the lower subgroup ID. */
    private boolean precedes(final int i, final int j)
    {
        if (lanePriority[i] != lanePriority[j])
        {
            return lanePriority[i] < lanePriority[j];
        }
        final int g = Long.compareUnsigned(laneGroup[i], laneGroup[j]);
        if (g != 0)
        {
            return descending ? g > 0 : g < 0;
        }
        return Long.compareUnsigned(laneSubgroup[i], laneSubgroup[j]) < 0;
    }

    /**
     * Writes object {@code o} of lane {@code i}, whose record is at {@code position} ({@code off} in {@code b}), opening
     * the lane's stream first if needed. The caller checked that the writer is writable and moves a pending lane on.
     */
    private void write(final int i, final long position, final UnsafeBuffer b, final int off, final long o)
    {
        final long g = laneGroup[i];
        final long sg = laneSubgroup[i];
        if (laneTimedOut[i])
        {
            objectTimedOut(); // the rest of a subgroup that timed out: no new stream for it (§5.2)
            return;
        }
        final long timeout = objectDeliveryTimeout(i);
        if ((timeout > 0 && timedOut(position, timeout)) || subgroupTimedOut(i))
        {
            laneTimedOut[i] = true;
            objectTimedOut();
            if (laneOpen[i])
            {
                laneOpen[i] = false; // reset now; its end record then closes nothing
                writer.resetSubgroup(g, sg, StreamResetCode.DELIVERY_TIMEOUT);
            }
            return;
        }
        final int priority = TrackLog.priority(b, off);
        if (!laneOpen[i])
        {
            laneOpen[i] = true;
            writer.openSubgroup(g, sg, o, TrackLog.isFirstInSubgroup(b, off), priority);
        }
        if (retainsPayload && position < retainedFrom)
        {
            retainedFrom = position;
        }
        final int propertiesLength = TrackLog.propertiesLength(b, off);
        final int propertiesOffset = off + TrackLog.HEADER_LENGTH;
        final int payloadLength = TrackLog.payloadLength(b, off);
        final WriterProperties p = session.loop.writerProperties();
        p.of(b, off, writer.propertiesEncoding(), writer.readsRelayProperties());
        writer.writeObject(g, sg, o, priority, TrackLog.status(b, off), p.buffer, p.offset, p.length, b,
            propertiesOffset + propertiesLength, payloadLength);
        objectsWritten++;
        session.objectOut(TrackLog.status(b, off), payloadLength);
    }

    /**
     * Finds the lane's next record between {@code from} and the frontier (skipping other subgroups' records); a
     * subgroup end or reset closes the stream right away; none leaves the lane idle.
     */
    private void advance(final int i, final long from)
    {
        final TrackLog log = this.log;
        final long g = laneGroup[i];
        final long sg = laneSubgroup[i];
        long p = from;
        while (p < cursor)
        {
            final UnsafeBuffer b = log.buffer(p);
            final int off = log.offset(p);
            final int type = TrackLog.type(b, off);
            if (type != TrackLog.TYPE_PADDING && TrackLog.group(b, off) == g && TrackLog.subgroup(b, off) == sg)
            {
                if (type == TrackLog.TYPE_OBJECT)
                {
                    if (!TrackLog.isDatagram(b, off) && passes(g, TrackLog.object(b, off)) &&
                        (objectFilter == null || objectFilter.matches(b, off)))
                    {
                        laneNext[i] = p;
                        lanePriority[i] = TrackLog.priority(b, off);
                        return;
                    }
                }
                else
                {
                    closeLane(i, type, TrackLog.status(b, off), p);
                    return;
                }
            }
            p += TrackLog.length(b, off);
        }
        laneNext[i] = NONE;
        pendingLanes--;
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

    private int findLane(final long g, final long sg)
    {
        for (int i = laneCount - 1; i >= 0; i--)
        {
            if (laneGroup[i] == g && laneSubgroup[i] == sg)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * A lane for a newly seen subgroup, or -1 if every lane has pending objects. When the table is full, the oldest
     * lane with nothing pending (an open, idle stream) is reset with EXCESSIVE_LOAD to make room.
     */
    private int newLane(final long g, final long sg)
    {
        if (laneCount == laneGroup.length && laneCount < maxLanes)
        {
            growLanes(Math.min(maxLanes, 2 * laneCount));
        }
        if (laneCount == laneGroup.length)
        {
            int idle = -1;
            for (int i = 0; i < laneCount; i++)
            {
                if (laneNext[i] == NONE)
                {
                    idle = i;
                    break;
                }
            }
            if (idle < 0)
            {
                return -1;
            }
            final long og = laneGroup[idle];
            final long osg = laneSubgroup[idle];
            final boolean open = laneOpen[idle];
            removeLane(idle);
            if (open)
            {
                writer.resetSubgroup(og, osg, StreamResetCode.EXCESSIVE_LOAD);
                idleSubgroupsReset++;
                counters.idleSubgroupReset();
            }
        }
        final int i = laneCount++;
        laneGroup[i] = g;
        laneSubgroup[i] = sg;
        laneNext[i] = NONE;
        lanePriority[i] = 0;
        laneOpen[i] = false;
        laneTimedOut[i] = false;
        laneEndNanos[i] = NO_END;
        laneObjectTimeout[i] = DeliveryTimeoutProperties.ABSENT;
        laneSubgroupTimeout[i] = DeliveryTimeoutProperties.ABSENT;
        return i;
    }

    private void growLanes(final int lanes)
    {
        laneGroup = java.util.Arrays.copyOf(laneGroup, lanes);
        laneSubgroup = java.util.Arrays.copyOf(laneSubgroup, lanes);
        laneNext = java.util.Arrays.copyOf(laneNext, lanes);
        lanePriority = java.util.Arrays.copyOf(lanePriority, lanes);
        laneOpen = java.util.Arrays.copyOf(laneOpen, lanes);
        laneTimedOut = java.util.Arrays.copyOf(laneTimedOut, lanes);
        laneEndNanos = java.util.Arrays.copyOf(laneEndNanos, lanes);
        laneObjectTimeout = java.util.Arrays.copyOf(laneObjectTimeout, lanes);
        laneSubgroupTimeout = java.util.Arrays.copyOf(laneSubgroupTimeout, lanes);
    }

    /** Lanes the arrays hold now (tests: they start small and grow up to {@code maxOpenSubgroups}). */
    int laneCapacity()
    {
        return laneGroup.length;
    }

    /**
     * Whether lane {@code i}'s subgroup passed its SUBGROUP_DELIVERY_TIMEOUT: its FIN arrived longer ago than the
     * timeout and its stream still has objects to take (draft-21 §5.2: the stream did not reach "all data committed"
     * in time, so it is reset).
     */
    private boolean subgroupTimedOut(final int i)
    {
        final long end = laneEndNanos[i];
        if (end == NO_END)
        {
            return false;
        }
        final long timeout = subgroupDeliveryTimeout(i);
        return timeout > 0 && session.loop.pollNanos() - end > timeout;
    }

    /**
     * The subgroup ended (FIN) or was reset upstream (its record at {@code position}): close its stream and forget the
     * lane. A FIN that reaches the stream later than its SUBGROUP_DELIVERY_TIMEOUT after it arrived is a reset with
     * DELIVERY_TIMEOUT instead (draft-21 §5.2: the stream did not reach "all data committed" in time); one that is in
     * time goes to the writer with the time left, which resets the stream if QUIC has not taken it all by then.
     */
    private void closeLane(final int i, final int type, final int status, final long position)
    {
        final long g = laneGroup[i];
        final long sg = laneSubgroup[i];
        final boolean open = laneOpen[i];
        final long subgroupTimeout = open && type == TrackLog.TYPE_END_SUBGROUP ? subgroupDeliveryTimeout(i) : 0;
        removeLane(i);
        if (open)
        {
            if (subgroupTimeout > 0 && timedOut(position, subgroupTimeout))
            {
                subgroupsTimedOut++;
                writer.resetSubgroup(g, sg, StreamResetCode.DELIVERY_TIMEOUT);
            }
            else if (subgroupTimeout > 0 && log.ingestNanosAt(position) != Long.MAX_VALUE)
            {
                final long left = log.ingestNanosAt(position) + subgroupTimeout - session.loop.pollNanos();
                writer.endSubgroup(g, sg, Math.max(1, left));
            }
            else if (type == TrackLog.TYPE_END_SUBGROUP)
            {
                writer.endSubgroup(g, sg);
            }
            else
            {
                writer.resetSubgroup(g, sg, StreamResetCode.fromOrdinal(status));
            }
        }
    }

    private void removeLane(final int i)
    {
        if (laneNext[i] != NONE)
        {
            pendingLanes--;
        }
        final int n = laneCount - i - 1;
        System.arraycopy(laneGroup, i + 1, laneGroup, i, n);
        System.arraycopy(laneSubgroup, i + 1, laneSubgroup, i, n);
        System.arraycopy(laneNext, i + 1, laneNext, i, n);
        System.arraycopy(lanePriority, i + 1, lanePriority, i, n);
        System.arraycopy(laneOpen, i + 1, laneOpen, i, n);
        System.arraycopy(laneTimedOut, i + 1, laneTimedOut, i, n);
        System.arraycopy(laneEndNanos, i + 1, laneEndNanos, i, n);
        System.arraycopy(laneObjectTimeout, i + 1, laneObjectTimeout, i, n);
        System.arraycopy(laneSubgroupTimeout, i + 1, laneSubgroupTimeout, i, n);
        laneCount--;
    }

    /** Resets every open stream with {@code code} and drops every lane (pending objects are abandoned). */
    private void resetAll(final StreamResetCode code)
    {
        while (laneCount > 0)
        {
            final long g = laneGroup[0];
            final long sg = laneSubgroup[0];
            final boolean open = laneOpen[0];
            removeLane(0);
            if (open)
            {
                writer.resetSubgroup(g, sg, code);
            }
        }
        retainedFrom = LogHolder.NOTHING_HELD;
    }

    /** Abandons every lane (open streams are reset) and resumes at the next group that starts after now. */
    private void tooFarBehind()
    {
        resetAll(StreamResetCode.TOO_FAR_BEHIND);
        writer.resetEndedStreams(StreamResetCode.TOO_FAR_BEHIND);
        final long lg = log.largestGroup();
        if (lg != -1 && Long.compareUnsigned(lg + 1, resumeGroup) > 0)
        {
            resumeGroup = lg + 1;
        }
        cursor = Math.max(cursor, readEnd(log.committed()));
        tooFarBehindCount++;
        counters.tooFarBehind();
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
            doneAt = readEnd(log.committed());
        }
    }

    void update(final boolean forward, final int subscriberPriority)
    {
        this.forward = forward;
        this.subscriberPriority = subscriberPriority;
    }

    /**
     * Replaces the subscription's Range Filters ({@code null}: none), for objects not yet discovered or pending behind
     * the lane's next one (draft-21 §9.5.1: objects already on their way may fall outside the new filter). An open
     * stream stays open to its FIN: the objects between that no longer pass are skipped on it (§11.3.2 allows that for
     * objects that "did not pass the subscriber's filters"). Egress loop thread only (an engine command).
     */
    public void objectFilter(final ObjectFilter filter)
    {
        this.objectFilter = filter;
    }

    /** The subscriber left: no more calls to the writer. */
    void cancel()
    {
        finished = true;
        laneCount = 0;
        pendingLanes = 0;
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

    /**
     * Subgroup streams reset with EXCESSIVE_LOAD because every lane was taken when a new subgroup arrived (more than
     * {@code moq.relay.subscriber.max.open.subgroups} open at once): what those streams had not sent yet is lost, and
     * the subgroup's later objects go on a new stream.
     */
    public long idleSubgroupsReset()
    {
        return idleSubgroupsReset;
    }

    /** Subgroup streams open now. */
    public int openSubgroupCount()
    {
        int n = 0;
        for (int i = 0; i < laneCount; i++)
        {
            if (laneOpen[i])
            {
                n++;
            }
        }
        return n;
    }
}
