package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.engine.UpstreamFetchTest.FetchingPublisher;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Location;

/**
 * Upstream FETCH answers are kept (docs/engine.md "Upstream FETCH"): a second FETCH of a range the relay fetched from
 * the publisher is answered locally, byte-exact, within the store's byte bounds, oldest range evicted first.
 */
class FetchedRangesTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");
    private static final int SIZE = 20;
    /** What one stored object of SIZE bytes counts. */
    private static final long OBJECT_BYTES = SIZE + FetchedRanges.ITEM_OVERHEAD;

    private static Harness harness(final String... props)
    {
        final String[] all = new String[8 + props.length];
        System.arraycopy(new String[] {
            RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.RING_SIZE_PROP_NAME, "4096"}, 0, all, 0, 8);
        System.arraycopy(props, 0, all, 8, props.length);
        return new Harness(all);
    }

    /** The relay joined the track at group 5: groups 5 and 6 are cached, the publisher has 0 to 6. */
    private static FetchingPublisher publishFromGroup5(final Harness h)
    {
        final FetchingPublisher p = new FetchingPublisher();
        final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, p, new Callbacks.Req());
        for (int g = 5; g < 7; g++)
        {
            for (int o = 0; o < 3; o++)
            {
                h.send(up.ingest(), g, 0, o, SIZE);
            }
            up.ingest().endSubgroup(g, 0);
        }
        return p;
    }

    /** The publisher answers groups {@code from..to} (objects 0..2; group 3 does not exist) and FIN. */
    private static void answer(final UpstreamFetch f, final int from, final int to)
    {
        f.accept(false, new Location(to, 3), List.of());
        for (int g = from; g <= to; g++)
        {
            if (g == 3)
            {
                f.endOfRange(3, 2, false);
                continue;
            }
            for (int o = 0; o < 3; o++)
            {
                final byte[] payload = Harness.payload(g, o, SIZE);
                assertThat(f.object(g, 0, false, o, 100 + g, 0, new UnsafeBuffer(payload), 0, 0, 0, SIZE)).isTrue();
            }
        }
        f.complete();
    }

    private static RecordingFetchWriter fetch(final Harness h, final String session, final Location start,
        final Location end, final Callbacks.Fetch cb)
    {
        final RecordingFetchWriter w = new RecordingFetchWriter();
        h.session(session).fetch(9, FetchRequest.standalone(TRACK, start, end), w, cb);
        return w;
    }

    @Test
    void aSecondFetchOfAFetchedRangeIsAnsweredLocallyByteExact()
    {
        try (Harness h = harness())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter first = fetch(h, "a", new Location(1, 0), new Location(4, 3),
                new Callbacks.Fetch());
            answer(p.fetches.get(0), 1, 4);
            h.poll();
            assertThat(first.ended).isTrue();

            // The same range, and a range inside it, from other late joiners: no second upstream FETCH.
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            final RecordingFetchWriter same = fetch(h, "b", new Location(1, 0), new Location(4, 3), cb);
            final RecordingFetchWriter inner = fetch(h, "c", new Location(2, 1), new Location(4, 1),
                new Callbacks.Fetch());
            h.poll();
            assertThat(p.fetches).as("one upstream FETCH").hasSize(1);
            assertThat(h.relay.fetchCacheHits()).isEqualTo(2);
            assertThat(cb.okCalled).isTrue();
            assertThat(cb.end).isEqualTo(new Location(4, 3));
            assertThat(same.calls).containsExactlyElementsOf(first.calls);
            assertThat(same.ended).isTrue();
            for (int i = 0; i < first.payloads.size(); i++)
            {
                assertThat(same.payloads.get(i)).isEqualTo(first.payloads.get(i));
            }
            assertThat(inner.calls).containsExactly("2/1", "2/2", "none..3/2", "4/0");
            assertThat(inner.payloads.get(2)).isEqualTo(Harness.payload(4, 0, SIZE));
            assertThat(inner.ended).isTrue();
        }
    }

    @Test
    void aRangeReachingBeyondTheKeptOneGoesUpstream()
    {
        try (Harness h = harness())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            fetch(h, "a", new Location(2, 0), new Location(4, 3), new Callbacks.Fetch());
            answer(p.fetches.get(0), 2, 4);
            fetch(h, "b", new Location(1, 0), new Location(4, 3), new Callbacks.Fetch());
            assertThat(p.fetches).as("group 1 was never fetched").hasSize(2);
            assertThat(h.relay.fetchCacheHits()).isZero();
        }
    }

    @Test
    void anAnswerThatDidNotCompleteIsNotKept()
    {
        try (Harness h = harness())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            fetch(h, "a", new Location(1, 0), new Location(4, 3), new Callbacks.Fetch());
            final UpstreamFetch f = p.fetches.get(0);
            f.accept(false, new Location(4, 3), List.of());
            final byte[] payload = Harness.payload(1, 0, SIZE);
            f.object(1, 0, false, 0, 128, 0, new UnsafeBuffer(payload), 0, 0, 0, SIZE);
            f.reset(StreamResetCode.INTERNAL_ERROR);
            h.poll();
            assertThat(h.relay.fetchCacheBytes()).isZero();
            fetch(h, "b", new Location(1, 0), new Location(4, 3), new Callbacks.Fetch());
            assertThat(p.fetches).hasSize(2);
        }
    }

    @Test
    void anAnswerLargerThanTheTrackBoundIsRelayedButNotKept()
    {
        // Groups 1, 2 and 4: nine objects; the track bound holds eight.
        try (Harness h = harness(RelayConfiguration.FETCH_CACHE_TRACK_BYTES_PROP_NAME, Long.toString(8 * OBJECT_BYTES)))
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter first = fetch(h, "a", new Location(1, 0), new Location(4, 3),
                new Callbacks.Fetch());
            answer(p.fetches.get(0), 1, 4);
            h.poll();
            assertThat(first.payloads).hasSize(9);
            assertThat(h.relay.fetchCacheBytes()).isZero();
            fetch(h, "b", new Location(1, 0), new Location(4, 3), new Callbacks.Fetch());
            assertThat(p.fetches).hasSize(2);
        }
    }

    @Test
    void theRelayWideBoundEvictsTheOldestRangeFirst()
    {
        // Each answer of one group is three objects; the store holds four.
        try (Harness h = harness(RelayConfiguration.FETCH_CACHE_MAX_BYTES_PROP_NAME, Long.toString(4 * OBJECT_BYTES)))
        {
            final FetchingPublisher p = publishFromGroup5(h);
            fetch(h, "a", new Location(1, 0), new Location(1, 3), new Callbacks.Fetch());
            answer(p.fetches.get(0), 1, 1);
            assertThat(h.relay.fetchCacheBytes()).isEqualTo(3 * OBJECT_BYTES);
            fetch(h, "b", new Location(2, 0), new Location(2, 3), new Callbacks.Fetch());
            answer(p.fetches.get(1), 2, 2);
            assertThat(h.relay.fetchCacheBytes()).as("group 1's range evicted for group 2's")
                .isEqualTo(3 * OBJECT_BYTES);
            h.poll();

            final RecordingFetchWriter two = fetch(h, "c", new Location(2, 0), new Location(2, 3),
                new Callbacks.Fetch());
            assertThat(p.fetches).as("group 2 is kept").hasSize(2);
            fetch(h, "d", new Location(1, 0), new Location(1, 3), new Callbacks.Fetch());
            assertThat(p.fetches).as("group 1 was evicted").hasSize(3);
            h.poll();
            assertThat(two.calls).containsExactly("2/0", "2/1", "2/2");
        }
    }

    @Test
    void aRangeStillBeingReplayedStaysCountedUntilTheReplayIsDone()
    {
        try (Harness h = harness(RelayConfiguration.FETCH_CACHE_MAX_BYTES_PROP_NAME, Long.toString(4 * OBJECT_BYTES)))
        {
            final FetchingPublisher p = publishFromGroup5(h);
            fetch(h, "a", new Location(1, 0), new Location(1, 3), new Callbacks.Fetch());
            answer(p.fetches.get(0), 1, 1);
            h.poll();
            final RecordingFetchWriter replay = fetch(h, "b", new Location(1, 0), new Location(1, 3),
                new Callbacks.Fetch());
            replay.writable = false;
            h.poll();
            // A new answer cannot evict the range a replay reads into free memory: it is not kept.
            fetch(h, "c", new Location(2, 0), new Location(2, 3), new Callbacks.Fetch());
            answer(p.fetches.get(1), 2, 2);
            assertThat(h.relay.fetchCacheBytes()).isEqualTo(3 * OBJECT_BYTES);
            replay.writable = true;
            h.relay.egressLoop(0).signal();
            h.poll();
            assertThat(replay.calls).containsExactly("1/0", "1/1", "1/2");
            assertThat(h.relay.fetchCacheBytes()).as("released once the replay ended").isZero();
        }
    }
}
