package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoop;

/**
 * Issues #19 and #15: an egress loop that serves no delivery is never woken (its owner polls it on signals of its own
 * tracks and on commands), so it must not hold the Disruptor ring back. Were it gating, the ring would be full after
 * {@code moq.relay.ring.size} events and every object would take the log-pump path on every loop; its ring lag gauge
 * would climb while it is idle. Once it serves a delivery it gates (and consumes) the ring again, and when the last one
 * goes it stops.
 * <p>
 * The fast path's assertions (no full ring, no log pumps) hold only if every loop that serves the track keeps within a
 * ring of the publisher, so the publisher here waits until every subscriber got each object: a loop left unpaced may
 * legitimately fall a whole ring behind on a loaded host and send the objects to the log path (that is the slow-loop
 * behaviour, {@link SlowEgressLoopTest}). The reverted first attempt's test paced only the rejoined loop's subscriber,
 * which is why it failed now and then with the other loop's owner descheduled.
 */
class IdleEgressLoopTest
{
    private static final int RING = 64;
    /** Rounds of join and leave per threaded run. */
    private static final int ROUNDS = 4;
    private static final int GROUP = 100;
    /** Subscribers start at the next object (no catch-up from the cache): counts are objects published since. */
    private static final SubscribeOptions LIVE = SubscribeOptions.of(SubscriptionFilter.largestObject());

    private static Relay twoLoops()
    {
        final Map<String, String> m = new HashMap<>();
        m.put(RelayConfiguration.RING_SIZE_PROP_NAME, Integer.toString(RING));
        // The tests' own pauses (a loaded host) must not count as a subscriber's delay (TOO_FAR_BEHIND).
        m.put(RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, "0s");
        return new Relay(RelayConfiguration.from(m), 2);
    }

    private static void pollUntilIdle(final EgressLoop loop)
    {
        while (loop.poll() > 0)
        {
            // drain
        }
    }

    /** One thread owns both loops and publishes: the order of every step is fixed. */
    @Test
    void aLoopServingNothingNeitherHoldsTheRingBackNorLagsAndGatesWhileItServes()
    {
        try (Relay relay = twoLoops())
        {
            final EgressLoop busy = relay.egressLoop(0);
            final EgressLoop idle = relay.egressLoop(1);
            pollUntilIdle(idle); // its owner's first poll, as the server's binding does; then nothing wakes it
            final FullTrackName track = FullTrackName.of("t", "idle-loop");
            // The publisher's session is on the idle loop: publishing gives a loop nothing to deliver.
            final UpstreamSubscription up = relay.openSession("pub", 1).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            pollUntilIdle(idle);
            final OrderWriter early = new OrderWriter();
            relay.openSession("s", 0).subscribe(1, track, LIVE, early, new Callbacks.Sub());
            pollUntilIdle(busy);
            final Sender sender = new Sender(up);

            for (int i = 0; i < 4 * RING; i++)
            {
                assertThat(sender.next()).isTrue();
                pollUntilIdle(busy);
            }
            assertThat(early.count).isEqualTo(4 * RING);
            assertThat(up.ingest().ringFull()).as("objects that found the ring full").isZero();
            assertThat(busy.counters().missedPumps()).as("log pumps because the ring was full").isZero();
            assertThat(idle.ringLag()).as("the idle loop's ring lag").isZero();
            assertThat(relay.ringOccupancy()).as("ring slots not consumed by every gating loop").isZero();

            // A subscriber on the idle loop: it gates and consumes the ring from its first delivery on.
            final OrderWriter late = new OrderWriter();
            final Session lateSession = relay.openSession("s2", 1);
            lateSession.subscribe(1, track, LIVE, late, new Callbacks.Sub());
            pollUntilIdle(idle);
            final long seenBefore = idle.eventsSeen();
            for (int i = 0; i < 4 * RING; i++)
            {
                assertThat(sender.next()).isTrue();
                pollUntilIdle(busy);
                pollUntilIdle(idle);
            }
            assertThat(late.count).isEqualTo(4 * RING);
            assertThat(idle.eventsSeen() - seenBefore).as("ring events the formerly idle loop consumed")
                .isEqualTo(4 * RING);
            assertThat(up.ingest().ringFull()).isZero();
            assertThat(idle.counters().missedPumps()).isZero();
            assertThat(busy.counters().missedPumps()).isZero();

            // While it serves, it gates: unpolled, it fills the ring, and catches up from the log when polled.
            for (int i = 0; i < 2 * RING; i++)
            {
                assertThat(sender.next()).isTrue();
                pollUntilIdle(busy);
            }
            assertThat(idle.ringLag()).as("lag of the serving, unpolled loop").isEqualTo(RING);
            assertThat(up.ingest().ringFull()).isEqualTo(RING);
            pollUntilIdle(idle);
            assertThat(late.count).isEqualTo(6 * RING);
            assertThat(idle.ringLag()).isZero();

            // Its last delivery goes: it stops gating, and stays out while nothing wakes it.
            lateSession.cancel(1);
            pollUntilIdle(idle);
            final long fullBefore = up.ingest().ringFull();
            for (int i = 0; i < 4 * RING; i++)
            {
                assertThat(sender.next()).isTrue();
                pollUntilIdle(busy);
            }
            assertThat(up.ingest().ringFull()).isEqualTo(fullBefore);
            assertThat(idle.ringLag()).isZero();
            assertThat(early.count).isEqualTo(14 * RING);
            assertThat(early.gaps + late.gaps).as("objects skipped or repeated").isZero();
        }
    }

