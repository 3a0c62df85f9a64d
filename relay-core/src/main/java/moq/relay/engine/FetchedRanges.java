package moq.relay.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import moq.relay.fanout.FetchDelivery;
import moq.relay.fanout.RelayedFetchDelivery;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * The relay's store of upstream FETCH answers (docs/engine.md "Upstream FETCH", caching): what a publisher sent for a
 * range the track log did not hold is kept, as the immutable items the requester's delivery queued, so a later FETCH
 * within that range is answered here instead of by a second upstream FETCH, as a CDN edge serves a second viewer of
 * old content. Never on the live path: the log stays the live edge; this holds older ranges beside it.
 * <p>
 * Bounded in bytes (properties, payload and a fixed per-item overhead) per track and relay-wide
 * ({@code moq.relay.fetch.cache.track.bytes}, {@code moq.relay.fetch.cache.max.bytes}); the oldest stored range goes
 * first. A range being recorded reserves as its objects arrive, so a publisher's answer larger than the track bound is
 * not kept. A stored range that a replay still reads keeps its bytes counted until the replay is done.
 * <p>
 * Thread safety: the index is guarded by the relay's lock; {@link Recording#add} runs on the publisher session's
 * thread and reserves lock-free, taking the relay's lock only when it must evict to make room.
 */
final class FetchedRanges
{
    /** Bytes counted per item beside its properties and payload (the item and its list slot). */
    static final int ITEM_OVERHEAD = 64;

    private final Object lock;
    private final MemoryBudget budget;
    private final long trackMaxBytes;
    /** Every stored range, oldest first. */
    private final ArrayDeque<Span> spans = new ArrayDeque<>();
    private final AtomicLong hits = new AtomicLong();

    FetchedRanges(final Object lock, final long maxBytes, final long trackMaxBytes)
    {
        this.lock = lock;
        this.budget = new MemoryBudget(maxBytes);
        this.trackMaxBytes = Math.min(trackMaxBytes, maxBytes);
    }

    /** One stored answer: the publisher's objects and markers for {@code [start, end]} (inclusive). */
    static final class Span
    {
        final Track track;
        final long epoch;
        final Location start;
        /** The last location the answer covers (inclusive). */
        final Location end;
        /** The publisher's FETCH_OK end (exclusive encoding) and properties. */
        final Location okEnd;
        /**
         * The last location the answer is known complete to: the publisher's end, or the end of its group when the
         * track had a newer group when it was kept (a publisher's answer ends a superseded group where its objects
         * end), within the range asked.
         */
        final Location complete;
        final boolean endOfTrack;
        final List<KeyValuePair> properties;
        final List<RelayedFetchDelivery.Item> items;
        final long bytes;
        /** One for the store while indexed, one per replay reading it; the bytes are released at zero. */
        private final AtomicInteger refs = new AtomicInteger(1);
        private final MemoryBudget budget;

        Span(final Track track, final long epoch, final Location start, final Location end, final Location okEnd,
            final Location complete, final boolean endOfTrack, final List<KeyValuePair> properties,
            final List<RelayedFetchDelivery.Item> items, final long bytes, final MemoryBudget budget)
        {
            this.complete = complete;
            this.track = track;
            this.epoch = epoch;
            this.start = start;
            this.end = end;
            this.okEnd = okEnd;
            this.endOfTrack = endOfTrack;
            this.properties = properties;
            this.items = items;
            this.bytes = bytes;
            this.budget = budget;
        }

        void retain()
        {
            refs.incrementAndGet();
        }

        void release()
        {
            if (refs.decrementAndGet() == 0)
            {
                budget.release(bytes);
            }
        }
    }

