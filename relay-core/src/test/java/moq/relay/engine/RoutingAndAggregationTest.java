package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/** Draft-18 §8: exact and prefix routing to every matching publisher; one upstream subscription per track. */
class RoutingAndAggregationTest
{
    @Test
    void subscribeGoesToEveryPublisherWhoseNamespaceIsAFieldByFieldPrefix()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher foo = new FakePublisher();
            final FakePublisher fooBar = new FakePublisher();
            final FakePublisher foobar = new FakePublisher();
            final FakePublisher other = new FakePublisher();
            h.announce(foo, "foo");
            h.announce(fooBar, "foo", "bar");
            h.announce(foobar, "foobar");
            h.announce(other, "baz");

            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("s").subscribe(1, FullTrackName.of("x", "foo", "bar"), SubscribeOptions.of(null),
                new RecordingWriter(), cb);
            assertThat(cb.okCalled).isTrue();
            assertThat(foo.subscribes).hasSize(1);
            assertThat(fooBar.subscribes).hasSize(1);
            assertThat(foobar.subscribes).isEmpty();
            assertThat(other.subscribes).isEmpty();
            assertThat(foo.last().forward()).isTrue();
        }
    }

    @Test
    void unknownTrackIsDoesNotExist()
    {
        try (Harness h = Harness.small())
        {
            h.announce(new FakePublisher(), "foo");
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("s").subscribe(1, FullTrackName.of("x", "nope"), SubscribeOptions.of(null),
                new RecordingWriter(), cb);
            assertThat(cb.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);
        }
    }

    @Test
    void manySubscribersShareOneUpstreamSubscriptionEstablishedBeforeSubscribeOk()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            pub.autoAccept = false;
            h.announce(pub, "live");
            final FullTrackName track = FullTrackName.of("t", "live");
            final Callbacks.Sub[] cbs = new Callbacks.Sub[50];
            final RecordingWriter[] ws = new RecordingWriter[50];
            final Session[] sessions = new Session[50];
            for (int i = 0; i < cbs.length; i++)
            {
                cbs[i] = new Callbacks.Sub();
                ws[i] = new RecordingWriter();
                sessions[i] = h.session("s" + i);
                sessions[i].subscribe(1, track, SubscribeOptions.of(SubscriptionFilter.largestObject()), ws[i], cbs[i]);
            }
            assertThat(pub.subscribes).hasSize(1);
            assertThat(h.relay.upstreamSubscribeCount()).isEqualTo(1);
            for (final Callbacks.Sub cb : cbs)
            {
                assertThat(cb.okCalled).as("no SUBSCRIBE_OK before the upstream is established").isFalse();
            }
            pub.last().accept(new Location(4, 2), List.of());
            for (final Callbacks.Sub cb : cbs)
            {
                assertThat(cb.okCalled).isTrue();
                assertThat(cb.largest).isEqualTo(new Location(4, 2));
            }
            h.send(pub.last().ingest(), 5, 0, 0, 10);
            h.poll();
            for (final RecordingWriter w : ws)
            {
                assertThat(w.locations()).containsExactly("5/0");
            }

            // A late subscriber also reuses it.
            h.session("late").subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            assertThat(pub.subscribes).hasSize(1);

            for (int i = 0; i < sessions.length; i++)
            {
                sessions[i].cancel(1);
            }
            assertThat(pub.unsubscribes).isEmpty();
            h.relay.openSession("x", 0); // unrelated
            // the late one leaves last
            h.poll();
        }
    }

    @Test
    void upstreamEndsWhenTheLastDownstreamLeaves()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "live");
            final FullTrackName track = FullTrackName.of("t", "live");
            final Session a = h.session("a");
            final Session b = h.session("b");
            a.subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            b.subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            assertThat(pub.subscribes).hasSize(1);
            a.cancel(1);
            assertThat(pub.unsubscribes).isEmpty();
            b.close();
            assertThat(pub.unsubscribes).hasSize(1);
            // Subscribing again establishes a new upstream subscription.
            h.session("c").subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            assertThat(pub.subscribes).hasSize(2);
            assertThat(h.relay.upstreamSubscribeCount()).isEqualTo(2);
        }
    }

    @Test
    void duplicateSubscriptionOnOneSessionIsRejected()
    {
        try (Harness h = Harness.small())
        {
            h.announce(new FakePublisher(), "live");
            final Session s = h.session("s");
            final FullTrackName track = FullTrackName.of("t", "live");
            s.subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            final Callbacks.Sub dup = new Callbacks.Sub();
            s.subscribe(2, track, SubscribeOptions.of(null), new RecordingWriter(), dup);
            assertThat(dup.error).isEqualTo(RequestErrorCode.DUPLICATE_SUBSCRIPTION);
        }
    }

    @Test
    void rejectedUpstreamFailsTheWaitingSubscribers()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            pub.rejectWith = RequestErrorCode.UNAUTHORIZED;
            h.announce(pub, "live");
            final Callbacks.Sub cb = new Callbacks.Sub();
            h.session("s").subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null),
                new RecordingWriter(), cb);
            assertThat(cb.error).isEqualTo(RequestErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void aNewPublishNamespaceIsSubscribedForExistingDemand()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher first = new FakePublisher();
            h.announce(first, "live");
            final FullTrackName track = FullTrackName.of("t", "live", "room");
            h.session("s").subscribe(1, track, SubscribeOptions.of(null), new RecordingWriter(), new Callbacks.Sub());
            final FakePublisher second = new FakePublisher();
            h.announce(second, "live", "room");
            assertThat(second.subscribes).hasSize(1);
            assertThat(second.last().track()).isEqualTo(track);
        }
    }

    @Test
    void publishedTrackForwardsOnlyWhileSomeoneWantsIt()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            final Session ps = h.session("pub");
            final FullTrackName track = FullTrackName.of("t", "chat");
            final Callbacks.Req req = new Callbacks.Req();
            final UpstreamSubscription up = ps.publish(3, track, List.of(), null, pub, req);
            assertThat(req.okCalled).isTrue();
            assertThat(up.forward()).as("PUBLISH_OK forward=0 with no subscriber").isFalse();

            final Session sub = h.session("sub");
            final RecordingWriter w = new RecordingWriter();
            final Callbacks.Sub cb = new Callbacks.Sub();
            sub.subscribe(1, track, SubscribeOptions.of(null), w, cb);
            assertThat(cb.okCalled).isTrue();
            assertThat(pub.forwardUpdates).containsExactly(track + "=true");
            assertThat(pub.subscribes).as("no SUBSCRIBE for a pushed track").isEmpty();
            h.send(up.ingest(), 0, 0, 0, 10);
            h.poll();
            assertThat(w.locations()).containsExactly("0/0");
            sub.cancel(1);
            assertThat(pub.forwardUpdates).containsExactly(track + "=true", track + "=false");
        }
    }

    @Test
    void forwardZeroSubscriberGetsNothingUntilItAsksAndThenRaisesUpstreamForward()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher pub = new FakePublisher();
            final Session ps = h.session("pub");
            final FullTrackName track = FullTrackName.of("t", "n");
            final UpstreamSubscription up = ps.publish(3, track, List.of(), null, pub, new Callbacks.Req());
            final Session sub = h.session("sub");
            final RecordingWriter w = new RecordingWriter();
            sub.subscribe(1, track, SubscribeOptions.of(null).withForward(false), w, new Callbacks.Sub());
            assertThat(pub.forwardUpdates).isEmpty();
            h.send(up.ingest(), 0, 0, 0, 10);
            h.poll();
            assertThat(w.objects).isEmpty();
            final Callbacks.Req upd = new Callbacks.Req();
            sub.updateSubscription(1, true, 128, upd);
            assertThat(upd.okCalled).isTrue();
            assertThat(pub.forwardUpdates).containsExactly(track + "=true");
            h.send(up.ingest(), 1, 0, 0, 10);
            h.poll();
            assertThat(w.locations()).containsExactly("1/0");
        }
    }

    @Test
    void objectsFromTwoPublishersOfOneTrackAreForwardedOnce()
    {
        try (Harness h = Harness.small())
        {
            final FakePublisher a = new FakePublisher();
            final FakePublisher b = new FakePublisher();
            h.announce(a, "live");
            h.announce(b, "live");
            final RecordingWriter w = new RecordingWriter();
            h.session("s").subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null), w,
                new Callbacks.Sub());
            assertThat(a.subscribes).hasSize(1);
            assertThat(b.subscribes).hasSize(1);
            final TrackIngest in = a.last().ingest();
            assertThat(b.last().ingest()).isSameAs(in);
            h.send(in, 0, 0, 0, 10); // from a
            h.send(in, 0, 0, 0, 10); // the same object from b
            h.send(in, 0, 0, 1, 10); // b is ahead
            h.send(in, 0, 0, 1, 10); // a catches up
            h.send(in, 0, 1, 0, 10); // another subgroup
            h.poll();
            assertThat(w.calls).containsExactly("open 0/0 from 0", "object 0/0/0", "object 0/0/1", "open 0/1 from 0",
                "object 0/1/0");
            assertThat(in.duplicates()).isEqualTo(2);
        }
    }

    @Test
    void rendezvousHoldsASubscribeUntilAPublisherAppearsOrTheTimeoutPasses()
    {
        try (Harness h = Harness.small())
        {
            final FullTrackName track = FullTrackName.of("t", "later");
            final Callbacks.Sub held = new Callbacks.Sub();
            final Session viewer = h.session("viewer");
            final Callbacks.Tracks tracks = new Callbacks.Tracks();
            viewer.subscribeTracks(9, TrackNamespace.of("later"), tracks, new Callbacks.Req());
            viewer.subscribe(1, track, SubscribeOptions.of(null).withRendezvousTimeout(5_000), new RecordingWriter(),
                held);
            assertThat(held.okCalled || held.error != null).isFalse();
            final UpstreamSubscription up = h.session("pub").publish(1, track, List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            assertThat(held.okCalled).isTrue();
            assertThat(up.forward()).isTrue();
            assertThat(tracks.events).as("no PUBLISH to the subscriber whose SUBSCRIBE it satisfied").isEmpty();

            final Callbacks.Sub expires = new Callbacks.Sub();
            h.session("other").subscribe(1, FullTrackName.of("t", "never"),
                SubscribeOptions.of(null).withRendezvousTimeout(100), new RecordingWriter(), expires);
            h.relay.expireIdle(System.nanoTime());
            assertThat(expires.error).isNull();
            h.relay.expireIdle(System.nanoTime() + 200_000_000L);
            assertThat(expires.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);

            final Callbacks.Sub viaNamespace = new Callbacks.Sub();
            h.session("third").subscribe(1, FullTrackName.of("x", "room", "a"),
                SubscribeOptions.of(null).withRendezvousTimeout(5_000), new RecordingWriter(), viaNamespace);
            final FakePublisher pub = new FakePublisher();
            h.announce(pub, "room");
            assertThat(pub.subscribes).hasSize(1);
            assertThat(viaNamespace.okCalled).isTrue();
        }
    }

    @Test
    void namespaceOfTracksIsMatchedExactlyForTheTrackName()
    {
        assertThat(TrackNamespace.of("foo", "bar").startsWith(TrackNamespace.of("foo"))).isTrue();
        assertThat(TrackNamespace.of("foobar").startsWith(TrackNamespace.of("foo"))).isFalse();
    }
}
