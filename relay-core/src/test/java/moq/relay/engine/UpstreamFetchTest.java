package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.Location;

/** FETCH beyond the cache goes to the track's publisher, whose answer and objects reach the requester. */
class UpstreamFetchTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");

    /** A publisher that records the relay's upstream FETCHes and answers nothing by itself. */
    static final class FetchingPublisher implements Publisher
    {
        final List<UpstreamFetch> fetches = new ArrayList<>();
        int cancels;

        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
            subscription.accept(null, List.of());
        }

        @Override
        public void updateForward(final UpstreamSubscription subscription, final boolean forward)
        {
        }

        @Override
        public void unsubscribe(final UpstreamSubscription subscription)
        {
        }

        @Override
        public boolean fetch(final UpstreamFetch fetch)
        {
            fetches.add(fetch);
            fetch.onCancel(() -> cancels++);
            return true;
        }
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
                h.send(up.ingest(), g, 0, o, 20);
            }
            up.ingest().endSubgroup(g, 0);
        }
        return p;
    }

    private static void sendObject(final UpstreamFetch f, final long g, final long o)
    {
        final byte[] payload = Harness.payload(g, o, 20);
        assertThat(f.object(g, 0, false, o, 128, 0, new UnsafeBuffer(payload), 0, 0, 0, payload.length)).isTrue();
    }

    @Test
    void aRangeOlderThanTheCacheIsFetchedUpstreamAndRelayedInOrder()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(1, 0), new Location(6, 2)), w, cb);
            assertThat(p.fetches).hasSize(1);
            final UpstreamFetch f = p.fetches.get(0);
            assertThat(f.track()).isEqualTo(TRACK);
            assertThat(f.start()).isEqualTo(new Location(1, 0));
            assertThat(f.end()).isEqualTo(new Location(6, 2));
            assertThat(cb.okCalled).as("FETCH_OK waits for the publisher's").isFalse();
            f.accept(false, new Location(6, 2), List.of());
            assertThat(cb.okCalled).isTrue();
            assertThat(cb.end).isEqualTo(new Location(6, 2));
            sendObject(f, 1, 0);
            f.endOfRange(3, 4, false);
            sendObject(f, 4, 0);
            f.endOfRange(4, 9, true);
            sendObject(f, 6, 1);
            f.complete();
            h.poll();
            assertThat(w.calls).containsExactly("1/0", "none..3/4", "4/0", "unknown..4/9", "6/1");
            assertThat(w.payloads.get(1)).isEqualTo(Harness.payload(4, 0, 20));
            assertThat(w.ended).isTrue();
        }
    }

    @Test
    void aRangeTheCacheHoldsIsServedFromIt()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(5, 1), new Location(6, 0)), w, cb);
            assertThat(p.fetches).isEmpty();
            assertThat(cb.okCalled).isTrue();
            h.poll();
            assertThat(w.calls).containsExactly("5/1", "5/2", "6/0", "6/1", "6/2");
        }
    }

    @Test
    void aJoiningFetchReachingBeforeTheCacheGoesUpstreamAsAStandaloneRange()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final Session s = h.session("f");
            final Callbacks.Sub sub = new Callbacks.Sub();
            s.subscribe(3, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), new RecordingWriter(), sub);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            s.fetch(4, FetchRequest.relativeJoining(3, 3), w, new Callbacks.Fetch());
            assertThat(p.fetches).hasSize(1);
            assertThat(p.fetches.get(0).start()).isEqualTo(new Location(3, 0));
            assertThat(p.fetches.get(0).end()).as("up to the joining location").isEqualTo(new Location(6, 3));
        }
    }

    @Test
    void thePublishersErrorIsTheRequestersAndFreesTheRequest()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = new FetchingPublisher();
            h.session("pub").publishNamespace(1, TRACK.namespace(), p, new Callbacks.Req());
            final Session s = h.session("f");
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            s.fetch(9, FetchRequest.standalone(TRACK, new Location(0, 0), new Location(2, 0)),
                new RecordingFetchWriter(), cb);
            assertThat(p.fetches).as("a track the relay has no state of is fetched upstream").hasSize(1);
            p.fetches.get(0).reject(RequestErrorCode.INVALID_RANGE, "gone");
            assertThat(cb.error).isEqualTo(RequestErrorCode.INVALID_RANGE);
            assertThat(s.requests).doesNotContainKey(9L);
        }
    }

    @Test
    void whenThePublisherRefusesTheCacheServesWhatItHolds()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(4, 0), new Location(5, 2)), w, cb);
            p.fetches.get(0).reject(RequestErrorCode.NOT_SUPPORTED, "this publisher serves no FETCH");
            assertThat(cb.error).isNull();
            assertThat(cb.okCalled).isTrue();
            h.poll();
            assertThat(w.calls).containsExactly("unknown..4/" + moq.relay.fanout.FetchDelivery.MAX_OBJECT, "5/0", "5/1");
            assertThat(w.ended).isTrue();
        }
    }

    @Test
    void cancellingTheRequestersFetchCancelsUpstreamAndStopsObjects()
    {
        try (Harness h = Harness.small())
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final Session s = h.session("f");
            final RecordingFetchWriter w = new RecordingFetchWriter();
            s.fetch(9, FetchRequest.standalone(TRACK, new Location(0, 0), new Location(2, 0)), w,
                new Callbacks.Fetch());
            final UpstreamFetch f = p.fetches.get(0);
            f.accept(false, new Location(2, 0), List.of());
            s.cancel(9);
            assertThat(p.cancels).isEqualTo(1);
            final byte[] payload = new byte[4];
            assertThat(f.object(0, 0, false, 0, 128, 0, new UnsafeBuffer(payload), 0, 0, 0, 4)).isFalse();
            h.poll();
            assertThat(w.calls).isEmpty();
        }
    }

    @Test
    void aPublisherFasterThanTheBoundIsResetAndCancelled()
    {
        try (Harness h = new Harness(moq.relay.config.RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "1k"))
        {
            final FetchingPublisher p = publishFromGroup5(h);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(0, 0), new Location(2, 0)), w,
                new Callbacks.Fetch());
            final UpstreamFetch f = p.fetches.get(0);
            f.accept(false, new Location(2, 0), List.of());
            final byte[] payload = new byte[600];
            assertThat(f.object(0, 0, false, 0, 128, 0, new UnsafeBuffer(payload), 0, 0, 0, 600)).isTrue();
            assertThat(f.object(0, 0, false, 1, 128, 0, new UnsafeBuffer(payload), 0, 0, 0, 600)).isFalse();
            assertThat(p.cancels).isEqualTo(1);
            h.poll();
            assertThat(w.calls).containsExactly("0/0");
            assertThat(w.reset).isEqualTo(StreamResetCode.EXCESSIVE_LOAD);
        }
    }
}
