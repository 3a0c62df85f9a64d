package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/**
 * Issue #19, shedding rather than queueing: an object a subscriber holds up (its writer unwritable) may wait inside the
 * relay at most {@code moq.relay.subscriber.backlog.max.delay}, however few bytes that is; then the subscriber is reset
 * TOO_FAR_BEHIND, counted, and resumes at the next group. A loop that was merely late (its subscriber writable) does
 * not count against the subscriber.
 */
class BacklogDelayTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");

    private static Harness harness(final String maxDelay)
    {
        return new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SUBSCRIBER_BACKLOG_MAX_DELAY_PROP_NAME, maxDelay);
    }

    @Test
    void anObjectHeldUpLongerThanTheBoundSkipsTheSubscriberToTheNextGroup() throws Exception
    {
        try (Harness h = harness("50ms"))
        {
            final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter healthy = new RecordingWriter();
            final RecordingWriter held = new RecordingWriter();
            h.session("healthy").subscribe(1, TRACK, SubscribeOptions.of(null), healthy, new Callbacks.Sub());
            h.session("held").subscribe(1, TRACK, SubscribeOptions.of(null), held, new Callbacks.Sub());
            h.send(up.ingest(), 0, 0, 0, 100);
            h.poll();
            held.writable = false;
            h.send(up.ingest(), 0, 0, 1, 100); // 100 B: far below the byte bound
            h.poll();
            Thread.sleep(120);
            h.send(up.ingest(), 0, 0, 2, 100); // the check runs as new objects arrive
            h.poll();
            assertThat(held.calls).contains("reset 0/0 TOO_FAR_BEHIND");
            assertThat(h.relay.egressLoop(0).counters().tooFarBehindResets()).isEqualTo(1);
            assertThat(h.relay.egressLoop(0).counters().tooLateResets()).isEqualTo(1);
            assertThat(healthy.objects).hasSize(3);
            assertThat(healthy.resets).isZero();

            held.writable = true;
            h.relay.egressLoop(0).signal();
            h.send(up.ingest(), 1, 0, 0, 100);
            h.poll();
            assertThat(held.locations()).containsExactly("0/0", "1/0");
        }
    }

    @Test
    void withTheBoundOffOrALateLoopNothingIsSkipped() throws Exception
    {
        for (final String maxDelay : new String[] {"0s", "50ms"})
        {
            try (Harness h = harness(maxDelay))
            {
                final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null,
                    new FakePublisher(), new Callbacks.Req());
                final RecordingWriter sub = new RecordingWriter();
                h.session("sub").subscribe(1, TRACK, SubscribeOptions.of(null), sub, new Callbacks.Sub());
                h.send(up.ingest(), 0, 0, 0, 100);
                h.poll();
                sub.writable = "0s".equals(maxDelay) ? false : true; // held up with the bound off; or the loop is late
                h.send(up.ingest(), 0, 0, 1, 100);
                if (!sub.writable)
                {
                    h.poll();
                }
                Thread.sleep(120);
                h.send(up.ingest(), 0, 0, 2, 100);
                h.poll();
                sub.writable = true;
                h.relay.egressLoop(0).signal();
                h.poll();
                assertThat(sub.locations()).as("max delay %s", maxDelay).containsExactly("0/0", "0/1", "0/2");
                assertThat(h.relay.egressLoop(0).counters().tooFarBehindResets()).isZero();
            }
        }
    }
}