    /**
     * As the server runs it: each loop owned by its own thread that polls only when woken, every session's control
     * calls on its loop's owner, the publisher on a third thread. The idle loop joins and leaves the ring several times;
     * the publisher waits for every subscriber, so each loop is at most one event behind and a full ring can only come
     * from a loop that gates without being woken (or a stale gating sequence).
     */
    @TestFactory
    Stream<DynamicTest> joiningAndLeavingAcrossThreadsKeepsTheFastPath()
    {
        return repeated(IdleEgressLoopTest::joinAndLeaveAcrossThreads);
    }

    /** Runs {@code -DidleEgressLoop.repetitions} times (3 by default), each with a relay of its own. */
    private static Stream<DynamicTest> repeated(final org.junit.jupiter.api.function.Executable run)
    {
        return IntStream.rangeClosed(1, Integer.getInteger("idleEgressLoop.repetitions", 3))
            .mapToObj(r -> DynamicTest.dynamicTest("run " + r, run));
    }

    private static void joinAndLeaveAcrossThreads() throws Exception
    {
        final ExecutorService busyOwner = Executors.newSingleThreadExecutor();
        final ExecutorService idleOwner = Executors.newSingleThreadExecutor();
        try (Relay relay = twoLoops())
        {
            final EgressLoop busy = relay.egressLoop(0);
            final EgressLoop idle = relay.egressLoop(1);
            wakeOn(busy, busyOwner);
            wakeOn(idle, idleOwner);
            idleOwner.submit(idle::poll).get(); // the server's binding polls each loop once
            final FullTrackName track = FullTrackName.of("t", "idle-loop");
            final UpstreamSubscription up = idleOwner.submit(() -> relay.openSession("pub", 1).publish(1, track,
                List.of(), null, new FakePublisher(), new Callbacks.Req())).get();
            final OrderWriter early = new OrderWriter();
            busyOwner.submit(() -> relay.openSession("s", 0).subscribe(1, track, LIVE, early,
                new Callbacks.Sub())).get();
            final Sender sender = new Sender(up);
            long sent = 0;
            for (int i = 0; i < 2 * RING; i++)
            {
                assertThat(sender.next()).isTrue();
                awaitCount(busyOwner, early, ++sent);
            }
            assertThat(idle.ringLag()).as("the idle loop's ring lag").isZero();
            for (int round = 0; round < ROUNDS; round++)
            {
                final OrderWriter late = new OrderWriter();
                final Session lateSession = idleOwner.submit(() ->
                {
                    final Session s = relay.openSession("late", 1);
                    s.subscribe(1, track, LIVE, late, new Callbacks.Sub());
                    return s;
                }).get();
                for (int i = 0; i < 2 * RING; i++)
                {
                    assertThat(sender.next()).isTrue();
                    awaitCount(busyOwner, early, ++sent);
                    awaitCount(idleOwner, late, i + 1);
                }
                idleOwner.submit(() -> lateSession.cancel(1)).get();
                assertThat(idleOwner.submit(() -> late.gaps).get()).isZero();
                // Its last delivery went (on the poll the cancel woke): nothing wakes it now, and it holds nothing.
                for (int i = 0; i < 2 * RING; i++)
                {
                    assertThat(sender.next()).isTrue();
                    awaitCount(busyOwner, early, ++sent);
                }
                assertThat(idle.ringLag()).as("the idle loop's ring lag after round %d", round).isZero();
            }
            assertThat(up.ingest().ringFull()).as("objects that found the ring full").isZero();
            assertThat(busy.counters().missedPumps()).isZero();
            assertThat(idle.counters().missedPumps()).isZero();
            assertThat(busyOwner.submit(() -> early.gaps).get()).isZero();
        }
        finally
        {
            busyOwner.shutdownNow();
            idleOwner.shutdownNow();
        }
    }

