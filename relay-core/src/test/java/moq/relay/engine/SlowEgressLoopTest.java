package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/**
 * Issue #19: one egress loop whose owner stops polling (stalled artificially here: nobody calls its {@code poll()})
 * must not stall ingest or the other loops. The ring is 64 slots, so a publisher that waited for the stalled loop's
 * ring sequence would block after 64 objects; instead it finishes, the other loop delivers everything, and the stalled
 * loop, once polled again, catches up from the track log or, past the backlog bound, skips with TOO_FAR_BEHIND.
 */
class SlowEgressLoopTest
{
    private static Relay twoLoops()
    {
        final Map<String, String> m = new HashMap<>();
        m.put(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536");
        m.put(RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m");
        m.put(RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k");
        m.put(RelayConfiguration.RING_SIZE_PROP_NAME, "64");
        return new Relay(RelayConfiguration.from(m), 2);
    }

    private static void pollUntilIdle(final Relay relay, final int loop)
    {
        while (relay.egressLoop(loop).poll() > 0)
        {
            // drain
        }
    }

    @Test
    void aStalledLoopBlocksNeitherIngestNorTheOtherLoopAndCatchesUpFromTheLog() throws Exception
    {
        try (Relay relay = twoLoops())
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final RecordingWriter live = new RecordingWriter();
            final RecordingWriter stalled = new RecordingWriter();
            relay.openSession("live", 0).subscribe(1, track, SubscribeOptions.of(null), live, new Callbacks.Sub());
            relay.openSession("stalled", 1).subscribe(1, track, SubscribeOptions.of(null), stalled,
                new Callbacks.Sub());
            pollUntilIdle(relay, 0);
            pollUntilIdle(relay, 1); // takes in its subscription; from now on nobody polls loop 1

            final int objects = 1_000; // 10 B each: far below the backlog bound, far above the ring's 64 slots
            final Thread publisher = new Thread(() ->
            {
                final Harness.Sender sender = new Harness.Sender();
                for (int i = 0; i < objects; i++)
                {
                    sender.send(up.ingest(), 0, 0, i, 10);
                }
            });
            publisher.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((publisher.isAlive() || live.objects.size() < objects) && System.nanoTime() < deadline)
            {
                relay.egressLoop(0).poll(); // the healthy loop keeps going
            }
            assertThat(publisher.isAlive()).as("ingest waiting for the stalled loop").isFalse();
            assertThat(live.objects).as("the healthy loop's subscriber").hasSize(objects);
            assertThat(stalled.objects).isEmpty();

            pollUntilIdle(relay, 1); // the stalled loop resumes: its cursor reads the log
            assertThat(stalled.objects).as("caught up from the track log").hasSize(objects);
            assertThat(stalled.objects.get(objects - 1).object()).isEqualTo(objects - 1);
            assertThat(relay.egressLoop(1).counters().tooFarBehindResets()).isZero();
        }
    }

    @Test
    void aStalledLoopPastTheBacklogBoundSkipsWithTooFarBehindCounted() throws Exception
    {
        try (Relay relay = twoLoops())
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = relay.openSession("pub", 0).publish(1, track, List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final RecordingWriter live = new RecordingWriter();
            final RecordingWriter stalled = new RecordingWriter();
            relay.openSession("live", 0).subscribe(1, track, SubscribeOptions.of(null), live, new Callbacks.Sub());
            relay.openSession("stalled", 1).subscribe(1, track, SubscribeOptions.of(null), stalled,
                new Callbacks.Sub());
            pollUntilIdle(relay, 0);
            pollUntilIdle(relay, 1);

            // 40 groups of 100 objects of 160 B: 40 x 20 KB in the log, past the 256 KB bound, inside the 1 MB cache.
            // One thread publishes and owns loop 0 (polled after each group, so loop 0 never lags by the bound);
            // 100 objects a group fill the 64-slot ring, so waiting for loop 1 would hang here (hence the timeout).
            final int groups = 40;
            final int perGroup = 100;
            final Harness.Sender sender = new Harness.Sender();
            final int dropped = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
            {
                int refused = 0;
                for (int g = 0; g < groups; g++)
                {
                    for (int o = 0; o < perGroup; o++)
                    {
                        refused += sender.send(up.ingest(), g, 0, o, 160) ? 0 : 1;
                    }
                    pollUntilIdle(relay, 0);
                }
                return refused;
            });
            assertThat(dropped).as("objects the store refused").isZero();
            assertThat(relay.egressLoop(0).counters().tooFarBehindResets()).isZero();
            assertThat(live.objects).hasSize(groups * perGroup);
            assertThat(up.ingest().ringFull()).as("events that went to the log instead of the ring").isPositive();
            assertThat(relay.egressLoop(0).counters().missedPumps()).isPositive();

            pollUntilIdle(relay, 1);
            assertThat(relay.egressLoop(1).counters().tooFarBehindResets()).as("skips counted").isPositive();
            // (no stream of it was open, so there is nothing to reset: it simply resumes at a later group)
            assertThat(stalled.objects.size()).isLessThan(groups * perGroup);
            // It resumed at a later group and delivers from there on: the newest object arrives.
            sender.send(up.ingest(), groups, 0, 0, 160);
            pollUntilIdle(relay, 1);
            assertThat(stalled.objects.get(stalled.objects.size() - 1).group()).isEqualTo(groups);
        }
    }
}
