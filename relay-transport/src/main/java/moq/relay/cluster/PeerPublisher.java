package moq.relay.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.util.List;
import java.util.concurrent.CompletionException;

import moq.relay.client.Filter;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.engine.Session;
import moq.relay.engine.UpstreamFetch;
import moq.relay.engine.UpstreamSubscription;

/**
 * A peer relay as the engine's publisher of the namespaces it originates (or, as a {@link #fallback()} static
 * upstream, of every namespace nothing else serves): each upstream subscription the engine asks for becomes one
 * SUBSCRIBE on the shared {@link PeerLink}, whose objects go into the track's ingest ({@link UpstreamTrack}).
 * It serves no other relay's session, so requests cross at most one relay-to-relay hop (docs/cluster.md "Loops").
 */
final class PeerPublisher implements Publisher
{
    private final PeerLink link;
    private final boolean fallback;
    /**
     * The engine session this peer's namespaces are published on: one per peer, because the engine keeps one upstream
     * subscription per (track, publisher session), and two origins of a track (switchover) must both be subscribed.
     */
    private final Session session;
    private final Duration grace;
    private final Map<UpstreamSubscription, UpstreamTrack> tracks = new ConcurrentHashMap<>();

    PeerPublisher(final PeerLink link, final boolean fallback, final Session session, final Duration grace)
    {
        this.link = link;
        this.fallback = fallback;
        this.session = session;
        this.grace = grace;
    }

    Session session()
    {
        return session;
    }

    PeerLink link()
    {
        return link;
    }

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        final UpstreamTrack track = new UpstreamTrack(subscription, link.peer(), () -> tracks.remove(subscription),
            link.scheduler(), grace);
        tracks.put(subscription, track);
        track.start(link.client()); // asynchronous: the engine's lock is held here
    }

    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        // The relay subscribes peers with Forward=1 (draft-18 §8.3) and unsubscribes when its last subscriber
        // leaves; only PUBLISH-ed tracks toggle forward, and a peer's tracks are subscribed, not published.
    }

    @Override
    public void unsubscribe(final UpstreamSubscription subscription)
    {
        final UpstreamTrack track = tracks.remove(subscription);
        if (track != null)
        {
            track.cancel();
        }
    }

    /**
     * TRACK_STATUS at the origin, asked as the client can: a SUBSCRIBE with Forward=0 (no objects flow), whose
     * SUBSCRIBE_OK carries the Largest Location, then cancelled.
     */
    @Override
    public boolean trackStatus(final FullTrackName track, final TrackStatusCallback callback)
    {
        link.client()
            .thenCompose(c -> c.subscribe(track.namespace(), track.name(),
                new SubscribeOptions(Filter.largestObject(), 128, false, false), new SubscriptionListener()
                {
                    @Override
                    public void onObject(final ReceivedObject object)
                    {
                    }
                }))
            .whenCompleteAsync((s, failure) -> // never inline: the caller holds the engine's lock
            {
                if (failure == null)
                {
                    s.unsubscribe();
                    callback.ok(s.largest(), false, List.of());
                    return;
                }
                final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
                    failure.getCause() : failure;
                if (cause instanceof RequestRejectedException r)
                {
                    callback.error(UpstreamTrack.errorCode(r.errorCode()), "peer relay " + link.peer() + ": " +
                        r.getMessage());
                }
                else
                {
                    callback.error(RequestErrorCode.INTERNAL_ERROR, "peer relay " + link.peer() + ": " + cause);
                }
            }, link.scheduler());
        return true;
    }

    /** Upstream FETCH at the peer relay (the range is older than this relay's cache, or not cached at all). */
    @Override
    public boolean fetch(final UpstreamFetch fetch)
    {
        new PeerFetch(fetch, link).start();
        return true;
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

    /** Upstream subscriptions open through this publisher (tests, metrics). */
    int openSubscriptions()
    {
        return tracks.size();
    }
}
