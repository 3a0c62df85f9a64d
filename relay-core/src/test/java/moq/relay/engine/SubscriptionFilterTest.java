package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.wire.Location;

/** Filters served from the cache and live; SUBSCRIBE_OK reports the largest location. */
class SubscriptionFilterTest
{
    private static final FullTrackName TRACK = FullTrackName.of("video", "live", "cam1");

    private static TrackIngest startTrack(final Harness h, final FakePublisher pub)
    {
        // A first subscriber pulls the track upstream so the relay has an established upstream.
        final Session first = h.session("first");
        final Callbacks.Sub cb = new Callbacks.Sub();
        first.subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), new RecordingWriter(), cb);
        assertThat(cb.okCalled).isTrue();
        return pub.last().ingest();
    }

    @Test
    void lateJoinerGetsTheCurrentGroupFromTheCache()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final TrackIngest in = startTrack(h, pub);
            for (int g = 0; g < 3; g++)
            {
                for (int o = 0; o < 5; o++)
                {
                    h.send(in, g, 0, o, 100);
                }
                in.endSubgroup(g, 0);
            }
            h.send(in, 3, 0, 0, 100);
            h.send(in, 3, 0, 1, 100);
            h.poll();

            final Session late = h.session("late");
            final RecordingWriter w = new RecordingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            late.subscribe(7, TRACK, SubscribeOptions.of(SubscriptionFilter.absoluteStart(new Location(3, 0))), w, cb);
            assertThat(cb.largest).isEqualTo(new Location(3, 1));
            h.poll();
            assertThat(w.locations()).containsExactly("3/0", "3/1");
            assertThat(w.objects.get(1).payload()).isEqualTo(Harness.payload(3, 1, 100));

            h.send(in, 3, 0, 2, 100);
            h.poll();
            assertThat(w.locations()).containsExactly("3/0", "3/1", "3/2");
            assertThat(w.calls.get(0)).isEqualTo("open 3/0 from 0");
        }
    }

    @Test
    void largestObjectStartsAfterTheLargestAndNextGroupAtTheNextGroup()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final TrackIngest in = startTrack(h, pub);
            h.send(in, 5, 0, 0, 10);
            h.send(in, 5, 0, 1, 10);
            h.poll();

            final RecordingWriter largest = new RecordingWriter();
            final Callbacks.Sub cbL = new Callbacks.Sub();
            h.session("a").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), largest, cbL);
            final RecordingWriter next = new RecordingWriter();
            final Callbacks.Sub cbN = new Callbacks.Sub();
            h.session("b").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.nextGroupStart()), next, cbN);
            assertThat(cbL.largest).isEqualTo(new Location(5, 1));
            assertThat(cbN.largest).isEqualTo(new Location(5, 1));

            h.send(in, 5, 0, 2, 10);
            h.send(in, 6, 0, 0, 10);
            h.poll();
            assertThat(largest.locations()).containsExactly("5/2", "6/0");
            assertThat(next.locations()).containsExactly("6/0");
            assertThat(largest.calls.get(0)).isEqualTo("open 5/0 from 2");
        }
    }

    @Test
    void absoluteRangeEndsAfterTheEndGroupAndRejectsAPublishedEnd()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final TrackIngest in = startTrack(h, pub);
            h.send(in, 1, 0, 0, 10);
            h.send(in, 2, 0, 0, 10);
            h.poll();

            final RecordingWriter w = new RecordingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("r").subscribe(1, TRACK,
                SubscribeOptions.of(SubscriptionFilter.absoluteRange(new Location(2, 0), 3)), w, cb);
            assertThat(cb.okCalled).isTrue();
            h.send(in, 3, 0, 0, 10);
            in.endSubgroup(2, 0);
            in.endSubgroup(3, 0);
            h.send(in, 4, 0, 0, 10);
            h.poll();
            assertThat(w.locations()).containsExactly("2/0", "3/0");
            assertThat(w.doneStatus).isEqualTo(PublishDoneStatus.SUBSCRIPTION_ENDED);

            final Callbacks.Sub bad = new Callbacks.Sub();
            h.session("bad").subscribe(1, TRACK,
                SubscribeOptions.of(SubscriptionFilter.absoluteRange(new Location(0, 0), 1)), new RecordingWriter(), bad);
            assertThat(bad.error).isEqualTo(RequestErrorCode.INVALID_RANGE);
        }
    }

    @Test
    void noObjectsYetReportsNoLargestAndStartsAtZero()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final RecordingWriter w = new RecordingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("s").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.nextGroupStart()), w, cb);
            assertThat(cb.okCalled).isTrue();
            assertThat(cb.largest).isNull();
            h.send(pub.last().ingest(), 0, 0, 0, 10);
            h.poll();
            assertThat(w.locations()).isEqualTo(List.of("0/0"));
        }
    }

    @Test
    void objectPropertiesAreKeptByteForByte()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final RecordingWriter w = new RecordingWriter();
            h.session("s").subscribe(1, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), w,
                new Callbacks.Sub());
            final byte[] props = {0x3c, 0x05, 0x0b, 0x02, 0x06, 0x01, (byte)0xff};
            final org.agrona.concurrent.UnsafeBuffer pb = new org.agrona.concurrent.UnsafeBuffer(props);
            final org.agrona.concurrent.UnsafeBuffer payload = new org.agrona.concurrent.UnsafeBuffer(new byte[] {1, 2, 3});
            pub.last().ingest().object(0, 9, 2, 4, 7, 0, pb, 0, props.length, payload, 0, 3);
            pub.last().ingest().object(0, 9, 2, 5, 7, 3, null, 0, 0, null, 0, 0);
            h.poll();
            assertThat(w.objects.get(0).properties()).isEqualTo(props);
            assertThat(w.objects.get(0).payload()).isEqualTo(new byte[] {1, 2, 3});
            assertThat(w.objects.get(0).priority()).isEqualTo(7);
            assertThat(w.objects.get(0).subgroup()).isEqualTo(2);
            assertThat(w.objects.get(1).status()).isEqualTo(3);
            assertThat(w.objects.get(1).payload()).isEmpty();
        }
    }
}
