package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoop;

/**
 * An egress loop that serves no session is never woken (its owner polls it on signals of its own tracks and
 * commands), so it must not hold the ring back: with two loops, one serving every subscriber and one serving none,
 * more objects than the ring holds go through the ring (no log pumps because it was full), and the idle loop reports
 * no lag. Once it gets a subscriber it consumes the ring again.
 */
class IdleEgressLoopTest
{
    private static final int RING = 64;

    @Test
    void aLoopServingNothingDoesNotHoldTheRingBack() throws Exception
    {
        final ExecutorService busyOwner = Executors.newSingleThreadExecutor();
        final ExecutorService idleOwner = Executors.newSingleThreadExecutor();
        try (Relay relay = new Relay(RelayConfiguration.from(Map.of(RelayConfiguration.RING_SIZE_PROP_NAME,
            Integer.toString(RING))), 2))
        {
            final EgressLoop busy = relay.egressLoop(0);
            final EgressLoop idle = relay.egressLoop(1);
            busy.wakeup(() -> busyOwner.execute(busy::poll));
            idle.wakeup(() -> idleOwner.execute(idle::poll));
            idleOwner.submit(idle::poll).get(); // its owner's first poll, as the server's binding does

            final FullTrackName track = FullTrackName.of("t", "idle-loop");
            final UpstreamSubscription up = relay.openSession("pub", 1).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final MemoryBoundTest.RecordingWriterCounting writer = new MemoryBoundTest.RecordingWriterCounting();
            busyOwner.submit(() -> relay.openSession("s", 0).subscribe(1, track, SubscribeOptions.of(null), writer,
                new Callbacks.Sub())).get();

            final int objects = 4 * RING;
            publish(up, 0, objects, busyOwner, () -> writer.count);

            assertThat(busy.counters().missedPumps()).as("objects pumped from the log because the ring was full")
                .isZero();
            assertThat(idle.ringLag()).as("the idle loop's ring lag").isZero();
            assertThat(relay.ringOccupancy()).as("ring slots not consumed by every loop").isZero();

            // A subscriber on the idle loop: it consumes the ring from now on.
            final MemoryBoundTest.RecordingWriterCounting late = new MemoryBoundTest.RecordingWriterCounting();
            idleOwner.submit(() -> relay.openSession("s2", 1).subscribe(1, track, SubscribeOptions.of(null), late,
                new Callbacks.Sub())).get();
            publish(up, objects, objects, idleOwner, () -> late.count);
            assertThat(idle.eventsSeen()).as("ring events the formerly idle loop consumed").isPositive();
            assertThat(idle.counters().missedPumps()).isZero();
            assertThat(busy.counters().missedPumps()).isZero();
        }
        finally
        {
            busyOwner.shutdownNow();
            idleOwner.shutdownNow();
        }
    }

    /** Publishes {@code n} objects from {@code first}, each after the subscriber on {@code owner} got the one before. */
    private static void publish(final UpstreamSubscription up, final int first, final int n,
        final ExecutorService owner, final java.util.function.LongSupplier delivered) throws Exception
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[100]);
        final long start = owner.submit(delivered::getAsLong).get();
        for (int i = first; i < first + n; i++)
        {
            up.ingest().object(i / 10, 0, i % 10, 128, 0, null, 0, 0, payload, 0, 100);
            final long want = start + (i - first) + 1;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (owner.submit(delivered::getAsLong).get() < want)
            {
                assertThat(System.nanoTime()).as("object %d delivered", i).isLessThan(deadline);
                Thread.sleep(1);
            }
        }
    }
}
