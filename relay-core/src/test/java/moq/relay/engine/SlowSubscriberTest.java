package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoopRunner;
import moq.relay.fanout.ObjectWriter;

/** A stalled subscriber is reset and skipped to the next group; the publisher and the others do not notice. */
class SlowSubscriberTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");

    @Test
    void stalledSubscriberIsResetTooFarBehindAndResumesAtTheNextGroup()
    {
        try (Harness h = Harness.small()) // 256 KiB backlog
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter healthy = new RecordingWriter();
            final RecordingWriter stalled = new RecordingWriter();
            h.session("healthy").subscribe(1, TRACK, SubscribeOptions.of(null), healthy, new Callbacks.Sub());
            h.session("stalled").subscribe(1, TRACK, SubscribeOptions.of(null), stalled, new Callbacks.Sub());

            h.send(up.ingest(), 0, 0, 0, 1000);
            h.poll();
            assertThat(stalled.locations()).containsExactly("0/0");
            stalled.writable = false;
            // 400 KB more in group 0: past the stalled subscriber's backlog bound.
            for (int o = 1; o <= 400; o++)
            {
                assertThat(h.send(up.ingest(), 0, 0, o, 1000)).as("publisher unaffected").isTrue();
                if (o % 50 == 0)
                {
                    h.poll();
                }
            }
            h.poll();
            assertThat(stalled.calls).contains("reset 0/0 TOO_FAR_BEHIND");
            assertThat(healthy.objects).hasSize(401);
            assertThat(healthy.resets).isZero();

            stalled.writable = true;
            h.send(up.ingest(), 0, 0, 401, 1000); // still group 0: skipped
            h.send(up.ingest(), 1, 0, 0, 1000);
            h.poll();
            final List<String> after = stalled.locations().subList(1, stalled.locations().size());
            assertThat(after).containsExactly("1/0");
            assertThat(healthy.objects).hasSize(403);
            assertThat(up.ingest().rejected()).isZero();
        }
    }

    /** Records the delivery latency (ingest time stamped in the payload to the write call). */
    static class LatencyWriter implements ObjectWriter
    {
        final Histogram histogram;
        volatile boolean writable = true;
        volatile long count;
        volatile long skipped;

        void record(final long nanos)
        {
            histogram.recordValue(nanos);
        }

        LatencyWriter(final Histogram histogram)
        {
            this.histogram = histogram;
        }

        @Override
        public boolean isWritable()
        {
            return writable;
        }

        @Override
        public void openSubgroup(final long group, final long subgroup, final long firstObject, final int priority)
        {
        }

        @Override
        public void writeObject(
            final long group, final long subgroup, final long objectId, final int priority, final int status,
            final DirectBuffer buffer, final int propertiesOffset, final int propertiesLength, final int payloadOffset,
            final int payloadLength)
        {
            record(Math.max(0, System.nanoTime() - buffer.getLong(payloadOffset)));
            count++;
        }

        @Override
        public void endSubgroup(final long group, final long subgroup)
        {
        }

        @Override
        public void resetSubgroup(final long group, final long subgroup, final moq.relay.fanout.StreamResetCode code)
        {
            skipped = Long.MAX_VALUE / 2; // fell too far behind (machine starved): stop waiting for it
        }

        @Override
        public void publishDone(final PublishDoneStatus status, final String reason)
        {
        }
    }

    /**
     * Latency of 50 healthy subscribers on one egress loop thread, in bursts of 10 objects that alternate without and
     * with a stalled subscriber (it subscribes before a "with" burst and leaves after it), so both conditions share
     * the machine's scheduling noise burst by burst. Power-of-two buckets (0 significant digits). Returns
     * {without, with}.
     */
    private static Histogram[] run() throws Exception
    {
        final RelayConfiguration config = RelayConfiguration.from(Map.of(
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "16m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "2m"));
        final Histogram warmUp = new Histogram(TimeUnit.SECONDS.toNanos(10), 0);
        final Histogram without = new Histogram(TimeUnit.SECONDS.toNanos(10), 0);
        final Histogram with = new Histogram(TimeUnit.SECONDS.toNanos(10), 0);
        final Histogram[] current = {warmUp};
        final int bursts = 440;
        final int objectsPerBurst = 10;
        try (Relay relay = new Relay(config, 1))
        {
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, TRACK, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final List<LatencyWriter> healthy = new ArrayList<>();
            for (int i = 0; i < 50; i++)
            {
                final LatencyWriter w = new LatencyWriter(null)
                {
                    @Override
                    void record(final long nanos)
                    {
                        current[0].recordValue(nanos);
                    }
                };
                healthy.add(w);
                relay.openSession("s" + i, 0).subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            }
            final UnsafeBuffer buf = new UnsafeBuffer(new byte[1000]);
            final Session stalledSession = relay.openSession("stalled", 0);
            long sent = 0;
            try (EgressLoopRunner runner = new EgressLoopRunner(relay.egressLoop(0), new YieldingIdleStrategy()))
            {
                for (int burst = 0; burst < bursts; burst++)
                {
                    final boolean stalledBurst = (burst & 1) == 1;
                    final LatencyWriter stalled = new LatencyWriter(new Histogram(3));
                    stalled.writable = false;
                    if (stalledBurst)
                    {
                        stalledSession.subscribe(burst, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()),
                            stalled, new Callbacks.Sub());
                    }
                    waitFor(healthy, sent);
                    current[0] = burst < 40 ? warmUp : stalledBurst ? with : without; // 40 bursts warm the JIT
                    LockSupport.parkNanos(200_000);
                    for (int i = 0; i < objectsPerBurst; i++)
                    {
                        buf.putLong(0, System.nanoTime());
                        up.ingest().object(0, sent / 100, 0, sent % 100, 128, 0, null, 0, 0, buf, 0, 1000);
                        sent++;
                    }
                    waitFor(healthy, sent);
                    if (stalledBurst)
                    {
                        assertThat(stalled.count).isZero();
                        stalledSession.cancel(burst);
                    }
                }
            }
        }
        return new Histogram[] {without, with};
    }

    private static void waitFor(final List<LatencyWriter> writers, final long count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (final LatencyWriter w : writers)
        {
            while (w.count + w.skipped < count && System.nanoTime() < deadline)
            {
                LockSupport.parkNanos(20_000); // leave the CPU to the egress loop thread
            }
        }
    }

    @Test
    void stalledSubscriberDoesNotDelayTheOthers() throws Exception
    {
        final List<String> attempts = new ArrayList<>();
        long quietest = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            final Histogram[] h = run();
            final long p99Without = h[0].getValueAtPercentile(99);
            final long p99With = h[1].getValueAtPercentile(99);
            quietest = Math.min(quietest, p99Without);
            attempts.add(p99Without + " ns vs " + p99With + " ns (" + h[0].getTotalCount() + "/" +
                h[1].getTotalCount() + " samples)");
            if (h[0].lowestEquivalentValue(p99Without) == h[1].lowestEquivalentValue(p99With))
            {
                System.out.println("stalled-subscriber p99 without vs with: " + attempts);
                return;
            }
        }
        // On an overloaded shared machine the p99 is preemption (milliseconds), not the engine: say so, don't fail.
        Assumptions.assumeTrue(quietest < 1_000_000,
            "machine too noisy to compare p99 (baseline p99 >= 1 ms in every attempt): " + attempts);
        throw new AssertionError("p99 buckets differ in every attempt: " + attempts);
    }
}
