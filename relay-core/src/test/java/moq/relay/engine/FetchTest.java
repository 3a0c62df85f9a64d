package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Location;

/** Standalone and joining FETCH from the cache, the draft's errors, and TRACK_STATUS. */
class FetchTest
{
    private static final FullTrackName TRACK = FullTrackName.of("v", "live");

    private static UpstreamSubscription publishGroups(final Harness h, final int groups, final int objects)
    {
        final UpstreamSubscription up = h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(),
            new Callbacks.Req());
        for (int g = 0; g < groups; g++)
        {
            for (int o = 0; o < objects; o++)
            {
                h.send(up.ingest(), g, 0, o, 50);
            }
            up.ingest().endSubgroup(g, 0);
        }
        return up;
    }

    @Test
    void standaloneFetchOfARangeInAscendingOrder()
    {
        try (Harness h = Harness.small())
        {
            publishGroups(h, 3, 4);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(0, 2), new Location(2, 1)), w, cb);
            assertThat(cb.okCalled).isTrue();
            assertThat(cb.end).isEqualTo(new Location(2, 1));
            h.poll();
            assertThat(w.calls).containsExactly("0/2", "0/3", "1/0", "1/1", "1/2", "1/3", "2/0");
            assertThat(w.ended).isTrue();
            assertThat(w.payloads.get(0)).isEqualTo(Harness.payload(0, 2, 50));
        }
    }

    @Test
    void fetchReportsTheStatusOfStatusObjects()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publishGroups(h, 1, 2);
            up.ingest().object(0, 1, 0, 0, 50, 0, null, 0, 0, new org.agrona.concurrent.UnsafeBuffer(new byte[] {7}), 0,
                1);
            up.ingest().object(0, 1, 0, 1, 50, 0x3, null, 0, 0, null, 0, 0); // End of Group
            final RecordingFetchWriter w = new RecordingFetchWriter();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(1, 0), new Location(1, 0)), w,
                new Callbacks.Fetch());
            h.poll();
            assertThat(w.calls).containsExactly("1/0", "1/1");
            assertThat(w.statuses).as("the End of Group marker keeps its status").containsExactly(0, 0x3);
        }
    }

    @Test
    void wholeGroupEndAndClippingToTheLargestObject()
    {
        try (Harness h = Harness.small())
        {
            publishGroups(h, 2, 3);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(1, 0), new Location(7, 0)), w, cb);
            assertThat(cb.end).as("clipped to {largest.group, largest.object+1}").isEqualTo(new Location(1, 3));
            h.poll();
            assertThat(w.calls).containsExactly("1/0", "1/1", "1/2");

            final RecordingFetchWriter whole = new RecordingFetchWriter();
            final Callbacks.Fetch cb2 = new Callbacks.Fetch();
            h.session("g").fetch(9, FetchRequest.standalone(TRACK, new Location(0, 1), new Location(0, 0)), whole,
                cb2);
            assertThat(cb2.end).isEqualTo(new Location(0, 0));
            h.poll();
            assertThat(whole.calls).containsExactly("0/1", "0/2");
        }
    }

    @Test
    void descendingGroupOrderKeepsObjectOrderWithinAGroup()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publishGroups(h, 3, 2);
            // An interleaved second subgroup: arrival order differs from object order.
            h.send(up.ingest(), 3, 1, 1, 10);
            h.send(up.ingest(), 3, 0, 0, 10);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            h.session("f").fetch(9, FetchRequest.standalone(TRACK, new Location(1, 0), new Location(4, 0))
                .withGroupOrder(GroupOrder.DESCENDING), w, new Callbacks.Fetch());
            h.poll();
            assertThat(w.calls).containsExactly("3/0", "3/1", "2/0", "2/1", "1/0", "1/1");
        }
    }

    @Test
    void fetchErrorsFollowTheDraft()
    {
        try (Harness h = Harness.small())
        {
            final Session f = h.session("f");
            final Callbacks.Fetch unknown = new Callbacks.Fetch();
            f.fetch(1, FetchRequest.standalone(TRACK, Location.ZERO, new Location(1, 0)), new RecordingFetchWriter(),
                unknown);
            assertThat(unknown.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);

            h.session("pub").publish(1, TRACK, List.of(), null, new FakePublisher(), new Callbacks.Req());
            final Callbacks.Fetch empty = new Callbacks.Fetch();
            f.fetch(2, FetchRequest.standalone(TRACK, Location.ZERO, new Location(1, 0)), new RecordingFetchWriter(),
                empty);
            assertThat(empty.error).as("no objects published").isEqualTo(RequestErrorCode.INVALID_RANGE);

            h.send(h.relay.ingestOf(TRACK), 0, 0, 0, 10);
            final Callbacks.Fetch beyond = new Callbacks.Fetch();
            f.fetch(3, FetchRequest.standalone(TRACK, new Location(5, 0), new Location(6, 0)),
                new RecordingFetchWriter(), beyond);
            assertThat(beyond.error).as("start beyond largest").isEqualTo(RequestErrorCode.INVALID_RANGE);

            final Callbacks.Fetch badJoin = new Callbacks.Fetch();
            f.fetch(4, FetchRequest.relativeJoining(77, 1), new RecordingFetchWriter(), badJoin);
            assertThat(badJoin.error).isEqualTo(RequestErrorCode.INVALID_JOINING_REQUEST_ID);

            f.subscribe(5, TRACK, SubscribeOptions.of(null).withForward(false), new RecordingWriter(),
                new Callbacks.Sub());
            final Callbacks.Fetch notForward = new Callbacks.Fetch();
            f.fetch(6, FetchRequest.relativeJoining(5, 1), new RecordingFetchWriter(), notForward);
            assertThat(notForward.error).isEqualTo(RequestErrorCode.INVALID_RANGE);
        }
    }

    @Test
    void relativeAndAbsoluteJoiningFetchAreContiguousWithTheSubscription()
    {
        try (Harness h = Harness.small())
        {
            final UpstreamSubscription up = publishGroups(h, 4, 3);
            h.send(up.ingest(), 4, 0, 0, 10);
            h.send(up.ingest(), 4, 0, 1, 10);
            h.poll();
            final Session s = h.session("viewer");
            final RecordingWriter live = new RecordingWriter();
            final Callbacks.Sub sub = new Callbacks.Sub();
            s.subscribe(10, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), live, sub);
            assertThat(sub.largest).isEqualTo(new Location(4, 1));

            final RecordingFetchWriter rel = new RecordingFetchWriter();
            final Callbacks.Fetch relCb = new Callbacks.Fetch();
            s.fetch(11, FetchRequest.relativeJoining(10, 1), rel, relCb);
            assertThat(relCb.end).isEqualTo(new Location(4, 2));
            h.send(up.ingest(), 4, 0, 2, 10);
            h.poll();
            assertThat(rel.calls).containsExactly("3/0", "3/1", "3/2", "4/0", "4/1");
            assertThat(live.locations()).containsExactly("4/2");

            final RecordingFetchWriter abs = new RecordingFetchWriter();
            final Callbacks.Fetch absCb = new Callbacks.Fetch();
            s.fetch(12, FetchRequest.absoluteJoining(10, 2), abs, absCb);
            h.poll();
            assertThat(abs.calls).containsExactly("2/0", "2/1", "2/2", "3/0", "3/1", "3/2", "4/0", "4/1");
        }
    }

    @Test
    void joiningFetchOnAPendingSubscriptionWaitsForItToBeEstablished()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final Session first = h.session("first");
            first.subscribe(1, TRACK, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            for (int g = 0; g < 3; g++)
            {
                h.send(pub.last().ingest(), g, 0, 0, 10);
                h.send(pub.last().ingest(), g, 0, 1, 10);
            }
            first.close(); // upstream unsubscribed; the cache stays
            h.poll();
            pub.autoAccept = false;
            final Session s = h.session("viewer");
            final Callbacks.Sub sub = new Callbacks.Sub();
            s.subscribe(5, TRACK, SubscribeOptions.of(SubscriptionFilter.largestObject()), new RecordingWriter(), sub);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            final Callbacks.Fetch cb = new Callbacks.Fetch();
            s.fetch(6, FetchRequest.relativeJoining(5, 1), w, cb);
            assertThat(cb.okCalled || cb.error != null).as("buffered").isFalse();
            pub.last().accept(new Location(2, 1), List.of());
            assertThat(sub.okCalled).isTrue();
            assertThat(cb.end).isEqualTo(new Location(2, 2));
            h.poll();
            assertThat(w.calls).containsExactly("1/0", "1/1", "2/0", "2/1");
        }
    }

    @Test
    void objectsOlderThanTheCacheAreReportedAsAnUnknownRange()
    {
        try (Harness h = new Harness(RelayConfiguration.SEGMENT_BYTES_PROP_NAME, "65536",
            RelayConfiguration.TRACK_CACHE_BYTES_PROP_NAME, "1m",
            RelayConfiguration.SUBSCRIBER_BACKLOG_BYTES_PROP_NAME, "256k",
            RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2"))
        {
            publishGroups(h, 5, 2);
            final RecordingFetchWriter w = new RecordingFetchWriter();
            h.session("f").fetch(1, FetchRequest.standalone(TRACK, Location.ZERO, new Location(5, 0)), w,
                new Callbacks.Fetch());
            h.poll();
            assertThat(w.calls).containsExactly("unknown..2/" + ((1L << 62) - 1), "3/0", "3/1", "4/0", "4/1");
        }
    }

    @Test
    void trackStatusIsAnsweredFromTheTrackState()
    {
        try (Harness h = Harness.small())
        {
            final Session s = h.session("s");
            final Location[] got = new Location[1];
            final RequestErrorCode[] err = new RequestErrorCode[1];
            final TrackStatusCallback cb = new TrackStatusCallback()
            {
                @Override
                public void ok(final Location largest, final boolean endOfTrack, final List<moq.relay.wire.KeyValuePair> p)
                {
                    got[0] = largest;
                }

                @Override
                public void error(final RequestErrorCode code, final String reason)
                {
                    err[0] = code;
                }
            };
            s.trackStatus(TRACK, cb);
            assertThat(err[0]).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);
            publishGroups(h, 2, 3);
            s.trackStatus(TRACK, cb);
            assertThat(got[0]).isEqualTo(new Location(1, 2));
        }
    }
}
