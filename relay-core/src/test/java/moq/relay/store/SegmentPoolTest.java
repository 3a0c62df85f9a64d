package moq.relay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.AbstractQueue;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The pool under the interleaving that made {@code ConcurrentChurnTest} fail under machine load: a thread releasing a
 * segment is preempted inside the free queue's {@code offer}, after claiming its slot and before publishing it. Until
 * it runs again, {@code poll} returns null although segments released after it are queued.
 */
class SegmentPoolTest
{
    private static final int SEGMENT = 1024;

    /**
     * Agrona's {@code ManyToManyConcurrentArrayQueue} algorithm (bounded MPMC array queue, per-slot sequences), with a
     * way to hold the next offer between claiming its slot and publishing it, as a preempted producer would.
     */
    static final class StallableQueue extends AbstractQueue<UnsafeBuffer>
    {
        private final int mask;
        private final AtomicLongArray sequences;
        private final AtomicReferenceArray<UnsafeBuffer> buffer;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();
        final AtomicReference<CountDownLatch[]> stallNextOffer = new AtomicReference<>();

        StallableQueue(final int capacity)
        {
            mask = capacity - 1;
            sequences = new AtomicLongArray(capacity);
            buffer = new AtomicReferenceArray<>(capacity);
            for (int i = 0; i < capacity; i++)
            {
                sequences.set(i, i);
            }
        }

        /** The next offer claims its slot, counts down {@code claimed}, and publishes only once {@code resume} opens. */
        void stallNextOffer(final CountDownLatch claimed, final CountDownLatch resume)
        {
            stallNextOffer.set(new CountDownLatch[] {claimed, resume});
        }

        @Override
        public boolean offer(final UnsafeBuffer e)
        {
            while (true)
            {
                final long t = tail.get();
                final int i = (int)(t & mask);
                if (sequences.get(i) < t)
                {
                    return false;
                }
                if (tail.compareAndSet(t, t + 1))
                {
                    final CountDownLatch[] stall = stallNextOffer.getAndSet(null);
                    if (stall != null)
                    {
                        stall[0].countDown();
                        await(stall[1]);
                    }
                    buffer.set(i, e);
                    sequences.set(i, t + 1);
                    return true;
                }
            }
        }

        @Override
        public UnsafeBuffer poll()
        {
            while (true)
            {
                final long h = head.get();
                final int i = (int)(h & mask);
                final long s = sequences.get(i);
                if (s < h + 1)
                {
                    return null; // empty, or the producer of the head slot has not published it yet
                }
                if (s == h + 1 && head.compareAndSet(h, h + 1))
                {
                    final UnsafeBuffer e = buffer.getAndSet(i, null);
                    sequences.set(i, h + 1 + mask);
                    return e;
                }
            }
        }

        @Override
        public UnsafeBuffer peek()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterator<UnsafeBuffer> iterator()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size()
        {
            return (int)(tail.get() - head.get());
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** Releases {@code a} on a thread that stalls mid-offer, then releases {@code b} behind it; returns that thread. */
    private static Thread releaseBehindAStalledOffer(
        final SegmentPool pool, final StallableQueue queue, final UnsafeBuffer a, final UnsafeBuffer b,
        final CountDownLatch resume)
    {
        final CountDownLatch claimed = new CountDownLatch(1);
        queue.stallNextOffer(claimed, resume);
        final Thread preempted = new Thread(() -> pool.release(a), "preempted-releaser");
        preempted.start();
        await(claimed);
        pool.release(b); // completes: queued behind the stalled slot, invisible to poll until that slot is published
        assertThat(queue.poll()).as("the stalled slot hides the queued segment").isNull();
        return preempted;
    }

    @Test
    void aStalledReleaseDoesNotMakeThePoolAllocateWhileASegmentIsFree() throws Exception
    {
        final StallableQueue queue = new StallableQueue(16);
        final SegmentPool pool = new SegmentPool(SEGMENT, 8 * SEGMENT, queue);
        final UnsafeBuffer a = pool.acquire();
        final UnsafeBuffer b = pool.acquire();
        assertThat(pool.allocatedBytes()).isEqualTo(2 * SEGMENT);

        final CountDownLatch resume = new CountDownLatch(1);
        final Thread preempted = releaseBehindAStalledOffer(pool, queue, a, b, resume);
        final AtomicReference<UnsafeBuffer> got = new AtomicReference<>();
        final Thread acquirer = new Thread(() -> got.set(pool.acquire()), "acquirer");
        acquirer.start();
        acquirer.join(200); // the old pool allocated here at once: poll() had returned null
        resume.countDown();
        acquirer.join(10_000);
        preempted.join(10_000);

        assertThat(got.get()).isIn(a, b);
        assertThat(pool.allocatedBytes()).as("no segment allocated while one was free").isEqualTo(2 * SEGMENT);
        assertThat(pool.inUseBytes()).isEqualTo(SEGMENT);
        assertThat(pool.acquire()).isIn(a, b).isNotSameAs(got.get());
        assertThat(pool.allocatedBytes()).isEqualTo(2 * SEGMENT);
    }

    @Test
    void aStalledReleaseDoesNotMakeAFullPoolRefuseWhileASegmentIsFree() throws Exception
    {
        final StallableQueue queue = new StallableQueue(4);
        final SegmentPool pool = new SegmentPool(SEGMENT, 2 * SEGMENT, queue);
        final UnsafeBuffer a = pool.acquire();
        final UnsafeBuffer b = pool.acquire();
        assertThat(pool.acquire()).as("bound reached").isNull();

        final CountDownLatch resume = new CountDownLatch(1);
        final Thread preempted = releaseBehindAStalledOffer(pool, queue, a, b, resume);
        final AtomicReference<UnsafeBuffer> got = new AtomicReference<>();
        final Thread acquirer = new Thread(() -> got.set(pool.acquire()), "acquirer");
        acquirer.start();
        acquirer.join(200); // the old pool returned null here: the track would have dropped the object
        resume.countDown();
        acquirer.join(10_000);
        preempted.join(10_000);

        assertThat(got.get()).as("a free segment, not a spurious 'store exhausted'").isIn(a, b);
        assertThat(pool.allocatedBytes()).isEqualTo(2 * SEGMENT);
    }

    @Test
    void allocatesOnlyWhenNothingIsPooledAndNeverBeyondTheBound()
    {
        final SegmentPool pool = new SegmentPool(SEGMENT, 3 * SEGMENT);
        final UnsafeBuffer a = pool.acquire();
        pool.release(a);
        assertThat(pool.acquire()).isSameAs(a);
        final UnsafeBuffer b = pool.acquire();
        final UnsafeBuffer c = pool.acquire();
        assertThat(pool.acquire()).isNull();
        assertThat(pool.allocatedBytes()).isEqualTo(3 * SEGMENT);
        pool.release(b);
        pool.release(c);
        pool.release(a);
        assertThat(pool.inUseBytes()).isZero();
        for (int i = 0; i < 3; i++)
        {
            assertThat(pool.acquire()).isNotNull();
        }
        assertThat(pool.acquire()).isNull();
        assertThat(pool.allocatedBytes()).isEqualTo(3 * SEGMENT);
    }
}
