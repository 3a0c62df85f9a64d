package moq.relay.engine;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import moq.relay.store.LogHolder;
import moq.relay.store.TrackLog;

/**
 * One group of a track's cache, for an upstream FETCH answered group by group (a moq-lite publisher's, which serves
 * one group per request: docs/engine.md "Upstream FETCH"): whether the cache holds the group from an object on, and a
 * copy of those objects into the fetch's queue in object-ID order. The cache holds everything from its oldest object
 * on (the relay was subscribed meanwhile, as {@code Relay.cacheHolds} assumes), so a group at or after it that the
 * cache never saw does not exist. The copy reads the log as a {@link LogHolder} (the track's ingest lock is held only
 * to look the group up, not while copying); any thread. Not the live path: one copy of each object, as the upstream
 * answer's objects are copied.
 */
final class CachedGroups
{
    private CachedGroups()
    {
    }

    /** Whether {@code t}'s cache holds {@code group} from {@code firstObject} on (a group up to the largest). */
    static boolean holds(final Track t, final long group, final long firstObject)
    {
        final TrackLog log = t.log;
        log.lock();
        try
        {
            return holdsLocked(log, group, firstObject);
        }
        finally
        {
            log.unlock();
        }
    }

    /**
     * Queues {@code t}'s cached objects of {@code group} in {@code [firstObject, endObject)} on {@code fetch} (none for
     * a group the cache covers but never saw); false, with nothing queued, when the cache no longer holds the group
     * from {@code firstObject} (it was evicted since {@link #holds}). Stops early when the fetch is over
     * ({@link UpstreamFetch#cancelled()} then says so).
     */
    static boolean copy(final Track t, final long group, final long firstObject, final long endObject,
        final UpstreamFetch fetch)
    {
        final TrackLog log = t.log;
        final Holder holder = new Holder(log.cacheStart());
        log.addHolder(holder);
        try
        {
            if (log.floor() > holder.from)
            {
                return false; // evicted before the hold was published (the holder protocol's check)
            }
            final long from;
            final long to;
            log.lock();
            try
            {
                if (!holdsLocked(log, group, firstObject))
                {
                    return false;
                }
                from = log.groupStart(group);
                to = log.committed();
            }
            finally
            {
                log.unlock();
            }
            if (from < 0)
            {
                return true; // within what the cache covers, never seen: it does not exist
            }
            final List<long[]> objects = new ArrayList<>(); // (object id, position)
            for (long p = from; p < to; )
            {
                final UnsafeBuffer b = log.buffer(p);
                final int off = log.offset(p);
                final long o = TrackLog.object(b, off);
                if (TrackLog.type(b, off) == TrackLog.TYPE_OBJECT && TrackLog.group(b, off) == group &&
                    Long.compareUnsigned(o, firstObject) >= 0 && Long.compareUnsigned(o, endObject) < 0)
                {
                    objects.add(new long[] {o, p});
                }
                p += TrackLog.length(b, off);
            }
            objects.sort((x, y) -> Long.compareUnsigned(x[0], y[0])); // subgroups may interleave in the log
            for (final long[] object : objects)
            {
                final UnsafeBuffer b = log.buffer(object[1]);
                final int off = log.offset(object[1]);
                final int propertiesOffset = off + TrackLog.HEADER_LENGTH;
                final int propertiesLength = TrackLog.propertiesLength(b, off);
                if (!fetch.object(group, TrackLog.subgroup(b, off), TrackLog.isDatagram(b, off), object[0],
                    TrackLog.priority(b, off), TrackLog.status(b, off), b, propertiesOffset, propertiesLength, b,
                    propertiesOffset + propertiesLength, TrackLog.payloadLength(b, off),
                    TrackLog.isDraft14Properties(b, off)))
                {
                    break; // the fetch is over
                }
            }
            return true;
        }
        finally
        {
            log.removeHolder(holder);
        }
    }

    /** Under the log's lock: the group is not newer than the largest and the oldest cached object is at or before it. */
    private static boolean holdsLocked(final TrackLog log, final long group, final long firstObject)
    {
        final long largest = log.largestGroup();
        if (largest == -1 || Long.compareUnsigned(group, largest) > 0)
        {
            return false;
        }
        final long committed = log.committed();
        for (long p = log.cacheStart(); p < committed; )
        {
            final UnsafeBuffer b = log.buffer(p);
            final int off = log.offset(p);
            if (TrackLog.type(b, off) == TrackLog.TYPE_OBJECT)
            {
                final int c = Long.compareUnsigned(TrackLog.group(b, off), group);
                return c < 0 || (c == 0 && Long.compareUnsigned(TrackLog.object(b, off), firstObject) <= 0);
            }
            p += TrackLog.length(b, off);
        }
        return false;
    }

    /** Holds the log from the cache start it was made with until removed. */
    private static final class Holder implements LogHolder
    {
        private final long from;

        Holder(final long from)
        {
            this.from = from;
        }

        @Override
        public long heldFrom()
        {
            return from;
        }
    }
}
