package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;

/** Publishers and subscribers leaving, PUBLISH_DONE, and idle caches being freed. */
class LifecycleTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");

    @Test
    void publisherDoneIsForwardedAfterItsObjects()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final RecordingWriter w = new RecordingWriter();
            h.session("s").subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            final UpstreamSubscription up = pub.last();
            h.send(up.ingest(), 0, 0, 0, 10);
            up.ingest().endSubgroup(0, 0);
            h.send(up.ingest(), 1, 0, 0, 10);
            up.done(PublishDoneStatus.TRACK_ENDED, "bye");
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "end 0/0", "open 1/0 from 0",
                "object 1/0/0", "reset 1/0 CANCELLED", "done TRACK_ENDED");
        }
    }

    @Test
    void publisherSessionClosingEndsSubscriptionsWithTrackEnded()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            final Session ps = h.announce(pub, "live");
            final RecordingWriter w = new RecordingWriter();
            final Session sub = h.session("s");
            sub.subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            h.send(pub.last().ingest(), 0, 0, 0, 10);
            ps.close();
            h.poll();
            assertThat(w.doneStatus).isEqualTo(PublishDoneStatus.TRACK_ENDED);
            assertThat(w.calls).endsWith("reset 0/0 SESSION_CLOSED", "done TRACK_ENDED");
            assertThat(sub.requestCount()).isZero();
            final Callbacks.Sub again = new Callbacks.Sub();
            sub.subscribe(2, TRACK, SubscribeOptions.of(null), new RecordingWriter(), again);
            assertThat(again.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);
        }
    }

    @Test
    void subscriberLeavingReleasesItsHoldAndWriterCalls()
    {
        try (Harness h = Harness.small())
        {
            final Session ps = h.session("pub");
            final UpstreamSubscription up = ps.publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final Session sub = h.session("s");
            final RecordingWriter w = new RecordingWriter();
            sub.subscribe(1, TRACK, SubscribeOptions.of(null), w, new Callbacks.Sub());
            h.send(up.ingest(), 0, 0, 0, 10);
            h.poll();
            assertThat(h.relay.egressLoop(0).hasTrack(up.ingest().trackId())).isTrue();
            sub.close();
            h.poll();
            h.send(up.ingest(), 0, 0, 1, 10);
            h.poll();
            assertThat(w.objects).hasSize(1);
            assertThat(h.relay.egressLoop(0).hasTrack(up.ingest().trackId())).isFalse();
            assertThat(sub.requestCount()).isZero();
        }
    }

    @Test
    void idleTrackCacheIsFreedAfterTheConfiguredTime()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_IDLE_TIMEOUT_PROP_NAME, "1s"))
        {
            final Session ps = h.session("pub");
            final UpstreamSubscription up = ps.publish(1, TRACK, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            for (int i = 0; i < 100; i++)
            {
                h.send(up.ingest(), i, 0, 0, 1000);
            }
            assertThat(h.relay.store().inUseBytes()).isGreaterThan(0);
            final long now = System.nanoTime();
            assertThat(h.relay.expireIdle(now)).isZero();
            assertThat(h.relay.expireIdle(now + TimeUnit.SECONDS.toNanos(2))).isEqualTo(1);
            assertThat(h.relay.store().inUseBytes()).isZero();
            assertThat(h.relay.trackCount()).as("publisher still there").isEqualTo(1);

            ps.close();
            h.relay.expireIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            assertThat(h.relay.trackCount()).isZero();
        }
    }
}
