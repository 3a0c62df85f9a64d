package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Objects that span packets are written piece by piece into the log and published whole. */
class IncrementalIngestTest
{
    @Test
    void claimedObjectIsPublishedOnlyWhenComplete()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = h.session("pub").publish(1, track, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter w = new RecordingWriter();
            h.session("s").subscribe(1, track, SubscribeOptions.of(null), w, new Callbacks.Sub());
            h.poll();
            final byte[] payload = Harness.payload(0, 0, 3000);
            final UnsafeBuffer src = new UnsafeBuffer(payload);
            final UnsafeBuffer props = new UnsafeBuffer(new byte[] {0x3c, 0x01});
            final TrackIngest in = up.ingest();
            assertThat(in.beginObject(0, 0, 0, 64, 0, props, 0, 2, 3000)).isTrue();
            assertThat(in.appendPayload(src, 0, 1200)).isTrue();
            assertThat(in.object(0, 0, 1, 0, 1, 0, null, 0, 0, src, 0, 10)).as("refused while a claim is open").isFalse();
            h.poll();
            assertThat(w.objects).isEmpty();
            assertThat(in.commitObject()).as("incomplete").isFalse();
            assertThat(in.appendPayload(src, 1200, 1800)).isTrue();
            assertThat(in.appendPayload(src, 0, 1)).as("beyond the declared length").isFalse();
            assertThat(in.commitObject()).isTrue();
            h.poll();
            assertThat(w.objects).hasSize(1);
            assertThat(w.objects.get(0).payload()).isEqualTo(payload);
            assertThat(w.objects.get(0).properties()).isEqualTo(new byte[] {0x3c, 0x01});

            assertThat(in.beginObject(0, 0, 1, 64, 0, null, 0, 0, 100)).isTrue();
            in.abortObject();
            h.send(in, 0, 0, 2, 10);
            h.poll();
            assertThat(w.locations()).containsExactly("0/0", "0/2");
        }
    }
}
