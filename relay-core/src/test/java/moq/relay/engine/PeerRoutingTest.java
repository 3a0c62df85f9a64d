package moq.relay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import moq.relay.wire.TrackNamespace;

/**
 * The engine's hooks for relay clusters (docs/cluster.md): publishers that do not serve another relay's session
 * (cluster peers) are neither asked for its requests nor announced to it; fallback publishers (static upstreams) are
 * asked only when nothing else matches and never announced; internal sessions have no request-rate bound.
 */
class PeerRoutingTest
{
    /** A publisher standing for another relay. */
    static final class PeerFake implements Publisher
    {
        final FakePublisher inner = new FakePublisher();
        final boolean fallback;

        PeerFake(final boolean fallback)
        {
            this.fallback = fallback;
        }

        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
            inner.subscribe(subscription);
        }

        @Override
        public void updateForward(final UpstreamSubscription subscription, final boolean forward)
        {
        }

        @Override
        public void unsubscribe(final UpstreamSubscription subscription)
        {
            inner.unsubscribe(subscription);
        }

        @Override
        public boolean serves(final Session requester)
        {
            return requester.peerRelay() == null;
        }

        @Override
        public boolean fallback()
        {
            return fallback;
        }
    }

    static Session announce(final Harness h, final Publisher p, final String... ns)
    {
        final Session s = h.relay.openInternalSession("peer " + String.join("/", ns));
        final Callbacks.Req req = new Callbacks.Req();
        s.publishNamespace(1, TrackNamespace.of(ns), p, req);
        assertThat(req.okCalled).isTrue();
        return s;
    }

    @Test
    void aPeerServesClientsButNotOtherRelays()
    {
        try (Harness h = Harness.small())
        {
            final PeerFake peer = new PeerFake(false);
            announce(h, peer, "live");
            final Session relay = h.session("another relay");
            relay.markPeerRelay("moqt://b:4443");
            final Callbacks.Sub fromRelay = new Callbacks.Sub();
            relay.subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null), new RecordingWriter(),
                fromRelay);
            assertThat(fromRelay.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);
            assertThat(peer.inner.subscribes).isEmpty();

            final Callbacks.Sub fromClient = new Callbacks.Sub();
            h.session("client").subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null),
                new RecordingWriter(), fromClient);
            assertThat(fromClient.okCalled).isTrue();
            assertThat(peer.inner.subscribes).hasSize(1);
        }
    }

    @Test
    void aPeersNamespaceIsAnnouncedToClientsOnly()
    {
        try (Harness h = Harness.small())
        {
            final Callbacks.Namespaces client = new Callbacks.Namespaces();
            h.session("client").subscribeNamespace(1, TrackNamespace.of("live"), client, new Callbacks.Req());
            final Session relay = h.session("another relay");
            relay.markPeerRelay("moqt://b:4443");
            final Callbacks.Namespaces fromRelay = new Callbacks.Namespaces();
            relay.subscribeNamespace(1, TrackNamespace.of("live"), fromRelay, new Callbacks.Req());

            announce(h, new PeerFake(false), "live", "room");
            assertThat(client.events).containsExactly("+" + TrackNamespace.of("room"));
            assertThat(fromRelay.events).isEmpty();
            h.announce(new FakePublisher(), "live", "local");
            assertThat(fromRelay.events).containsExactly("+" + TrackNamespace.of("local"));
        }
    }

    @Test
    void aFallbackIsAskedOnlyWhenNothingElseMatchesAndNeverAnnounced()
    {
        try (Harness h = Harness.small())
        {
            final Callbacks.Namespaces client = new Callbacks.Namespaces();
            h.session("client ns").subscribeNamespace(1, TrackNamespace.EMPTY, client, new Callbacks.Req());
            final PeerFake upstream = new PeerFake(true);
            announce(h, upstream, new String[0]);
            final FakePublisher local = new FakePublisher();
            h.announce(local, "live");
            assertThat(client.events).containsExactly("+" + TrackNamespace.of("live"));

            final Callbacks.Sub served = new Callbacks.Sub();
            h.session("a").subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null),
                new RecordingWriter(), served);
            assertThat(local.subscribes).hasSize(1);
            assertThat(upstream.inner.subscribes).isEmpty();

            final Callbacks.Sub elsewhere = new Callbacks.Sub();
            h.session("b").subscribe(1, FullTrackName.of("t", "other"), SubscribeOptions.of(null),
                new RecordingWriter(), elsewhere);
            assertThat(upstream.inner.subscribes).hasSize(1);
            assertThat(elsewhere.okCalled).isTrue();
        }
    }

    @Test
    void anInternalSessionHasNoRequestRateOrNamespaceBound()
    {
        try (Harness h = new Harness(moq.relay.config.RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME, "1",
            moq.relay.config.RelayConfiguration.SESSION_REQUEST_BURST_PROP_NAME, "1"))
        {
            final Session s = h.relay.openInternalSession("cluster");
            for (int i = 0; i < 1100; i++) // above the default namespace bound (1024) too
            {
                final Callbacks.Req req = new Callbacks.Req();
                s.publishNamespace(1 + 2L * i, TrackNamespace.of("ns" + i), new FakePublisher(), req);
                assertThat(req.okCalled).as("registration %d", i).isTrue();
            }
        }
    }

    @Test
    void aRelayDoesNotJoinATrackWhoseOnlyUpstreamIsAPeerThatDoesNotServeIt()
    {
        try (Harness h = Harness.small())
        {
            final PeerFake peer = new PeerFake(false);
            peer.inner.autoAccept = false; // the upstream SUBSCRIBE stays pending, as in a ring of relays
            announce(h, peer, "live");
            final Callbacks.Sub fromClient = new Callbacks.Sub();
            h.session("client").subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null),
                new RecordingWriter(), fromClient);
            assertThat(peer.inner.subscribes).hasSize(1);
            assertThat(peer.inner.subscribes.get(0).requesterPeerRelay()).isNull();

            // Another relay's request for the same track must not wait on it (it may be the one it waits on).
            final Session relay = h.session("another relay");
            relay.markPeerRelay("moqt://b:4443");
            final Callbacks.Sub fromRelay = new Callbacks.Sub();
            relay.subscribe(1, FullTrackName.of("t", "live"), SubscribeOptions.of(null), new RecordingWriter(),
                fromRelay);
            assertThat(fromRelay.error).isEqualTo(RequestErrorCode.DOES_NOT_EXIST);
            assertThat(peer.inner.subscribes).hasSize(1);
        }
    }

    @Test
    void aPeersPublishedTrackIsOfferedToClientsOnly()
    {
        try (Harness h = Harness.small())
        {
            final Callbacks.Tracks client = new Callbacks.Tracks();
            h.session("client").subscribeTracks(1, TrackNamespace.of("live"), client, new Callbacks.Req());
            final Session relay = h.session("another relay");
            relay.markPeerRelay("moqt://b:4443");
            final Callbacks.Tracks fromRelay = new Callbacks.Tracks();
            relay.subscribeTracks(1, TrackNamespace.of("live"), fromRelay, new Callbacks.Req());

            final Session mirror = h.relay.openInternalSession("peer");
            final Callbacks.Req req = new Callbacks.Req();
            mirror.publish(1, FullTrackName.of("t", "live"), java.util.List.of(), null, new PeerFake(false), req);
            assertThat(req.okCalled).isTrue();
            assertThat(client.events).containsExactly("+" + FullTrackName.of("t", "live"));
            assertThat(fromRelay.events).isEmpty();
        }
    }

    /** A static upstream that records what SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS asked it, and what ended. */
    static final class DiscoveringUpstream extends java.util.ArrayList<String> implements Publisher
    {
        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
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
        public boolean serves(final Session requester)
        {
            return requester.peerRelay() == null;
        }

        @Override
        public boolean fallback()
        {
            return true;
        }

        @Override
        public Runnable discover(final Session requester, final TrackNamespace prefix, final boolean tracks)
        {
            final String what = (tracks ? "tracks " : "namespaces ") + prefix;
            add("+" + what);
            return () -> add("-" + what);
        }
    }

    @Test
    void aStaticUpstreamIsAskedForTheNamespaceAndTrackSubscriptionsItServesUntilTheyEnd()
    {
        try (Harness h = Harness.small())
        {
            final DiscoveringUpstream upstream = new DiscoveringUpstream();
            announce(h, upstream, new String[0]);
            final Session client = h.session("client");
            client.subscribeNamespace(1, TrackNamespace.of("live"), new Callbacks.Namespaces(), new Callbacks.Req());
            client.subscribeTracks(3, TrackNamespace.of("live"), new Callbacks.Tracks(), new Callbacks.Req());
            assertThat(upstream).containsExactly("+namespaces " + TrackNamespace.of("live"),
                "+tracks " + TrackNamespace.of("live"));

            // Not for a relay it does not serve (a loop).
            final Session relay = h.session("another relay");
            relay.markPeerRelay("moqt://b:4443");
            relay.subscribeNamespace(1, TrackNamespace.of("live"), new Callbacks.Namespaces(), new Callbacks.Req());
            assertThat(upstream).hasSize(2);

            client.cancel(1);
            assertThat(upstream).endsWith("-namespaces " + TrackNamespace.of("live"));
            client.close(); // ends the SUBSCRIBE_TRACKS too
            assertThat(upstream).endsWith("-tracks " + TrackNamespace.of("live"));
            assertThat(upstream).hasSize(4);
        }
    }
}
