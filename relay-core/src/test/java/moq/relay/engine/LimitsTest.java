package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.wire.TrackNamespace;

/** Exceeding a bound is an error for the offending session only. */
class LimitsTest
{
    @Test
    void requestLimitRejectsOnlyTheSessionThatExceedsIt()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SESSION_MAX_REQUESTS_PROP_NAME, "3",
            RelayConfiguration.SESSION_MAX_NAMESPACES_PROP_NAME, "2"))
        {
            for (int i = 0; i < 5; i++)
            {
                final Callbacks.Req ok = new Callbacks.Req();
                h.session("pub" + i).publish(i, FullTrackName.of("t" + i, "n"), List.of(), null, new FakePublisher(),
                    ok);
                assertThat(ok.okCalled).isTrue();
            }
            final Session greedy = h.session("greedy");
            final Callbacks.Sub[] cbs = new Callbacks.Sub[4];
            for (int i = 0; i < 4; i++)
            {
                cbs[i] = new Callbacks.Sub();
                greedy.subscribe(i, FullTrackName.of("t" + i, "n"), SubscribeOptions.of(null), new RecordingWriter(),
                    cbs[i]);
            }
            assertThat(cbs[2].okCalled).isTrue();
            assertThat(cbs[3].error).isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);
            final Callbacks.Sub other = new Callbacks.Sub();
            h.session("other").subscribe(1, FullTrackName.of("t3", "n"), SubscribeOptions.of(null),
                new RecordingWriter(), other);
            assertThat(other.okCalled).isTrue();

            final Callbacks.Req a = new Callbacks.Req();
            final Callbacks.Req b = new Callbacks.Req();
            final Callbacks.Req c = new Callbacks.Req();
            greedy.subscribeNamespace(10, TrackNamespace.of("a"), new Callbacks.Namespaces(), a);
            greedy.subscribeNamespace(11, TrackNamespace.of("b"), new Callbacks.Namespaces(), b);
            greedy.subscribeNamespace(12, TrackNamespace.of("c"), new Callbacks.Namespaces(), c);
            assertThat(a.okCalled && b.okCalled).isTrue();
            assertThat(c.error).isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);
        }
    }

    @Test
    void trackLimitAndStoreLimitFailOnlyTheNewcomer()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "64k",
            RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "320k",
            RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "100000",
            RelayConfiguration.MAX_TRACKS_PROP_NAME, "2",
            RelayConfiguration.SESSION_MAX_TRACKS_PERCENT_PROP_NAME, "100"))
        {
            final Session pub = h.session("pub");
            final UpstreamSubscription first = pub.publish(1, FullTrackName.of("a", "n"), List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final UpstreamSubscription second = pub.publish(2, FullTrackName.of("b", "n"), List.of(), null,
                new FakePublisher(), new Callbacks.Req());
            final Callbacks.Req third = new Callbacks.Req();
            assertThat(pub.publish(3, FullTrackName.of("c", "n"), List.of(), null, new FakePublisher(), third))
                .isNull();
            assertThat(third.error).isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);

            // The first track fills its 4-segment cache; the second then finds the store (5 segments) exhausted.
            for (int i = 0; i < 400; i++)
            {
                assertThat(h.send(first.ingest(), i, 0, 0, 1000)).isTrue();
            }
            assertThat(h.send(second.ingest(), 0, 0, 0, 1000)).isTrue();
            int rejected = 0;
            for (int i = 1; i < 200; i++)
            {
                if (!h.send(second.ingest(), i, 0, 0, 1000))
                {
                    rejected++;
                }
            }
            assertThat(rejected).isGreaterThan(0);
            assertThat(second.ingest().rejected()).isEqualTo(rejected);
            assertThat(h.send(first.ingest(), 1000, 0, 0, 1000)).as("the first publisher is unaffected").isTrue();
            assertThat(h.relay.store().allocatedBytes()).isLessThanOrEqualTo(320 * 1024);
        }
    }

    @Test
    void oneSessionGetsOnlyItsShareOfTheTracksAndOthersStillPublish()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "64k",
            RelayConfiguration.MAX_TRACKS_PROP_NAME, "8",
            RelayConfiguration.SESSION_MAX_TRACKS_PERCENT_PROP_NAME, "25",
            RelayConfiguration.TRACK_IDLE_TIMEOUT_PROP_NAME, "0s"))
        {
            final Session greedy = h.session("greedy");
            final Callbacks.Req[] answers = new Callbacks.Req[5];
            final UpstreamSubscription[] ups = new UpstreamSubscription[5];
            for (int i = 0; i < 5; i++)
            {
                answers[i] = new Callbacks.Req();
                ups[i] = greedy.publish(i, FullTrackName.of("g", "t" + i), List.of(), null, new FakePublisher(),
                    answers[i]);
            }
            assertThat(answers[1].okCalled).isTrue();
            assertThat(answers[2].error).as("the third track is past a quarter of 8").isEqualTo(
                RequestErrorCode.EXCESSIVE_LOAD);
            assertThat(answers[4].error).isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);

            final Callbacks.Req other = new Callbacks.Req();
            assertThat(h.session("other").publish(1, FullTrackName.of("o", "t"), List.of(), null,
                new FakePublisher(), other)).isNotNull();
            assertThat(other.okCalled).as("another session still publishes").isTrue();

            // Its tracks count until the relay forgets them, not until the request ends.
            ups[0].done(PublishDoneStatus.TRACK_ENDED, "done");
            final Callbacks.Req again = new Callbacks.Req();
            greedy.publish(10, FullTrackName.of("g", "t9"), List.of(), null, new FakePublisher(), again);
            assertThat(again.error).as("an ended track idles in the cache, still counted")
                .isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);
            h.relay.expireIdle(System.nanoTime() + 1_000_000_000L);
            final Callbacks.Req afterExpiry = new Callbacks.Req();
            greedy.publish(11, FullTrackName.of("g", "t9"), List.of(), null, new FakePublisher(), afterExpiry);
            assertThat(afterExpiry.okCalled).as("the forgotten track's slot is the session's again").isTrue();
        }
    }

    @Test
    void aWriterThatThrowsEndsOnlyItsOwnSubscription()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = h.session("pub").publish(1, track, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter good = new RecordingWriter();
            final RecordingWriter bad = new RecordingWriter()
            {
                @Override
                public void writeObject(
                    final long group, final long subgroup, final long objectId, final int priority, final int status,
                    final org.agrona.DirectBuffer buffer, final int po, final int pl, final int payloadOffset,
                    final int payloadLength)
                {
                    throw new IllegalStateException("transport bug");
                }
            };
            h.session("bad").subscribe(1, track, SubscribeOptions.of(null), bad, new Callbacks.Sub());
            h.session("good").subscribe(1, track, SubscribeOptions.of(null), good, new Callbacks.Sub());
            h.poll();
            h.send(up.ingest(), 0, 0, 0, 10);
            h.send(up.ingest(), 0, 0, 1, 10);
            h.poll();
            h.send(up.ingest(), 0, 0, 2, 10);
            h.poll();
            assertThat(good.locations()).containsExactly("0/0", "0/1", "0/2");
            assertThat(bad.opens).isEqualTo(1);
        }
    }

    @Test
    void aFullRingBlocksNeitherTheIngestNorTheControlPlane() throws Exception
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "64"))
        {
            final FullTrackName track = FullTrackName.of("t", "x");
            final UpstreamSubscription up = h.session("pub").publish(1, track, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final RecordingWriter first = new RecordingWriter();
            h.session("first").subscribe(1, track, SubscribeOptions.of(null), first, new Callbacks.Sub());
            h.poll();
            final Thread publisher = new Thread(() ->
            {
                final Harness.Sender sender = new Harness.Sender();
                for (int i = 0; i < 200; i++)
                {
                    sender.send(up.ingest(), 0, 0, i, 10); // past 64 unpolled events: the loop reads the log
                }
            });
            publisher.start();
            publisher.join(5_000);
            assertThat(publisher.isAlive()).as("ingest waiting for ring space (issue #19)").isFalse();
            assertThat(up.ingest().ringFull()).isPositive();
            // The egress loop's owner (this thread) does control work with the ring full: no deadlock.
            final Callbacks.Sub second = new Callbacks.Sub();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                h.session("second").subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), second));
            assertThat(second.okCalled).isTrue();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (publisher.isAlive() && System.nanoTime() < deadline)
            {
                h.relay.egressLoop(0).poll();
            }
            h.poll();
            assertThat(first.objects).hasSize(200);
        }
    }

    /**
     * DoS draft §4.2: a session subscribing and cancelling as fast as it can gets its burst, then EXCESSIVE_LOAD for
     * each request without a token, and is marked for closing once a burst's worth was refused; another session's
     * requests are untouched.
     */
    @Test
    void requestChurnBeyondTheRateIsRefusedAndMarksOnlyThatSession()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME, "1",
            RelayConfiguration.SESSION_REQUEST_BURST_PROP_NAME, "10"))
        {
            final Callbacks.Req published = new Callbacks.Req();
            h.session("pub").publish(0, FullTrackName.of("t", "n"), List.of(), null, new FakePublisher(), published);
            assertThat(published.okCalled).isTrue();
            final Session churn = h.session("churn");
            int admitted = 0;
            int refused = 0;
            for (int i = 0; i < 25; i++)
            {
                final Callbacks.Sub cb = new Callbacks.Sub();
                churn.subscribe(i, FullTrackName.of("t", "n"), SubscribeOptions.of(null), new RecordingWriter(), cb);
                if (cb.okCalled)
                {
                    admitted++;
                    churn.cancel(i);
                }
                else
                {
                    assertThat(cb.error).isEqualTo(RequestErrorCode.EXCESSIVE_LOAD);
                    refused++;
                }
                assertThat(churn.requestRateAbused()).as("after request %d", i).isEqualTo(refused >= 10);
            }
            assertThat(admitted).as("the burst (at 1/s no token is earned meanwhile)").isEqualTo(10);
            assertThat(refused).isEqualTo(15);

            final Callbacks.Sub other = new Callbacks.Sub();
            final Session calm = h.session("calm");
            calm.subscribe(0, FullTrackName.of("t", "n"), SubscribeOptions.of(null), new RecordingWriter(), other);
            assertThat(other.okCalled).isTrue();
            assertThat(calm.requestRateAbused()).isFalse();
        }
    }
}
