package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The engine records ingest-to-writer hand-off latency in an HdrHistogram the transport can read. */
class HandoffLatencyTest
{
    @Test
    void everyFannedOutObjectIsRecordedOncePerLoop()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = h.session("pub").publish(1, track, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            h.send(up.ingest(), 0, 0, 0, 10); // no subscriber: no event, nothing recorded
            for (int i = 0; i < 3; i++)
            {
                h.session("s" + i).subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(),
                    new Callbacks.Sub());
            }
            h.poll();
            for (int o = 1; o <= 100; o++)
            {
                h.send(up.ingest(), 0, 0, o, 10);
            }
            h.poll();
            final Histogram histogram = h.relay.handoffLatency();
            assertThat(histogram.getTotalCount()).isEqualTo(100);
            assertThat(histogram.getMaxValue()).isGreaterThan(0);
            assertThat(h.relay.handoffLatency().getTotalCount()).as("interval histogram: reset on read").isZero();
        }
    }
}