    /**
     * The join itself races a running publisher: the loop skips the events claimed before it joined, and the new
     * delivery must find their records in the log, so every subscription sees an unbroken run of objects. (The ring
     * may fill here: nothing paces the publisher.)
     */
    @TestFactory
    Stream<DynamicTest> aLoopJoiningWhileThePublisherRunsLosesNothing()
    {
        return repeated(IdleEgressLoopTest::joinWhilePublishing);
    }

    private static void joinWhilePublishing() throws Exception
    {
        final ExecutorService busyOwner = Executors.newSingleThreadExecutor();
        final ExecutorService idleOwner = Executors.newSingleThreadExecutor();
        try (Relay relay = twoLoops())
        {
            final EgressLoop busy = relay.egressLoop(0);
            final EgressLoop idle = relay.egressLoop(1);
            wakeOn(busy, busyOwner);
            wakeOn(idle, idleOwner);
            idleOwner.submit(idle::poll).get();
            final FullTrackName track = FullTrackName.of("t", "idle-loop");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final OrderWriter early = new OrderWriter();
            busyOwner.submit(() -> relay.openSession("s", 0).subscribe(1, track, LIVE, early,
                new Callbacks.Sub())).get();
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread publisher = new Thread(() ->
            {
                final Sender sender = new Sender(up);
                while (running.get())
                {
                    sender.next();
                    if ((sender.sent & 7) == 0)
                    {
                        LockSupport.parkNanos(200_000); // at most ~40,000 objects/s: far from the backlog bounds
                    }
                }
            }, "publisher");
            publisher.start();
            try
            {
                for (int round = 0; round < 20; round++)
                {
                    final OrderWriter late = new OrderWriter();
                    final Session s = idleOwner.submit(() ->
                    {
                        final Session session = relay.openSession("late", 1);
                        session.subscribe(1, track, LIVE, late, new Callbacks.Sub());
                        return session;
                    }).get();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (idleOwner.submit(() -> late.count).get() < 200)
                    {
                        assertThat(System.nanoTime()).as("the late subscriber's objects").isLessThan(deadline);
                        Thread.sleep(0, 200_000);
                    }
                    idleOwner.submit(() -> s.cancel(1)).get();
                    assertThat(idleOwner.submit(() -> late.gaps).get()).as("objects skipped or repeated").isZero();
                }
            }
            finally
            {
                running.set(false);
                publisher.join(10_000);
            }
            assertThat(busyOwner.submit(() -> early.gaps).get()).isZero();
            assertThat(busyOwner.submit(() -> early.count).get()).isPositive();
        }
        finally
        {
            busyOwner.shutdownNow();
            idleOwner.shutdownNow();
        }
    }

    /** The loop's wake-up schedules a poll on its owner, as the server's binding does on an event loop. */
    private static void wakeOn(final EgressLoop loop, final ExecutorService owner)
    {
        loop.wakeup(() ->
        {
            try
            {
                owner.execute(loop::poll);
            }
            catch (final RejectedExecutionException ex)
            {
                // the test is over
            }
        });
    }

    private static void awaitCount(final ExecutorService owner, final OrderWriter w, final long want)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (owner.submit(() -> w.count).get() < want)
        {
            assertThat(System.nanoTime()).as("object %d delivered", want).isLessThan(deadline);
            Thread.yield();
        }
    }

    /** Object n is object n % 100 of group n / 100 (one subgroup each): a gap or a repeat shows in the IDs. */
    private static final class Sender
    {
        private final UpstreamSubscription up;
        private final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        long sent;

        Sender(final UpstreamSubscription up)
        {
            this.up = up;
        }

        boolean next()
        {
            final long n = sent++;
            return up.ingest().object(0, n / GROUP, 0, n % GROUP, 128, 0, null, 0, 0, payload, 0, payload.capacity());
        }
    }

    /** Counts objects and the places where one is not the successor of the previous. Loop thread. */
    private static final class OrderWriter extends RecordingWriter
    {
        long count;
        long last = -1;
        long gaps;

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int publisherPriority, final int status,
            final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
            final int payloadLength)
        {
            final long n = group * GROUP + objectId;
            if (last >= 0 && n != last + 1)
            {
                gaps++;
            }
            last = n;
            count++;
        }
    }
}
