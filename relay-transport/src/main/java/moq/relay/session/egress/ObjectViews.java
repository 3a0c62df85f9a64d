package moq.relay.session.egress;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

/**
 * Recycled {@link ObjectView}s (an object's header, then a zero-copy view of its payload in the track log's off-heap
 * segment), so that forwarding an object allocates nothing. The stream's write releases a view once QUIC has taken
 * the bytes (or the write failed); instead of freeing anything, its {@code deallocate} reports the release
 * ({@code onReleased}: the engine may reuse the log memory once no view is in flight) and returns the view here, kept
 * per segment: a view is bound to one segment, the store's segments are pooled and a track's log cycles through them,
 * so after warm-up a view is always found (at most {@value #MAX_POOLED} are kept, so a writer's pool stays small).
 * Views of a large object's jumbo segment (larger than the smallest region seen, a store segment) are not kept.
 *
 * <p>Ownership: {@link #view} returns a view with reference count 1, owned by the caller, which encodes the header
 * into it, frames it and hands it to exactly one stream write. Confined to the event loop that runs the writer and
 * its streams (releases happen there too).
 */
final class ObjectViews
{
    /** Views kept for reuse across all segments: enough for a few in flight per recently used segment. */
    private static final int MAX_POOLED = 64;

    private final Runnable onReleased;
    /**
     * Free views by segment (identity: the log hands out one ByteBuffer per pooled segment, reused as it cycles). Sized
     * for a few segments and grown as a writer's track cycles through more: the default (32 expected) cost every idle
     * subscription about 0.5 KB of table (issue #19).
     */
    private final IdentityHashMap<ByteBuffer, ArrayDeque<ObjectView>> free = new IdentityHashMap<>(4);
    /** Emptied lists, reused for the next segment that gets a view back (no allocation once warm). */
    private final ArrayDeque<ArrayDeque<ObjectView>> spareLists = new ArrayDeque<>(2);
    private ByteBuffer segment;
    private ArrayDeque<ObjectView> segmentFree;
    private int pooled;
    /** Capacity of the smallest region seen: the store's segment size (jumbo segments are whole multiples of it). */
    private int segmentCapacity = Integer.MAX_VALUE;

    /** @param onReleased runs on every release of a view, after which the view's payload bytes are no longer read. */
    ObjectViews(final Runnable onReleased)
    {
        this.onReleased = onReleased;
    }

    /**
     * A view over {@code region}, a direct buffer over one whole segment (the same instance for the same segment, as
     * the log's views give it); encode the header into {@link ObjectView#header()}, then {@link ObjectView#frame}.
     */
    ObjectView view(final ByteBuffer region)
    {
        if (region != segment)
        {
            if (segmentFree != null && segmentFree.isEmpty())
            {
                free.remove(segment); // left behind empty: the map keeps only segments with views to give
                spareLists.push(segmentFree);
            }
            segment = region;
            segmentFree = free.get(region); // the track's segments cycle through the store's pool: seen before
        }
        final ObjectView v = segmentFree == null ? null : segmentFree.poll();
        if (v == null)
        {
            return new ObjectView(this, region);
        }
        pooled--;
        return v;
    }

    /** From {@link ObjectView#deallocate()}: the view's bytes are no longer read. */
    void recycle(final ObjectView v)
    {
        onReleased.run();
        if (pooled >= MAX_POOLED)
        {
            return; // bounded: a writer that ran through many segments keeps views for some of them only
        }
        final ByteBuffer region = v.segment();
        segmentCapacity = Math.min(segmentCapacity, region.capacity());
        if (region.capacity() > segmentCapacity)
        {
            // A jumbo segment (one large object): the store may free it and allocate others, so views bound to it
            // could fill the pool with views never used again. One view per large object is cheap next to its bytes.
            return;
        }
        ArrayDeque<ObjectView> list = region == segment ? segmentFree : free.get(region);
        if (list == null)
        {
            list = spareLists.isEmpty() ? new ArrayDeque<>(4) : spareLists.pop();
            free.put(region, list);
            if (region == segment)
            {
                segmentFree = list;
            }
        }
        list.add(v);
        pooled++;
    }
}
