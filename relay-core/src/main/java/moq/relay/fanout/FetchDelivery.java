package moq.relay.fanout;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * A FETCH served from the track log on an egress loop. When it is added, the records of the range that are still
 * cached are collected and ordered (group order as requested, object ID ascending within a group: the log holds them in
 * arrival order); the delivery then holds the log from the first of them until it ends.
 */
public final class FetchDelivery extends Delivery
{
    /** Whole group: the end object of an inclusive range that covers the rest of the end group. */
    public static final long WHOLE_GROUP = -1;
    /** The largest object ID a varint carries (2^62-1), used as "the rest of the group" in an unknown range. */
    public static final long MAX_OBJECT = (1L << 62) - 1;

    private final FetchWriter writer;
    private final long startGroup;
    private final long startObject;
    private final long endGroup;
    private final long endObject;
    private final long endPosition;
    private long unknownGroup = -1;
    private long unknownObject;
    private long[] positions = new long[0];
    private int next;
    private long hold;
    private boolean unknownSent;
    private long objectsWritten;
    /** Draft 20's Range Filters of the fetch, null for none: objects that fail are not in {@link #positions}. */
    private ObjectFilter objectFilter;

    /**
     * @param startPosition  where to start scanning (the cache start when the fetch was accepted).
     * @param endPosition    the log's committed position when the fetch was accepted: later objects are not included.
     * @param endObject      inclusive end object, or {@link #WHOLE_GROUP}.
     */
    public FetchDelivery(
        final EgressSession session,
        final TrackLog log,
        final int trackId,
        final long startPosition,
        final long endPosition,
        final long startGroup,
        final long startObject,
        final long endGroup,
        final long endObject,
        final int subscriberPriority,
        final boolean descending,
        final FetchWriter writer)
    {
        super(session, log, trackId, startPosition, subscriberPriority, descending);
        this.writer = writer;
        this.startGroup = startGroup;
        this.startObject = startObject;
        this.endGroup = endGroup;
        this.endObject = endObject;
        this.endPosition = endPosition;
        this.hold = startPosition;
    }

    /**
     * The fetch's Range Filters (draft 20; null: none): an object that does not pass is left out of the stream (a gap
     * a filtered FETCH may have, draft-21 §9.11). Set before the delivery is added to its loop.
     */
    public void objectFilter(final ObjectFilter filter)
    {
        this.objectFilter = filter;
    }

    @Override
    void onAdded()
    {
        long c = Math.max(cursor, log.cacheStart());
        long[] keys = new long[64];
        int n = 0;
        long minGroup = -1;
        long minObject = -1;
        while (c < endPosition)
        {
            final UnsafeBuffer b = log.buffer(c);
            final int off = log.offset(c);
            final int length = TrackLog.length(b, off);
            if (TrackLog.type(b, off) == TrackLog.TYPE_OBJECT)
            {
                final long g = TrackLog.group(b, off);
                final long o = TrackLog.object(b, off);
                if (minGroup == -1 || Long.compareUnsigned(g, minGroup) < 0 ||
                    (g == minGroup && Long.compareUnsigned(o, minObject) < 0))
                {
                    minGroup = g;
                    minObject = o;
                }
                if (inRange(g, o) && (objectFilter == null || objectFilter.matches(b, off)))
                {
                    if (n == keys.length)
                    {
                        keys = Arrays.copyOf(keys, n * 2);
                    }
                    keys[n++] = c;
                }
            }
            c += length;
        }
        // Objects before the oldest cached one have unknown status: the cache does not say they do not exist.
        if (minGroup == -1)
        {
            unknownGroup = endGroup;
            unknownObject = endObject == WHOLE_GROUP ? MAX_OBJECT : endObject;
        }
        else if (Long.compareUnsigned(startGroup, minGroup) < 0 ||
            (startGroup == minGroup && Long.compareUnsigned(startObject, minObject) < 0))
        {
            unknownGroup = minObject > 0 ? minGroup : minGroup - 1;
            unknownObject = minObject > 0 ? minObject - 1 : MAX_OBJECT;
        }
        final Long[] boxed = new Long[n];
        for (int i = 0; i < n; i++)
        {
            boxed[i] = keys[i];
        }
        Arrays.sort(boxed, (a, b) ->
        {
            final long ga = group(a);
            final long gb = group(b);
            if (ga != gb)
            {
                return descending ? Long.compareUnsigned(gb, ga) : Long.compareUnsigned(ga, gb);
            }
            final int co = Long.compareUnsigned(object(a), object(b));
            return co != 0 ? co : Long.compare(a, b);
        });
        positions = new long[n];
        for (int i = 0; i < n; i++)
        {
            positions[i] = boxed[i];
        }
        long min = endPosition;
        for (final long p : positions)
        {
            min = Math.min(min, p);
        }
        hold = Math.max(hold, min); // release what lies before the first record served
        cursor = n > 0 ? positions[0] : endPosition;
    }

