package moq.relay.engine;

import moq.relay.fanout.StreamResetCode;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.fanout.ObjectEvent;
import moq.relay.store.TrackLog;
import moq.relay.wire.data.ObjectStatus;

/**
 * The publisher-side data path of one track: a session that receives objects for the track (on an upstream
 * subscription or a PUBLISH) hands each one here. Each object is written once into the track's off-heap log and an
 * event is published on the fan-out ring. Allocation-free.
 * <p>
 * Threading: any thread; calls for one track are serialised by the log's spin lock (several publishers of one track
 * may ingest concurrently). The caller's buffers are copied during the call and may be reused after it returns.
 */
public final class TrackIngest
{
    /**
     * Object flag: the object arrived as an OBJECT_DATAGRAM. It is stored like any object (FETCH and late joiners may
     * be served it from the cache) but subscribers get it as a datagram, and no subgroup stream is opened for it.
     */
    public static final int DATAGRAM = TrackLog.FLAG_DATAGRAM;
    /** Object flag of a {@link #DATAGRAM}: its END_OF_GROUP bit, forwarded as received. */
    public static final int END_OF_GROUP = TrackLog.FLAG_END_OF_GROUP;
    /**
     * Object flag: the first object the original publisher published in its subgroup (draft-18 FIRST_OBJECT on the
     * stream that starts with it), kept so that a subgroup stream forwarded from it carries the bit.
     */
    public static final int FIRST_IN_SUBGROUP = TrackLog.FLAG_FIRST_IN_SUBGROUP;
    /** Object flag: the properties are a draft-14 publisher's Extension Headers (their pairs encode differently). */
    public static final int DRAFT14_PROPERTIES = TrackLog.FLAG_DRAFT14_PROPERTIES;
    /**
     * Object flag: the relay wrote the properties itself, in the draft-18 form (a moq-lite frame's timestamp as a
     * TIMESTAMP property); writers that read properties in another form are given none of them.
     */
    public static final int RELAY_PROPERTIES = TrackLog.FLAG_RELAY_PROPERTIES;
    /** The flags an object record's type word may carry besides {@link TrackLog#TYPE_OBJECT}. */
    private static final int OBJECT_FLAGS = DATAGRAM | END_OF_GROUP | FIRST_IN_SUBGROUP | DRAFT14_PROPERTIES |
        RELAY_PROPERTIES;

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrackIngest.class);

    private final int trackId;
    private final TrackLog log;
    private final RingBuffer<ObjectEvent> ring;
    private final int maxObjectBytes;
    /** Plain field: read only by the idle timer, for which a stale value is harmless. */
    long lastIngestNanos = System.nanoTime();
    /** Set while the track has several publishers: their copies of one object are forwarded once. */
    volatile boolean deduplicate;
    private static final int DEDUP_SLOTS = 64;
    private final long[] dedupGroup = new long[DEDUP_SLOTS];
    private final long[] dedupSubgroup = new long[DEDUP_SLOTS];
    private final long[] dedupLast = new long[DEDUP_SLOTS];
    private int dedupNext;
    private long rejected;
    private long duplicates;
    /** Plain counter (written under the log lock, read racily by metrics): objects above {@link #maxObjectBytes}. */
    private long oversized;
    /**
     * Plain counters (written under the log lock, read racily by metrics): objects stored and their payload bytes.
     * {@code claimedBytes} is the payload of the object claimed by {@link #beginObject}, counted when committed.
     */
    private long objectsIn;
    private long bytesIn;
    private int claimedBytes;
    /** Plain counter, written outside the track lock by the publishing thread (racy; for metrics and tests). */
    private long ringFull;

    /**
     * @param maxObjectBytes largest properties plus payload accepted ({@code moq.relay.store.max.object.bytes}); at
     *                       most {@link TrackLog#maxBodyLength()}
     */
    TrackIngest(final int trackId, final TrackLog log, final RingBuffer<ObjectEvent> ring, final int maxObjectBytes)
    {
        this.trackId = trackId;
        this.log = log;
        this.ring = ring;
        this.maxObjectBytes = Math.min(maxObjectBytes, log.maxBodyLength());
        java.util.Arrays.fill(dedupLast, -1);
    }

    /**
     * One object: {@code status} 0 normal (with payload), or an object status (End of Group 0x3, End of Track 0x4) with
     * an empty payload; {@code properties} are the object's properties exactly as received (encoded), forwarded byte
     * for byte, in the form {@code flags} names. {@code flags} are this class's object flags ({@link #DATAGRAM},
     * {@link #END_OF_GROUP}, {@link #FIRST_IN_SUBGROUP}, {@link #DRAFT14_PROPERTIES}, {@link #RELAY_PROPERTIES}), 0 for
     * none: a plain int, so that no object costs an allocation. A {@link #DATAGRAM}'s {@code subgroup} must be its
     * {@code objectId} (datagram objects have no subgroup; draft-14 fetch streams give them that subgroup id).
     * <p>
     * Returns false if the object was dropped: properties plus payload above {@link #maxObjectBytes()} (counted as
     * {@link #oversized()}; a session should check the size first and call {@link #resetOversized}), or the store is
     * exhausted (the session should end the subscription with EXCESSIVE_LOAD). An object larger than a store segment is
     * stored in a jumbo segment of its own (see {@link TrackLog}).
     */
    public boolean object(
        final int flags,
        final long group,
        final long subgroup,
        final long objectId,
        final int publisherPriority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        assert (flags & ~OBJECT_FLAGS) == 0 : "not an object flag: 0x" + Integer.toHexString(flags & ~OBJECT_FLAGS);
        assert (flags & DATAGRAM) == 0 || subgroup == objectId : "a datagram's subgroup is its object id";
        return append(TrackLog.TYPE_OBJECT | flags, group, subgroup, objectId, publisherPriority, status,
            properties == null ? EMPTY : properties, propertiesOffset, propertiesLength,
            payload == null ? EMPTY : payload, payloadOffset, payloadLength);
    }

    /**
     * Begins an object whose payload arrives in pieces (it spans packets): the header and properties are written now
     * and {@code payloadLength} bytes reserved in the log, so each piece is copied once, straight from the network
     * buffer, by {@link #appendPayload}; {@link #commitObject} publishes it. Non-blocking: returns false if the object
     * cannot be claimed (too large, store exhausted, or another claim is open on this track). While a claim is open,
     * other ingests of this track are refused (they return false), so a track with several publishers should feed
     * all but one through {@link #object}. Claim, appends and commit must come from one thread.
     */
    public boolean beginObject(
        final long group,
        final long subgroup,
        final long objectId,
        final int publisherPriority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final int payloadLength)
    {
        if (propertiesLength + (long)payloadLength > maxObjectBytes)
        {
            oversizedObject();
            return false;
        }
        final TrackLog log = this.log;
        final long now = System.nanoTime();
        log.lock();
        try
        {
            log.stamp(now);
            final long position = log.claim(group, subgroup, objectId, publisherPriority, status,
                properties == null ? EMPTY : properties, propertiesOffset, propertiesLength, payloadLength);
            if (position < 0)
            {
                rejected++;
                return false;
            }
            claimedBytes = payloadLength;
            return true;
        }
        finally
        {
            log.unlock();
        }
    }

    /** The next piece of the claimed object's payload; false if it exceeds the length given to beginObject. */
    public boolean appendPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        return log.appendClaim(buffer, offset, length);
    }

    /** Publishes the claimed object once its payload is complete; false if it is incomplete (nothing published). */
    public boolean commitObject()
    {
        final long now = System.nanoTime();
        final TrackLog log = this.log;
        final long position;
        final boolean signal;
        log.lock();
        try
        {
            position = log.committed();
            if (!log.commitClaim())
            {
                return false;
            }
            objectsIn++;
            bytesIn += claimedBytes;
            signal = log.hasHoldersAfterAppend();
        }
        finally
        {
            log.unlock();
        }
        lastIngestNanos = now;
        if (signal)
        {
            publish(position, now);
        }
        return true;
    }

    /** Abandons the claimed object (its stream was reset mid-object): nothing is published. */
    public void abortObject()
    {
        log.lock();
        try
        {
            log.abortClaim();
        }
        finally
        {
            log.unlock();
        }
    }

    /** The publisher FINed the subgroup stream: every object of it arrived. */
    public boolean endSubgroup(final long group, final long subgroup)
    {
        return append(TrackLog.TYPE_END_SUBGROUP, group, subgroup, 0, 0, 0, EMPTY, 0, 0, EMPTY, 0, 0);
    }

    /**
     * The publisher sent an object of {@code objectBytes} (properties plus payload) above {@link #maxObjectBytes()} on
     * this subgroup: it is not stored, the subgroup is reset downstream with EXCESSIVE_LOAD (a relay must not forward
     * the subgroup's later objects without it, draft-18 § Closing Subgroup Streams), and it is counted and logged. The
     * session calls this once per stream (it stops the publisher's stream and drops the rest of it), so the log is
     * one WARN per stream. Returns whether the reset record was stored.
     */
    public boolean resetOversized(final long group, final long subgroup, final long objectId, final long objectBytes)
    {
        log.lock();
        try
        {
            oversized++;
        }
        finally
        {
            log.unlock();
        }
        LOG.warn("track {}: object {}/{}/{} of {} bytes exceeds moq.relay.store.max.object.bytes ({}); the subgroup is " +
            "reset with EXCESSIVE_LOAD", trackId, group, subgroup, objectId, Long.toUnsignedString(objectBytes),
            maxObjectBytes);
        return resetSubgroup(group, subgroup, StreamResetCode.EXCESSIVE_LOAD);
    }

    /** The publisher reset the subgroup stream: downstream streams of it are reset with the same code. */
    public boolean resetSubgroup(final long group, final long subgroup, final StreamResetCode code)
    {
        return append(TrackLog.TYPE_RESET_SUBGROUP, group, subgroup, 0, 0, code.ordinal(), EMPTY, 0, 0, EMPTY, 0, 0);
    }

    private boolean append(
        final int type,
        final long group,
        final long subgroup,
        final long objectId,
        final int priority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (propertiesLength + (long)payloadLength > maxObjectBytes)
        {
            oversizedObject();
            return false;
        }
        final long now = System.nanoTime();
        final TrackLog log = this.log;
        final long position;
        final boolean signal;
        log.lock();
        try
        {
            // Datagram objects are keyed by (group, object id): their record's subgroup is the object id.
            if (deduplicate && (type & 0xFF) == TrackLog.TYPE_OBJECT &&
                isDuplicate(group, subgroup, objectId))
            {
                duplicates++;
                return true;
            }
            log.stamp(now);
            position = log.append(type, group, subgroup, objectId, priority, status, properties,
                propertiesOffset, propertiesLength, payload, payloadOffset, payloadLength);
            if (position < 0)
            {
                rejected++;
                return false;
            }
            // The low byte is the record type, the rest its flags; status objects (End of Group ...) are not counted.
            if ((type & 0xFF) == TrackLog.TYPE_OBJECT && status == ObjectStatus.NORMAL)
            {
                objectsIn++;
                bytesIn += payloadLength;
            }
            signal = log.hasHoldersAfterAppend();
        }
        finally
        {
            log.unlock();
        }
        lastIngestNanos = now;
        if (signal)
        {
            publish(position, now);
        }
        return true;
    }

    /**
     * The ring event, outside the track lock. It never waits: if the ring is full (some egress loop is behind, or its
     * owner stopped polling) the records are already committed to the log, so the track's holders are told to read
     * the log themselves ({@link moq.relay.store.LogHolder#missedEvent()}) instead. A slow loop therefore falls
     * behind and catches up from the log (or skips, TOO_FAR_BEHIND, past the backlog bound); it never stalls ingest
     * or the other loops. {@code InsufficientCapacityException} is a preallocated singleton: nothing is allocated.
     */
    private void publish(final long position, final long now)
    {
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            ringFull++;
            log.signalHoldersMissed();
            return;
        }
        try
        {
            ring.get(sequence).set(trackId, position, now);
        }
        finally
        {
            ring.publish(sequence);
        }
        log.signalHolders();
    }

    /** Objects whose ring event was replaced by a missed-event signal because the ring was full (racy read). */
    public long ringFull()
    {
        return ringFull;
    }

    /**
     * Objects of one subgroup arrive in increasing object ID order, so per recent subgroup the largest ID appended
     * identifies the copies a second publisher sends. Caller holds the log lock.
     */
    private boolean isDuplicate(final long group, final long subgroup, final long objectId)
    {
        for (int i = 0; i < DEDUP_SLOTS; i++)
        {
            if (dedupGroup[i] == group && dedupSubgroup[i] == subgroup && dedupLast[i] != -1)
            {
                if (Long.compareUnsigned(objectId, dedupLast[i]) <= 0)
                {
                    return true;
                }
                dedupLast[i] = objectId;
                return false;
            }
        }
        final int i = dedupNext;
        dedupNext = (dedupNext + 1) & (DEDUP_SLOTS - 1);
        dedupGroup[i] = group;
        dedupSubgroup[i] = subgroup;
        dedupLast[i] = objectId;
        return false;
    }

    /**
     * A new publisher took the track over (control thread, under the relay's lock): the log starts a new epoch (see
     * {@link TrackLog#newEpoch()}) and the de-duplication memory of the old publishers' subgroups is forgotten, so
     * the new publisher's group 0 is not taken for a copy of the old one's.
     */
    void newEpoch()
    {
        log.lock();
        try
        {
            log.newEpoch();
            java.util.Arrays.fill(dedupLast, -1);
        }
        finally
        {
            log.unlock();
        }
    }

    private void oversizedObject()
    {
        log.lock();
        try
        {
            oversized++;
        }
        finally
        {
            log.unlock();
        }
    }

    /** Largest properties plus payload of an object this track stores ({@code moq.relay.store.max.object.bytes}). */
    public int maxObjectBytes()
    {
        return maxObjectBytes;
    }

    /** Objects not stored because their properties plus payload exceeded {@link #maxObjectBytes()}. */
    public long oversized()
    {
        return oversized;
    }

    /**
     * Normal objects stored in the track's log (stream and datagram objects; status objects such as End of Group are
     * stored but not counted, as the session's objects sent are not); racy read.
     */
    public long objectsIn()
    {
        return objectsIn;
    }

    /** Payload bytes of {@link #objectsIn()}; racy read. */
    public long bytesIn()
    {
        return bytesIn;
    }

    /** Copies of objects dropped because another publisher of the track delivered them first. */
    public long duplicates()
    {
        return duplicates;
    }

    public int trackId()
    {
        return trackId;
    }

    /** Objects dropped because they did not fit (too large, or the store bound was reached). */
    public long rejected()
    {
        return rejected;
    }

    TrackLog log()
    {
        return log;
    }
}
