package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import moq.relay.wire.TrackNamespace;

/** SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS: existing and new namespaces and tracks, and withdrawals. */
class NamespaceDiscoveryTest
{
    @Test
    void subscribeNamespaceSeesExistingAndNewNamespacesAndWithdrawals()
    {
        try (Harness h = Harness.small())
        {
            final Session p1 = h.announce(new FakePublisher(), "meet", "room1");
            final Callbacks.Namespaces ns = new Callbacks.Namespaces();
            final Callbacks.Req req = new Callbacks.Req();
            final Session watcher = h.session("w");
            watcher.subscribeNamespace(5, TrackNamespace.of("meet"), ns, req);
            assertThat(req.okCalled).isTrue();
            assertThat(ns.events).containsExactly("+[room1]");

            final Session p2 = h.announce(new FakePublisher(), "meet", "room2");
            h.announce(new FakePublisher(), "other");
            assertThat(ns.events).containsExactly("+[room1]", "+[room2]");

            p1.cancel(1);
            p2.close();
            assertThat(ns.events).containsExactly("+[room1]", "+[room2]", "-[room1]", "-[room2]");

            final Callbacks.Req overlap = new Callbacks.Req();
            watcher.subscribeNamespace(6, TrackNamespace.of("meet", "room1"), new Callbacks.Namespaces(), overlap);
            assertThat(overlap.error).isEqualTo(RequestErrorCode.PREFIX_OVERLAP);
        }
    }

    @Test
    void twoPublishersOfOneNamespaceAreOneNamespaceUntilBothLeave()
    {
        try (Harness h = Harness.small())
        {
            final Callbacks.Namespaces ns = new Callbacks.Namespaces();
            h.session("w").subscribeNamespace(1, TrackNamespace.EMPTY, ns, new Callbacks.Req());
            final Session a = h.announce(new FakePublisher(), "x");
            final Session b = h.announce(new FakePublisher(), "x");
            assertThat(ns.events).containsExactly("+[x]");
            a.close();
            assertThat(ns.events).containsExactly("+[x]");
            b.close();
            assertThat(ns.events).containsExactly("+[x]", "-[x]");
        }
    }

    @Test
    void aNamespaceSubscriberHearsOfOthersNamespacesNotItsOwn()
    {
        try (Harness h = Harness.small())
        {
            final Session both = h.session("both");
            both.publishNamespace(1, TrackNamespace.of("chat", "bob"), new FakePublisher(), new Callbacks.Req());
            h.announce(new FakePublisher(), "chat", "alice");
            final Callbacks.Namespaces ns = new Callbacks.Namespaces();
            both.subscribeNamespace(3, TrackNamespace.of("chat"), ns, new Callbacks.Req());
            assertThat(ns.events).containsExactly("+[alice]");

            both.publishNamespace(5, TrackNamespace.of("chat", "bob2"), new FakePublisher(), new Callbacks.Req());
            assertThat(ns.events).as("its own new namespace is not echoed").containsExactly("+[alice]");

            // Another session publishing the same namespace makes it someone else's too, until that one leaves.
            final Session other = h.announce(new FakePublisher(), "chat", "bob");
            assertThat(ns.events).containsExactly("+[alice]", "+[bob]");
            other.close();
            assertThat(ns.events).containsExactly("+[alice]", "+[bob]", "-[bob]");
            both.cancel(1);
            assertThat(ns.events).as("withdrawing its own is not echoed either").hasSize(3);
        }
    }

    @Test
    void subscribeTracksSeesExistingAndNewPublishedTracksButNotItsOwn()
    {
        try (Harness h = Harness.small())
        {
            final Session pub = h.session("pub");
            pub.publish(1, FullTrackName.of("audio", "meet", "alice"), List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final Session both = h.session("both");
            both.publish(1, FullTrackName.of("video", "meet", "bob"), List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            final Callbacks.Tracks tracks = new Callbacks.Tracks();
            final Callbacks.Req req = new Callbacks.Req();
            both.subscribeTracks(2, TrackNamespace.of("meet"), tracks, req);
            assertThat(req.okCalled).isTrue();
            assertThat(tracks.events).containsExactly("+[meet, alice]/audio");

            final Session carol = h.session("carol");
            carol.publish(1, FullTrackName.of("video", "meet", "carol"), List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            pub.publish(2, FullTrackName.of("x", "elsewhere"), List.of(), null, new FakePublisher(),
                new Callbacks.Req());
            assertThat(tracks.events).containsExactly("+[meet, alice]/audio", "+[meet, carol]/video");
            carol.close();
            assertThat(tracks.events).containsExactly("+[meet, alice]/audio", "+[meet, carol]/video",
                "-[meet, carol]/video");
        }
    }
}