    private long group(final long position)
    {
        return TrackLog.group(log.buffer(position), log.offset(position));
    }

    private long object(final long position)
    {
        return TrackLog.object(log.buffer(position), log.offset(position));
    }

    private boolean inRange(final long g, final long o)
    {
        final int cs = Long.compareUnsigned(g, startGroup);
        if (cs < 0 || (cs == 0 && Long.compareUnsigned(o, startObject) < 0))
        {
            return false;
        }
        final int ce = Long.compareUnsigned(g, endGroup);
        return ce < 0 || (ce == 0 && (endObject == WHOLE_GROUP || Long.compareUnsigned(o, endObject) <= 0));
    }

    @Override
    boolean writable()
    {
        return writer.isWritable();
    }

    @Override
    boolean hasWork()
    {
        return !finished;
    }

    @Override
    long holdFrom()
    {
        return finished ? LogHolder.NOTHING_HELD : hold;
    }

    @Override
    int pump(final int limit)
    {
        if (finished)
        {
            return 0;
        }
        if (hold < log.floor())
        {
            finished = true;
            writer.reset(StreamResetCode.UNKNOWN_OBJECT_STATUS); // cannot happen while held; defensive
            return 0;
        }
        if (unknownGroup != -1 && !unknownSent && !descending)
        {
            if (!writer.isWritable())
            {
                return 0;
            }
            writer.unknownRange(unknownGroup, unknownObject);
            unknownSent = true;
        }
        int written = 0;
        while (next < positions.length && written < limit)
        {
            if (!writer.isWritable())
            {
                return written;
            }
            final long p = positions[next];
            final UnsafeBuffer b = log.buffer(p);
            final int off = log.offset(p);
            final int propertiesLength = TrackLog.propertiesLength(b, off);
            final int propertiesOffset = off + TrackLog.HEADER_LENGTH;
            final WriterProperties properties = session.loop.writerProperties();
            properties.of(b, off, writer.propertiesEncoding(), writer.readsRelayProperties());
            writer.writeObject(TrackLog.group(b, off), TrackLog.subgroup(b, off), TrackLog.isDatagram(b, off),
                TrackLog.object(b, off), TrackLog.priority(b, off), TrackLog.status(b, off), properties.buffer,
                properties.offset, properties.length, b, propertiesOffset + propertiesLength,
                TrackLog.payloadLength(b, off));
            next++;
            written++;
            objectsWritten++;
            session.objectOut(TrackLog.status(b, off), TrackLog.payloadLength(b, off));
            cursor = next < positions.length ? positions[next] : endPosition;
        }
        if (next == positions.length)
        {
            finished = true;
            writer.end();
        }
        return written;
    }

    /** The fetch was cancelled by the subscriber: no more writer calls. */
    void cancel()
    {
        finished = true;
    }

    public long objectsWritten()
    {
        return objectsWritten;
    }
}
