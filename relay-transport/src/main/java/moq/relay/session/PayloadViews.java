package moq.relay.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.IdentityHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * Zero-copy payload views over the track log's off-heap segments, recycled so that forwarding an object allocates
 * nothing. A view is a {@link ByteBuf} over one whole segment whose reader and writer indexes frame one payload; the
 * stream's write releases it once the bytes are handed to QUIC (or the write failed), and instead of freeing anything
 * its {@code deallocate} reports the release ({@code onReleased}: the engine may reuse the log memory once no view
 * is in flight) and returns the view to this pool, kept per segment: the store's segments are pooled and a track's
 * log cycles through them, so after warm-up a view is always found (at most {@value #MAX_POOLED} are kept, so a
 * writer's pool stays a few kilobytes).
 *
 * <p>Ownership: {@link #view} returns a view with reference count 1, owned by the caller, which hands it to exactly
 * one stream write. Confined to the event loop that runs the writer and its streams (releases happen there too).
 */
final class PayloadViews
{
    /** Whether Netty may use Unsafe here: its unsafe buffers fail without it (JDK 24+ by default). */
    private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

    /** Views kept for reuse across all segments: enough for a few in flight per recently used segment. */
    private static final int MAX_POOLED = 64;

    private final Runnable onReleased;
    /** Free views by segment (identity: the log hands out one ByteBuffer per pooled segment, reused as it cycles). */
    private final IdentityHashMap<ByteBuffer, ArrayDeque<ByteBuf>> free = new IdentityHashMap<>();
    /** Emptied lists, reused for the next segment that gets a view back (no allocation once warm). */
    private final ArrayDeque<ArrayDeque<ByteBuf>> spareLists = new ArrayDeque<>();
    private ByteBuffer segment;
    private ArrayDeque<ByteBuf> segmentFree;
    private int pooled;

    /** @param onReleased runs on every release of a view, after which the view's bytes are no longer read. */
    PayloadViews(final Runnable onReleased)
    {
        this.onReleased = onReleased;
    }

    /**
     * A view of {@code length} bytes at {@code offset} of {@code region}, a direct buffer over one whole segment (the
     * same instance for the same segment, as the log's views give it).
     */
    ByteBuf view(final ByteBuffer region, final int offset, final int length)
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
        ByteBuf v = segmentFree == null ? null : segmentFree.poll();
        if (v == null)
        {
            v = UNSAFE ? new UnsafeView(region) : new View(region);
        }
        else
        {
            pooled--;
        }
        v.setIndex(offset, offset + length);
        return v;
    }

    private void recycle(final ByteBuf v, final ByteBuffer region)
    {
        if (pooled >= MAX_POOLED)
        {
            return; // bounded: a writer that ran through many segments keeps views for some of them only
        }
        ArrayDeque<ByteBuf> list = region == segment ? segmentFree : free.get(region);
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

    /**
     * A segment-wide direct ByteBuf that recycles itself instead of being freed (it never owned the memory), for JVMs
     * where Netty may use {@code sun.misc.Unsafe} (reads by memory address, what quiche's send wants).
     */
    private final class UnsafeView extends UnpooledUnsafeDirectByteBuf
    {
        private final ByteBuffer region;

        UnsafeView(final ByteBuffer region)
        {
            // The constructor takes a slice of a duplicate: the log's buffer keeps its own position and limit.
            super(UnpooledByteBufAllocator.DEFAULT, region.duplicate().clear(), region.capacity());
            this.region = region;
        }

        @Override
        protected void deallocate()
        {
            resetRefCnt();
            onReleased.run();
            recycle(this, region);
        }
    }

    /** The same without Unsafe (Netty turns it off on JDK 24 and later unless allowed): reads through the NIO buffer. */
    private final class View extends UnpooledDirectByteBuf
    {
        private final ByteBuffer region;

        View(final ByteBuffer region)
        {
            super(UnpooledByteBufAllocator.DEFAULT, region.duplicate().clear(), region.capacity());
            this.region = region;
        }

        @Override
        protected void deallocate()
        {
            resetRefCnt();
            onReleased.run();
            recycle(this, region);
        }
    }
}
