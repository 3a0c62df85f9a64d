package moq.relay.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The off-heap log of one track, which doubles as its cache of the most recent groups.
 * <p>
 * Every object (and every subgroup end or reset) is appended once as a record of a {@link #HEADER_LENGTH}-byte header,
 * the object's properties byte for byte, and the payload. Positions are byte offsets that only grow; a record never
 * spans segments (a padding record fills the rest of a segment). Segments come from a shared {@link SegmentPool}.
 * <p>
 * <b>Large objects.</b> A record larger than a segment gets a <i>jumbo</i> segment of its own from the pool: one
 * contiguous buffer a whole number {@code k} of segments long, which takes {@code k} consecutive segment numbers of
 * the position space (every one of those slots refers to it) and holds that one record, whose length field is the
 * whole jumbo ({@code k} segments; its properties and payload lengths say what it holds). So positions still count
 * bytes (a subscriber's backlog, the cache bound), a record is still read from its start position with
 * {@link #buffer}/{@link #offset} (a jumbo record starts at offset 0), the next record starts at the next segment,
 * and a jumbo is evicted and recycled as one unit. It counts as {@code k} segments toward the bounds below, so the
 * largest record is {@code cacheSegments} segments ({@link #maxRecordLength()}).
 * <p>
 * Bounds: at most {@code cacheSegments} segments hold the cache and at most {@code cacheGroups} groups are served to late
 * joiners and FETCH; at most {@code overflowSegments} more are borrowed while a {@link LogHolder} still references the
 * oldest segment, and one more is kept as the spare (the segment just recycled, reused next): at most
 * {@code cacheSegments + overflowSegments + 1} in all. Memory a holder references is never recycled (see
 * {@link LogHolder} for the protocol).
 * <p>
 * Threading: one writer at a time, which must hold {@link #lock()} (the engine's track ingest does); any thread may read
 * records in {@code [floor, committed)} following the holder protocol, and the volatile getters.
 */
public final class TrackLog
{
    public static final int TYPE_PADDING = 0;
    public static final int TYPE_OBJECT = 1;
    public static final int TYPE_END_SUBGROUP = 2;
    public static final int TYPE_RESET_SUBGROUP = 3;
    /** Flag in the type word of a {@link #TYPE_OBJECT} record: the object arrived as an OBJECT_DATAGRAM. */
    public static final int FLAG_DATAGRAM = 0x100;
    /** Flag in the type word of a datagram object record: its datagram had the END_OF_GROUP bit. */
    public static final int FLAG_END_OF_GROUP = 0x200;
    /**
     * Flag in the type word of a subgroup object record: it is the first object the original publisher published in
     * its subgroup (draft-18 FIRST_OBJECT), so a subgroup stream that starts with it must carry that bit.
     */
    public static final int FLAG_FIRST_IN_SUBGROUP = 0x400;
    /**
     * Flag in the type word of an object record: its properties are a draft-14 publisher's Extension Headers (QUIC
     * varints, absolute types), not draft-18+ Object Properties (leading-ones varints, delta-coded types). The log
     * keeps the publisher's bytes; whoever reads inside them needs to know which encoding they are in.
     */
    public static final int FLAG_DRAFT14_PROPERTIES = 0x800;
    /**
     * Flag in the type word of an object record: its properties are the relay's own, in the draft-18 form (delta-coded
     * types, the draft-17+ varint) whatever the publisher spoke: a moq-lite frame's timestamp as a TIMESTAMP property.
     * A writer that reads properties in another form (draft 14) is given none (the deliveries ask
     * {@code readsRelayProperties()}).
     */
    public static final int FLAG_RELAY_PROPERTIES = 0x1000;
    private static final int TYPE_MASK = 0xFF;

    public static final int LENGTH_OFFSET = 0;
    public static final int TYPE_OFFSET = 4;
    public static final int GROUP_OFFSET = 8;
    public static final int SUBGROUP_OFFSET = 16;
    public static final int OBJECT_OFFSET = 24;
    public static final int STATUS_OFFSET = 32;
    public static final int PRIORITY_OFFSET = 36;
    public static final int PROPERTIES_LENGTH_OFFSET = 40;
    public static final int PAYLOAD_LENGTH_OFFSET = 44;
    /** {@link System#nanoTime()} when ingest stored the record: how long it has waited inside the relay. */
    public static final int INGEST_NANOS_OFFSET = 48;
    public static final int HEADER_LENGTH = 56;
    public static final int ALIGNMENT = 8;

    /** Largest jumbo segment: record lengths are ints. */
    private static final long MAX_JUMBO_BYTES = 1L << 30;
    private static final LogHolder[] NO_HOLDERS = new LogHolder[0];
    private static final VarHandle COMMITTED;
    private static final VarHandle LAST_JUMBO;

    static
    {
        try
        {
            COMMITTED = MethodHandles.lookup().findVarHandle(TrackLog.class, "committed", long.class);
            LAST_JUMBO = MethodHandles.lookup().findVarHandle(TrackLog.class, "lastJumbo", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final SegmentPool pool;
    private final int segmentBytes;
    private final int shift;
    private final long mask;
    private final int cacheSegments;
    private final int maxSegments;
    private final int cacheGroups;
    private final UnsafeBuffer[] slots;
    /** Segments the buffer starting at this slot spans: 1, k for a jumbo's first slot, 0 for its other slots. */
    private final int[] slotSpan;
    private final int maxRecordLength;
    private final int slotMask;
    private final long[] indexGroup;
    private final long[] indexPosition;
    private final AtomicInteger lock = new AtomicInteger();

    private UnsafeBuffer spare; // a segment this log just recycled, reused before asking the shared pool
    private long firstSegment;
    private long nextSegment;
    private long tail;
    private long indexCount;
    private long largestObject = -1;
    private long claimPosition = -1;
    /** Ingest time for the next record (guarded by the log lock; see {@link #stamp}). */
    private long stampNanos;
    private int claimWrite;
    private int claimEnd;

    private volatile long committed;
    /** Start of the newest jumbo record, or -1 (release store after its length, before {@link #committed}). */
    private long lastJumbo = -1;
    private int lastJumboLength;
    private volatile long floor;
    private volatile long cacheStart;
    private volatile long largestGroup = -1;
    private volatile long epochStart;
    private volatile long epoch;
    private volatile LogHolder[] holders = NO_HOLDERS;

    private long appendedRecords;
    private long droppedRecords;

    public TrackLog(final SegmentPool pool, final int cacheSegments, final int overflowSegments, final int cacheGroups)
    {
        this.pool = pool;
        this.segmentBytes = pool.segmentBytes();
        this.shift = Integer.numberOfTrailingZeros(segmentBytes);
        this.mask = segmentBytes - 1;
        this.cacheSegments = cacheSegments;
        this.maxSegments = cacheSegments + overflowSegments;
        this.cacheGroups = cacheGroups;
        this.slots = new UnsafeBuffer[BitUtil.findNextPositivePowerOfTwo(maxSegments)];
        this.slotSpan = new int[slots.length];
        this.maxRecordLength = (int)Math.max(segmentBytes, Math.min(MAX_JUMBO_BYTES, (long)cacheSegments << shift));
        this.slotMask = slots.length - 1;
        this.indexGroup = new long[cacheGroups + 1];
        this.indexPosition = new long[cacheGroups + 1];
    }

    /** Takes the single-writer lock (a spin lock: appends are short and rarely contended). */
    /**
     * The ingest time the next appended or claimed record is stamped with ({@link #INGEST_NANOS_OFFSET}); set by the
     * ingest, which reads the clock anyway, under {@link #lock()}.
     */
    public void stamp(final long ingestNanos)
    {
        stampNanos = ingestNanos;
    }

    /**
     * When the record at {@code position} (a record start below {@link #committed()} that the caller holds) was
     * ingested, or {@link Long#MAX_VALUE} for segment padding, which has no stamp.
     */
    public long ingestNanosAt(final long position)
    {
        final UnsafeBuffer b = buffer(position);
        final int off = offset(position);
        return (b.getInt(off + TYPE_OFFSET) & TYPE_MASK) == TYPE_PADDING ? Long.MAX_VALUE :
            b.getLong(off + INGEST_NANOS_OFFSET);
    }

    public void lock()
    {
        while (!lock.compareAndSet(0, 1))
        {
            Thread.onSpinWait();
        }
    }

    public void unlock()
    {
        lock.set(0);
    }

    /** Record length for a body of {@code propertiesLength + payloadLength} bytes. */
    public static int recordLength(final int propertiesLength, final int payloadLength)
    {
        return BitUtil.align(HEADER_LENGTH + propertiesLength + payloadLength, ALIGNMENT);
    }

    /** Largest properties plus payload an object may have: a jumbo record as long as the cache. */
    public int maxBodyLength()
    {
        return maxRecordLength - HEADER_LENGTH;
    }

    /** Largest record (header, properties, payload): {@code cacheSegments} segments, at least one, at most 1 GiB. */
    public int maxRecordLength()
    {
        return maxRecordLength;
    }

    /**
     * Appends one record; the caller holds {@link #lock()}. Returns its start position, or -1 if it was dropped because
     * it is larger than a segment or no segment could be had within the bounds.
     */
    public long append(
        final int type,
        final long group,
        final long subgroup,
        final long object,
        final int priority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (claimPosition >= 0)
        {
            droppedRecords++;
            return -1;
        }
        final int length = reserve(recordLength(propertiesLength, payloadLength));
        if (length < 0)
        {
            return -1;
        }
        final long position = tail;
        final UnsafeBuffer b = slots[slot(position)];
        final int off = (int)(position & mask);
        writeHeader(b, off, length, type, group, subgroup, object, priority, status, properties, propertiesOffset,
            propertiesLength, payloadLength, stampNanos);
        if (payloadLength > 0)
        {
            b.putBytes(off + HEADER_LENGTH + propertiesLength, payload, payloadOffset, payloadLength);
        }
        if ((type & TYPE_MASK) == TYPE_OBJECT)
        {
            trackLargest(group, object, position);
        }
        tail = position + length;
        appendedRecords++;
        if (length > segmentBytes)
        {
            lastJumboLength = length;
            LAST_JUMBO.setRelease(this, position);
        }
        COMMITTED.setRelease(this, tail); // ordered publication; see hasHoldersAfterAppend for the StoreLoad case
        return position;
    }

    /**
     * Starts a record whose payload arrives in pieces (an object spanning packets): writes the header and properties
     * and reserves {@code payloadLength} bytes; the record becomes visible only at {@link #commitClaim()}. The caller
     * holds {@link #lock()} from the claim to the commit or abort, and appends exactly {@code payloadLength} bytes.
     * Returns the position, or -1 if it cannot be stored (see {@link #append}).
     */
    public long claim(
        final long group,
        final long subgroup,
        final long object,
        final int priority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final int payloadLength)
    {
        final int length = reserve(recordLength(propertiesLength, payloadLength));
        if (length < 0)
        {
            return -1;
        }
        final long position = tail;
        final UnsafeBuffer b = slots[slot(position)];
        final int off = (int)(position & mask);
        writeHeader(b, off, length, TYPE_OBJECT, group, subgroup, object, priority, status, properties, propertiesOffset,
            propertiesLength, payloadLength, stampNanos);
        claimPosition = position;
        claimWrite = off + HEADER_LENGTH + propertiesLength;
        claimEnd = off + HEADER_LENGTH + propertiesLength + payloadLength;
        return position;
    }

    /**
     * Makes room at the tail for a record of {@code length} bytes, rolling to a new segment when it does not fit in
     * the current one, or to a jumbo segment of its own when it is larger than a segment. Returns the length the
     * record takes in the log ({@code length}, or the whole jumbo), or -1, counted as a dropped record, when it is
     * larger than {@link #maxRecordLength()} or no memory can be had within the bounds.
     */
    private int reserve(final int length)
    {
        if (length > segmentBytes)
        {
            if (length > maxRecordLength || !roll((int)((length + mask) >>> shift)))
            {
                droppedRecords++;
                return -1;
            }
            return jumboLength();
        }
        if (nextSegment == firstSegment || (tail - ((nextSegment - 1) << shift)) + length > segmentBytes)
        {
            if (!roll(1))
            {
                droppedRecords++;
                return -1;
            }
        }
        return length;
    }

    /** Length of the jumbo segment just rolled to (the tail is at its start). */
    private int jumboLength()
    {
        return slotSpan[slot(tail)] << shift;
    }

    /** Writes a record's header and its properties at {@code off} of segment buffer {@code b}. */
    private static void writeHeader(
        final UnsafeBuffer b,
        final int off,
        final int length,
        final int type,
        final long group,
        final long subgroup,
        final long object,
        final int priority,
        final int status,
        final DirectBuffer properties,
        final int propertiesOffset,
        final int propertiesLength,
        final int payloadLength,
        final long ingestNanos)
    {
        b.putInt(off + LENGTH_OFFSET, length);
        b.putLong(off + INGEST_NANOS_OFFSET, ingestNanos);
        b.putInt(off + TYPE_OFFSET, type);
        b.putLong(off + GROUP_OFFSET, group);
        b.putLong(off + SUBGROUP_OFFSET, subgroup);
        b.putLong(off + OBJECT_OFFSET, object);
        b.putInt(off + STATUS_OFFSET, status);
        b.putInt(off + PRIORITY_OFFSET, priority);
        b.putInt(off + PROPERTIES_LENGTH_OFFSET, propertiesLength);
        b.putInt(off + PAYLOAD_LENGTH_OFFSET, payloadLength);
        if (propertiesLength > 0)
        {
            b.putBytes(off + HEADER_LENGTH, properties, propertiesOffset, propertiesLength);
        }
    }

    /** Appends payload bytes to the open claim; false if they would overflow the reserved length. */
    public boolean appendClaim(final DirectBuffer src, final int offset, final int length)
    {
        if (claimPosition < 0 || claimWrite + length > claimEnd)
        {
            return false;
        }
        slots[slot(claimPosition)].putBytes(claimWrite, src, offset, length);
        claimWrite += length;
        return true;
    }

    /** Publishes the claimed record; false (and nothing published) if its payload is incomplete. */
    public boolean commitClaim()
    {
        final long position = claimPosition;
        if (position < 0 || claimWrite != claimEnd)
        {
            return false;
        }
        final UnsafeBuffer b = slots[slot(position)];
        final int off = (int)(position & mask);
        trackLargest(TrackLog.group(b, off), TrackLog.object(b, off), position);
        tail = position + TrackLog.length(b, off);
        appendedRecords++;
        claimPosition = -1;
        final int length = TrackLog.length(b, off);
        if (length > segmentBytes)
        {
            lastJumboLength = length;
            LAST_JUMBO.setRelease(this, position);
        }
        COMMITTED.setRelease(this, tail);
        return true;
    }

    /** Drops the open claim: the reserved space is reused by the next record. */
    public void abortClaim()
    {
        claimPosition = -1;
    }

    public boolean hasOpenClaim()
    {
        return claimPosition >= 0;
    }

    private void trackLargest(final long group, final long object, final long position)
    {
        final long lg = largestGroup;
        if (lg == -1 || Long.compareUnsigned(group, lg) > 0)
        {
            indexGroup[(int)(indexCount % indexGroup.length)] = group;
            indexPosition[(int)(indexCount % indexGroup.length)] = position;
            indexCount++;
            if (indexCount > cacheGroups)
            {
                final long start = indexPosition[(int)((indexCount - cacheGroups) % indexGroup.length)];
                cacheStart = Math.max(start, floor);
            }
            largestObject = object;
            largestGroup = group;
        }
        else if (group == lg && Long.compareUnsigned(object, largestObject) > 0)
        {
            largestObject = object;
        }
    }

    /** Pads the current segment and moves the tail to a new one of {@code needed} segments (a jumbo if more than 1). */
    private boolean roll(final int needed)
    {
        if (nextSegment > firstSegment)
        {
            final long currentEnd = nextSegment << shift;
            final int remaining = (int)(currentEnd - tail);
            if (remaining > 0)
            {
                final UnsafeBuffer b = slots[slot(tail)];
                final int off = (int)(tail & mask);
                b.putInt(off + LENGTH_OFFSET, remaining);
                b.putInt(off + TYPE_OFFSET, TYPE_PADDING);
                tail = currentEnd;
                committed = tail;
            }
        }
        else
        {
            tail = nextSegment << shift;
        }
        reclaim(needed);
        final int room = (int)(maxSegments - (nextSegment - firstSegment));
        if (needed > room)
        {
            return false;
        }
        UnsafeBuffer b;
        int span = 1;
        if (needed == 1)
        {
            b = spare;
            spare = null;
            if (b == null)
            {
                b = pool.acquire();
            }
        }
        else
        {
            b = pool.acquireJumbo(needed, Math.min(room, (int)(MAX_JUMBO_BYTES >>> shift)));
            span = b == null ? 0 : b.capacity() >>> shift;
        }
        if (b == null)
        {
            return false;
        }
        for (int i = 0; i < span; i++)
        {
            slots[(int)((nextSegment + i) & slotMask)] = b;
        }
        slotSpan[(int)(nextSegment & slotMask)] = span;
        tail = nextSegment << shift;
        nextSegment += span;
        return true;
    }

    /** Returns the oldest segment (or jumbo) to the spare slot or the pool and forgets it. */
    private void recycleFirst()
    {
        final int s = (int)(firstSegment & slotMask);
        final int span = slotSpan[s];
        final UnsafeBuffer b = slots[s];
        if (span > 1)
        {
            pool.releaseJumbo(b);
        }
        else if (spare == null)
        {
            spare = b;
        }
        else
        {
            pool.release(b);
        }
        for (int i = 0; i < span; i++)
        {
            slots[(int)((firstSegment + i) & slotMask)] = null;
        }
        slotSpan[s] = 0;
        firstSegment += span;
    }

    /**
     * Recycles the oldest segments beyond the cache bounds that no holder references, to make room for {@code needed}
     * more segments.
     */
    private void reclaim(final int needed)
    {
        while (nextSegment > firstSegment)
        {
            final long end = (firstSegment + slotSpan[(int)(firstSegment & slotMask)]) << shift;
            final boolean overBytes = nextSegment - firstSegment + needed > cacheSegments;
            final boolean overGroups = end <= cacheStart;
            if (!overBytes && !overGroups)
            {
                return;
            }
            if (!overBytes && minHeld() < end)
            {
                return; // evicted only by the group bound: wait for readers rather than make them skip
            }
            if (floor < end)
            {
                floor = end; // condemn first, then look at the holders (see LogHolder)
                if (cacheStart < end)
                {
                    cacheStart = end;
                }
            }
            if (minHeld() < end)
            {
                return; // still referenced: keep it, borrow an overflow segment
            }
            recycleFirst();
        }
    }

    private long minHeld()
    {
        long min = LogHolder.NOTHING_HELD;
        for (final LogHolder h : holders)
        {
            min = Math.min(min, h.heldFrom());
        }
        return min;
    }

    /**
     * Frees every segment (idle track) unless a reader holds the log; the caller holds {@link #lock()}. Positions keep
     * growing, so stale cursors stay below the new floor. Returns false (nothing freed) if a holder appeared.
     */
    public boolean freeAll()
    {
        final long end = nextSegment << shift;
        floor = Math.max(end, floor); // condemn first, then look at the holders (see LogHolder)
        cacheStart = floor;
        if (holders.length > 0 && minHeld() < end)
        {
            return false;
        }
        while (nextSegment > firstSegment)
        {
            recycleFirst();
        }
        if (spare != null)
        {
            pool.release(spare);
            spare = null;
        }
        tail = end;
        committed = end;
        indexCount = 0;
        return true;
    }

    /**
     * Starts a new epoch at the tail (a new publisher took the track over; its group IDs are unrelated to the old
     * ones): the cached groups and the largest location are forgotten, as if every cached group had been evicted.
     * Positions keep growing, so nothing is freed under a reader: the old epoch's segments are recycled like evicted
     * ones, now if no holder references them, else once none does. Readers of the old epoch stop at
     * {@link #epochStart()}. The caller holds {@link #lock()}.
     */
    public void newEpoch()
    {
        final long start = tail;
        epochStart = start;
        epoch = epoch + 1; // after the start: whoever sees the new number sees its start
        cacheStart = start;
        largestGroup = -1;
        largestObject = -1;
        indexCount = 0;
        recycleBefore(start);
    }

    /**
     * Recycles the whole segments below {@code position} that no holder references, oldest first, with the holder
     * protocol of {@link #reclaim()}; a segment a reader still needs stays until a later roll recycles it. Never the
     * segment the tail is in.
     */
    private void recycleBefore(final long position)
    {
        while (nextSegment > firstSegment && ((firstSegment + 1) << shift) <= position)
        {
            final long end = (firstSegment + 1) << shift;
            if (minHeld() < end)
            {
                return; // wait for the reader rather than make it skip
            }
            if (floor < end)
            {
                floor = end; // condemn first, then look at the holders again (see LogHolder)
            }
            if (minHeld() < end)
            {
                return;
            }
            final int s = (int)(firstSegment & slotMask);
            if (spare == null)
            {
                spare = slots[s];
            }
            else
            {
                pool.release(slots[s]);
            }
            slots[s] = null;
            firstSegment++;
        }
    }

    /** Where the current epoch starts: a reader of an earlier epoch reads nothing from here on (volatile read). */
    public long epochStart()
    {
        return epochStart;
    }

    /** The current epoch's number, 0 for the first; {@link #newEpoch()} increments it (volatile read). */
    public long epoch()
    {
        return epoch;
    }

    /** Whether any reader holds the log (volatile read). */
    public boolean hasHolders()
    {
        return holders.length > 0;
    }

    /**
     * After an append: whether to publish a ring event. A reader being added stores the holder and then reads
     * {@link #committed()}; the append stored {@code committed} (release) and reads the holders here. If it sees none,
     * a full fence and a second look make the pair sequentially consistent, so either the reader sees the record or
     * the append sees the reader. The common case (holders present) costs no fence.
     */
    public boolean hasHoldersAfterAppend()
    {
        if (holders.length > 0)
        {
            return true;
        }
        VarHandle.fullFence();
        return holders.length > 0;
    }

    /** Tells every holder that new records are published (wakes the egress loops that serve this track). */
    public void signalHolders()
    {
        for (final LogHolder h : holders)
        {
            h.signal();
        }
    }

    /** Tells every holder that records were committed without a ring event (the ring was full). */
    public void signalHoldersMissed()
    {
        for (final LogHolder h : holders)
        {
            h.missedEvent();
        }
    }

    public synchronized void addHolder(final LogHolder holder)
    {
        final LogHolder[] old = holders;
        final LogHolder[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = holder;
        holders = next;
    }

    public synchronized void removeHolder(final LogHolder holder)
    {
        final LogHolder[] old = holders;
        for (int i = 0; i < old.length; i++)
        {
            if (old[i] == holder)
            {
                final LogHolder[] next = new LogHolder[old.length - 1];
                System.arraycopy(old, 0, next, 0, i);
                System.arraycopy(old, i + 1, next, i, old.length - i - 1);
                holders = next;
                return;
            }
        }
    }

    private int slot(final long position)
    {
        return (int)((position >>> shift) & slotMask); // window <= maxSegments <= slots
    }

    /** The segment holding {@code position}; valid only for positions in {@code [floor, committed)}. */
    public UnsafeBuffer buffer(final long position)
    {
        return slots[slot(position)];
    }

    public int offset(final long position)
    {
        return (int)(position & mask);
    }

    /** End of the last committed record: records below it are fully written (volatile read). */
    public long committed()
    {
        return committed;
    }

    /**
     * Length of the newest jumbo record (an object larger than a segment) if it starts at or after {@code position},
     * else 0. Any thread; a jumbo committed meanwhile may be reported instead.
     */
    public int jumboLengthFrom(final long position)
    {
        final long start = (long)LAST_JUMBO.getAcquire(this);
        return start >= 0 && start >= position ? lastJumboLength : 0;
    }

    /** Positions below the floor may be recycled and must not be read. */
    public long floor()
    {
        return floor;
    }

    /** Oldest position served to late joiners and FETCH: the start of the oldest cached group. */
    public long cacheStart()
    {
        return Math.max(cacheStart, floor);
    }

    /** Largest group seen, or -1. */
    public long largestGroup()
    {
        return largestGroup;
    }

    /** Largest object of the largest group; read under {@link #lock()} for a consistent pair with the group. */
    public long largestObject()
    {
        return largestObject;
    }

    /** Start position of {@code group} if it is among the cached groups' first appearances, else -1. */
    public long groupStart(final long group)
    {
        final long from = Math.max(0, indexCount - Math.min(cacheGroups, indexGroup.length));
        for (long i = indexCount - 1; i >= from; i--)
        {
            if (indexGroup[(int)(i % indexGroup.length)] == group)
            {
                final long p = indexPosition[(int)(i % indexGroup.length)];
                return p >= cacheStart() ? p : -1;
            }
        }
        return -1;
    }

    public long appendedRecords()
    {
        return appendedRecords;
    }

    public long droppedRecords()
    {
        return droppedRecords;
    }

    /** Segments this log holds now. */
    public int segmentsInUse()
    {
        return (int)(nextSegment - firstSegment);
    }

    public int maxSegments()
    {
        return maxSegments;
    }

    public int segmentBytes()
    {
        return segmentBytes;
    }

    // Record accessors: buffer and offset as returned by buffer(position) and offset(position).

    public static int length(final DirectBuffer b, final int off)
    {
        return b.getInt(off + LENGTH_OFFSET);
    }

    public static int type(final DirectBuffer b, final int off)
    {
        return b.getInt(off + TYPE_OFFSET) & TYPE_MASK;
    }

    /** Whether an object record arrived as an OBJECT_DATAGRAM (it belongs to no subgroup stream). */
    public static boolean isDatagram(final DirectBuffer b, final int off)
    {
        return (b.getInt(off + TYPE_OFFSET) & FLAG_DATAGRAM) != 0;
    }

    /** Whether a datagram object record had the END_OF_GROUP bit. */
    public static boolean isEndOfGroup(final DirectBuffer b, final int off)
    {
        return (b.getInt(off + TYPE_OFFSET) & FLAG_END_OF_GROUP) != 0;
    }

    /** Whether an object record's properties are draft-14 Extension Headers ({@link #FLAG_DRAFT14_PROPERTIES}). */
    public static boolean isDraft14Properties(final DirectBuffer b, final int off)
    {
        return (b.getInt(off + TYPE_OFFSET) & FLAG_DRAFT14_PROPERTIES) != 0;
    }

    /** Whether an object record is the first object of its subgroup (see {@link #FLAG_FIRST_IN_SUBGROUP}). */
    public static boolean isFirstInSubgroup(final DirectBuffer b, final int off)
    {
        return (b.getInt(off + TYPE_OFFSET) & FLAG_FIRST_IN_SUBGROUP) != 0;
    }

    public static long group(final DirectBuffer b, final int off)
    {
        return b.getLong(off + GROUP_OFFSET);
    }

    public static long subgroup(final DirectBuffer b, final int off)
    {
        return b.getLong(off + SUBGROUP_OFFSET);
    }

    public static long object(final DirectBuffer b, final int off)
    {
        return b.getLong(off + OBJECT_OFFSET);
    }

    public static int status(final DirectBuffer b, final int off)
    {
        return b.getInt(off + STATUS_OFFSET);
    }

    public static int priority(final DirectBuffer b, final int off)
    {
        return b.getInt(off + PRIORITY_OFFSET);
    }

    public static int propertiesLength(final DirectBuffer b, final int off)
    {
        return b.getInt(off + PROPERTIES_LENGTH_OFFSET);
    }

    /** Whether an object record's properties are the relay's own (see {@link #FLAG_RELAY_PROPERTIES}). */
    public static boolean hasRelayProperties(final DirectBuffer b, final int off)
    {
        return (b.getInt(off + TYPE_OFFSET) & FLAG_RELAY_PROPERTIES) != 0;
    }

    public static int payloadLength(final DirectBuffer b, final int off)
    {
        return b.getInt(off + PAYLOAD_LENGTH_OFFSET);
    }
}
