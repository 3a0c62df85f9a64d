package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The ingest's "first object of its subgroup" mark travels through the track log to the writer that opens a subgroup
 * stream with that object (the draft-18 FIRST_OBJECT bit a relay must set), and only to it.
 */
class FirstInSubgroupTest
{
    private static final FullTrackName TRACK = FullTrackName.of("video", "live", "cam1");

    private static boolean send(final Harness h, final TrackIngest in, final long group, final long subgroup,
        final long object, final boolean first)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(Harness.payload(group, object, 10));
        return in.object(first ? TrackIngest.FIRST_IN_SUBGROUP : 0, group, subgroup, object, 128, 0, null, 0, 0,
            payload, 0, 10);
    }

    @Test
    void aStreamOpenedWithTheMarkedObjectSaysSoAndALateJoinerMidSubgroupDoesNot()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final RecordingWriter early = new RecordingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("early").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), early, cb);
            assertThat(cb.okCalled).isTrue();
            final TrackIngest in = pub.last().ingest();

            assertThat(send(h, in, 0, 0, 0, true)).isTrue();
            assertThat(send(h, in, 0, 0, 1, false)).isTrue();
            assertThat(send(h, in, 0, 1, 5, false)).isTrue(); // a subgroup whose start the publisher did not claim
            h.poll();
            assertThat(early.locations()).containsExactly("0/0", "0/1", "0/5");
            assertThat(early.opensAtSubgroupStart).containsExactly("0/0");

            final RecordingWriter late = new RecordingWriter();
            final Callbacks.Sub lateCb = new Callbacks.Sub();
            h.session("late").subscribe(2, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), late,
                lateCb);
            assertThat(lateCb.okCalled).isTrue();
            assertThat(send(h, in, 0, 0, 6, false)).isTrue(); // after the largest, 0/5
            assertThat(send(h, in, 1, 0, 0, true)).isTrue();
            h.poll();
            assertThat(late.locations()).containsExactly("0/6", "1/0");
            assertThat(late.opensAtSubgroupStart).as("joined subgroup 0/0 at object 6").containsExactly("1/0");
            assertThat(early.opensAtSubgroupStart).containsExactly("0/0", "1/0");
        }
    }
}