    /** A FETCH answered from a stored range: the requester's table entry. */
    record Replay(Session session, RelayedFetchDelivery delivery) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            session.loop.execute(delivery::cancel);
        }

        @Override
        public boolean finished()
        {
            return delivery.isFinished();
        }
    }

    /**
     * Answers a FETCH of {@code [start, end)} (FETCH encoding) of {@code t} from a stored range, if one covers it:
     * FETCH_OK (the requested end, or the publisher's if it reported less; its properties), then the stored objects
     * and range markers within the range, in the publisher's order, and FIN, from the requester's egress loop. Not for
     * a descending FETCH (stored answers are ascending). Relay lock held.
     *
     * @return false if no stored range covers it (or the egress loop has no room): the caller fetches upstream.
     */
    boolean serve(final Session s, final long requestId, final Track t, final Location start, final Location end,
        final FetchRequest req, final moq.relay.fanout.FetchWriter writer, final FetchCallback cb)
    {
        if (req.groupOrder() == GroupOrder.DESCENDING || !s.loop.hasCommandRoom())
        {
            return false;
        }
        final Location last = inclusiveEnd(end);
        final Span span = find(t, start, last);
        if (span == null)
        {
            return false;
        }
        // The items are the store's (immutable, counted there until this replay releases the range): no reservation.
        final RelayedFetchDelivery d = new RelayedFetchDelivery(s.egress, req.subscriberPriority(), false, writer,
            n -> { });
        d.objectFilter(req.objectFilter());
        d.onFinished(span::release);
        s.requests.put(requestId, new Replay(s, d));
        final Location answered = inclusiveEnd(span.okEnd);
        final boolean within = last.compareTo(answered) <= 0;
        cb.ok(span.endOfTrack && last.compareTo(answered) >= 0, within ? end : span.okEnd, span.properties);
        for (final RelayedFetchDelivery.Item item : span.items)
        {
            final Location l = new Location(item.group(), item.objectId());
            if (l.compareTo(start) >= 0 && l.compareTo(last) <= 0)
            {
                d.offerItem(item);
            }
        }
        d.offerEnd();
        return true;
    }

    /** The last location a FETCH end (exclusive; object 0 = the whole group) covers. */
    static Location inclusiveEnd(final Location end)
    {
        return end.object() == 0 ? new Location(end.group(), FetchDelivery.MAX_OBJECT) :
            new Location(end.group(), end.object() - 1);
    }

    /** A recording of one upstream FETCH's answer; null when the store is off. Relay lock held. */
    Recording record(final Track t)
    {
        if (t == null || trackMaxBytes == 0)
        {
            return null;
        }
        return new Recording(t, t.log.epoch());
    }

    /** Stored ranges, bytes counted and FETCHes answered here: for metrics and tests. */
    long usedBytes()
    {
        return budget.usedBytes();
    }

    long hits()
    {
        return hits.get();
    }

    /**
     * The stored range that answers a FETCH of {@code [start, inclusiveEnd]} of {@code t}, retained for one replay
     * (the caller releases it when the replay is done), or null. A stored answer covers the range it was asked for up
     * to where it is known complete ({@link Span#complete}), and all of it while the track has nothing newer than the
     * publisher's end. Relay lock held.
     */
    Span find(final Track t, final Location start, final Location inclusiveEnd)
    {
        final Location largest = t.largest();
        final long epoch = t.log.epoch();
        for (final Iterator<Span> it = spans.descendingIterator(); it.hasNext(); )
        {
            final Span s = it.next();
            if (s.track == t && s.epoch != epoch)
            {
                it.remove(); // an older epoch's groups: unrelated to the current ones
                s.release();
                continue;
            }
            if (s.track != t || s.start.compareTo(start) > 0)
            {
                continue;
            }
            final Location answered = inclusiveEnd(s.okEnd);
            final boolean covers = inclusiveEnd.compareTo(s.end) <= 0 &&
                (inclusiveEnd.compareTo(s.complete) <= 0 || largest == null || largest.compareTo(answered) <= 0);
            if (covers)
            {
                s.retain();
                hits.incrementAndGet();
                return s;
            }
        }
        return null;
    }

    /** Forgets every range of {@code t} (a new epoch, the track freed or forgotten). Relay lock held. */
    void clear(final Track t)
    {
        for (final Iterator<Span> it = spans.iterator(); it.hasNext(); )
        {
            final Span s = it.next();
            if (s.track == t)
            {
                it.remove();
                s.release();
            }
        }
    }

    /** Drops the oldest stored range (of any track); false if none is left. Relay lock held. */
    private boolean evictOldest()
    {
        final Span s = spans.pollFirst();
        if (s == null)
        {
            return false;
        }
        s.release();
        return true;
    }

    private long trackBytes(final Track t)
    {
        long n = 0;
        for (final Span s : spans)
        {
            if (s.track == t)
            {
                n += s.bytes;
            }
        }
        return n;
    }

    /**
     * The items of one upstream FETCH answer as they arrive, kept if the answer completes (FIN after FETCH_OK) within
     * the bounds; their bytes are reserved in the store's budget as they come and given back if it is abandoned.
     */
    final class Recording
    {
        private final Track track;
        private final long epoch;
        private final List<RelayedFetchDelivery.Item> items = new ArrayList<>();
        private long bytes; // written under this monitor; read racily by add, its only grower
        private volatile boolean over;

        private Recording(final Track track, final long epoch)
        {
            this.track = track;
            this.epoch = epoch;
        }

        /**
         * The next item of the answer (publisher session's thread). Stops recording past the track bound. Reserves
         * without holding this recording's monitor, which {@link #commit} takes under the relay's lock.
         */
        void add(final RelayedFetchDelivery.Item item)
        {
            if (over)
            {
                return;
            }
            final long n = (long)item.length() + ITEM_OVERHEAD;
            if (bytes + n > trackMaxBytes || !reserve(n))
            {
                abandon();
                return;
            }
            synchronized (this)
            {
                if (over)
                {
                    budget.release(n);
                    return;
                }
                bytes += n;
                items.add(item);
            }
        }

        private boolean reserve(final long n)
        {
            if (budget.reserve(n))
            {
                return true;
            }
            synchronized (lock)
            {
                while (!budget.reserve(n))
                {
                    if (!evictOldest())
                    {
                        return false;
                    }
                }
                return true;
            }
        }

        /** Nothing of this answer is kept (reset, cancelled, too large). Any thread. */
        synchronized void abandon()
        {
            if (!over)
            {
                over = true;
                budget.release(bytes);
                bytes = 0;
                items.clear();
            }
        }

        /**
         * The answer ended with FIN: stores it as the range {@code [start, requestEnd)} (the upstream FETCH's, in
         * FETCH encoding) with the publisher's FETCH_OK, evicting the track's oldest ranges past the track bound, and
         * ranges it contains. Relay lock held.
         */
        synchronized void commit(final Location start, final Location requestEnd, final Location okEnd,
            final boolean endOfTrack, final List<KeyValuePair> properties)
        {
            if (over)
            {
                return;
            }
            over = true;
            if (track.log.epoch() != epoch || okEnd == null)
            {
                budget.release(bytes);
                return;
            }
            final Location end = inclusiveEnd(requestEnd);
            for (final Iterator<Span> it = spans.iterator(); it.hasNext(); )
            {
                final Span s = it.next();
                if (s.track == track && s.start.compareTo(start) >= 0 && s.end.compareTo(end) <= 0)
                {
                    it.remove();
                    s.release();
                }
            }
            long held = trackBytes(track);
            for (final Iterator<Span> it = spans.iterator(); it.hasNext() && held + bytes > trackMaxBytes; )
            {
                final Span s = it.next();
                if (s.track == track)
                {
                    it.remove();
                    held -= s.bytes;
                    s.release();
                }
            }
            final Location answered = inclusiveEnd(okEnd);
            final Location largest = track.largest();
            Location complete = answered.compareTo(end) < 0 ? answered : end;
            if (largest != null && Long.compareUnsigned(largest.group(), answered.group()) > 0 &&
                answered.compareTo(end) < 0)
            {
                final Location groupEnd = new Location(answered.group(), FetchDelivery.MAX_OBJECT);
                complete = groupEnd.compareTo(end) < 0 ? groupEnd : end;
            }
            spans.addLast(new Span(track, epoch, start, end, okEnd, complete, endOfTrack, properties,
                List.copyOf(items), bytes, budget));
        }
    }
}
