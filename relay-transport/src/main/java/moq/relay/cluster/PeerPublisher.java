package moq.relay.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
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
 * upstream, of every namespace nothing else serves) and of the tracks published there with PUBLISH (mirrored by
 * {@link Cluster} with {@link Session#publish}): each upstream subscription the engine asks for (for a mirrored track:
 * each time its forward state rises) becomes one SUBSCRIBE on a shared {@link PeerLink}, whose objects go into the
 * track's ingest ({@link UpstreamTrack}). It serves another relay's session only when the request crossed neither
 * that peer nor this relay and stays within the hop bound; the link used names the request's relays to the peer
 * (docs/cluster.md "Loops").
 */
final class PeerPublisher implements Publisher
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerPublisher.class);
    /**
     * How long after a lost session (or a failed retry) a track is subscribed at the peer again; the link itself
     * connects no more often than {@link PeerLink#RETRY_AFTER} after a failed attempt.
     */
    static final Duration RELINK_DELAY = Duration.ofMillis(200);
    private final RelayUrl peer;
    private final RelayUrl self;
    private final int maxHops;
    private final Function<List<String>, PeerLink> newLink;
    /** Links by the relays their requests crossed (joined by spaces); this relay's own clients use {@link #link()}. */
    private final Map<String, PeerLink> links = new ConcurrentHashMap<>();
    private final PeerLink link;
    private final boolean fallback;
    /**
     * The engine session this peer's namespaces are published on: one per peer, because the engine keeps one upstream
     * subscription per (track, publisher session), and two origins of a track (switchover) must both be subscribed.
     */
    private final Session session;
    private final Duration grace;
    private final Map<UpstreamSubscription, UpstreamTrack> tracks = new ConcurrentHashMap<>();
    /** A static upstream's SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS forwarding; null for a Redis peer. */
    private volatile UpstreamDiscovery discovery;

    PeerPublisher(final RelayUrl peer, final RelayUrl self, final int maxHops,
        final Function<List<String>, PeerLink> newLink, final boolean fallback, final Session session,
        final Duration grace)
    {
        this.peer = peer;
        this.self = self;
        this.maxHops = maxHops;
        this.newLink = newLink;
        this.link = linkFor(null);
        this.fallback = fallback;
        this.session = session;
        this.grace = grace;
    }

    Session session()
    {
        return session;
    }

    /** The peer relay's URL. */
    RelayUrl url()
    {
        return peer;
    }

    /** Makes this static upstream answer SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS through {@code d}. */
    void discovery(final UpstreamDiscovery d)
    {
        discovery = d;
    }

    /** The link for this relay's own clients' requests. */
    PeerLink link()
    {
        return link;
    }

    /** Every link opened to this peer. */
    Collection<PeerLink> links()
    {
        return links.values();
    }

    /** The link for requests of a session whose requests crossed {@code crossed} ({@link Session#peerRelay()}). */
    private PeerLink linkFor(final String crossed)
    {
        final List<String> path = PeerRelays.extended(crossed, self);
        return links.computeIfAbsent(String.join(" ", path), k -> newLink.apply(path));
    }

    /**
     * A use of the link for requests of a session whose requests crossed {@code crossed}, taken atomically with the
     * lookup so that {@link #closeIdleLinks} cannot close or forget a link between the two.
     */
    PeerLink.Use use(final String crossed)
    {
        final List<String> path = PeerRelays.extended(crossed, self);
        final PeerLink.Use[] use = new PeerLink.Use[1];
        links.compute(String.join(" ", path), (k, l) ->
        {
            final PeerLink found = l != null ? l : newLink.apply(path);
            use[0] = found.use();
            return found;
        });
        return use[0];
    }

    /**
     * Closes the sessions of links no request has used for {@code idleNanos}: a per-path link is forgotten (another
     * relay's path may never come back), the link of this relay's own clients is kept and connects again on its next
     * use. Runs on the peer links' event loop, so closing a session does not wait.
     */
    void closeIdleLinks(final long nowNanos, final long idleNanos)
    {
        for (final String key : links.keySet())
        {
            final List<CompletableFuture<MoqClient>> detached = new ArrayList<>(1);
            links.computeIfPresent(key, (k, l) ->
            {
                final CompletableFuture<MoqClient> c = l.detachIfIdle(nowNanos, idleNanos);
                if (c == null)
                {
                    return l;
                }
                detached.add(c);
                return l == link ? l : null;
            });
            for (final CompletableFuture<MoqClient> c : detached)
            {
                c.thenAccept(client ->
                {
                    if (client != null && !client.closed().isDone())
                    {
                        LOG.info("cluster: closing the idle session to peer relay {} for requests that crossed [{}]",
                            peer, key);
                        client.close(0, "idle");
                    }
                });
            }
        }
    }

    @Override
    public void subscribe(final UpstreamSubscription subscription)
    {
        start(subscription, use(subscription.requesterPeerRelay()), false, null);
    }

    /**
     * @param mirrored a PUBLISH-ed track mirrored from the peer, subscribed while forward is on
     * @param retryOf  for a subscription made again after its session closed, the pending end of the engine's one
     */
    private void start(final UpstreamSubscription subscription, final PeerLink.Use via, final boolean mirrored,
        final ScheduledFuture<?> retryOf)
    {
        final UpstreamTrack[] created = new UpstreamTrack[1];
        final UpstreamTrack track = new UpstreamTrack(subscription, peer,
            () -> tracks.remove(subscription, created[0]), via::release, via.link().scheduler(), grace,
            giveUp -> relink(subscription, mirrored, giveUp), retryOf);
        created[0] = track;
        final UpstreamTrack old = tracks.put(subscription, track);
        if (old != null)
        {
            old.cancel();
        }
        track.start(via.link().client()); // asynchronous: the engine's lock is held here
    }

    /**
     * The session under an established upstream subscription closed without PUBLISH_DONE: subscribes the track at
     * this peer again (its link connects again) while the engine still wants it and {@code giveUp}, the end of the
     * engine's subscription after the grace, has not run. A peer that died fails every attempt until then; a link that
     * alone was lost (an idle timeout on a stalled host, a network blip) is back within a round trip or two.
     */
    private void relink(final UpstreamSubscription subscription, final boolean mirrored, final ScheduledFuture<?> giveUp)
    {
        try
        {
            link.scheduler().schedule(() -> relinkNow(subscription, mirrored, giveUp), RELINK_DELAY.toMillis(),
                TimeUnit.MILLISECONDS);
        }
        catch (final RejectedExecutionException stopping)
        {
            // The links' event loop has shut down: the relay is stopping, and so is the subscription.
        }
    }

    private void relinkNow(final UpstreamSubscription subscription, final boolean mirrored,
        final ScheduledFuture<?> giveUp)
    {
        if (giveUp.isDone() || !wanted(subscription, mirrored) || tracks.containsKey(subscription))
        {
            return;
        }
        start(subscription, use(mirrored ? null : subscription.requesterPeerRelay()), mirrored, giveUp);
        if (!wanted(subscription, mirrored))
        {
            unsubscribe(subscription); // the engine let go while it started: its unsubscribe found nothing
        }
    }

    private static boolean wanted(final UpstreamSubscription subscription, final boolean mirrored)
    {
        return subscription.isEstablished() && (!mirrored || subscription.forward());
    }

    /**
     * Subscribed tracks: never called (the relay subscribes peers with Forward=1, draft-18 §8.3, and unsubscribes when
     * its last subscriber leaves). Mirrored PUBLISH-ed tracks: a SUBSCRIBE at the peer while forward is on (a
     * subscriber here wants objects), cancelled when it drops, so nothing crosses the link for a track nobody watches.
     */
    @Override
    public void updateForward(final UpstreamSubscription subscription, final boolean forward)
    {
        if (forward)
        {
            start(subscription, use(null), true, null);
        }
        else
        {
            unsubscribe(subscription);
        }
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
    public boolean trackStatus(final FullTrackName track, final Session requester, final TrackStatusCallback callback)
    {
        final PeerLink.Use use = use(requester.peerRelay());
        final PeerLink link = use.link();
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
                use.release();
                if (failure == null)
                {
                    s.unsubscribe();
                    callback.ok(s.largest(), false, s.trackProperties());
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

    /**
     * Upstream FETCH at the peer relay (the range is older than this relay's cache, or not cached at all), on the link
     * that names the relays the requester's requests crossed, as SUBSCRIBE and TRACK_STATUS do (so a FETCH cannot
     * circle a ring of relays).
     */
    @Override
    public boolean fetch(final UpstreamFetch fetch)
    {
        new PeerFetch(fetch, use(fetch.requester().peerRelay())).start();
        return true;
    }

    /**
     * A static upstream asked for the namespaces or PUBLISH-ed tracks a downstream SUBSCRIBE_NAMESPACE or
     * SUBSCRIBE_TRACKS wants ({@link UpstreamDiscovery}); a Redis peer is not (the directory mirrors its origins).
     */
    @Override
    public Runnable discover(final Session requester, final moq.relay.wire.TrackNamespace prefix,
        final boolean tracks)
    {
        final UpstreamDiscovery d = discovery;
        return d == null ? null : d.discover(requester, prefix, tracks);
    }

    @Override
    public boolean serves(final Session requester)
    {
        return requester.peerRelay() == null || PeerRelays.forwardable(requester.peerRelay(), self, peer, maxHops);
    }

    @Override
    public boolean fallback()
    {
        return fallback;
    }

    /** The SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS requests {@link UpstreamDiscovery} holds at this upstream (tests). */
    java.util.List<String> discoveryRequests()
    {
        final UpstreamDiscovery d = discovery;
        return d == null ? java.util.List.of() : d.upstreamRequests();
    }

    /** What {@link UpstreamDiscovery} mirrors through this static upstream (tests). */
    int discoveryMirrors()
    {
        final UpstreamDiscovery d = discovery;
        return d == null ? 0 : d.mirrors();
    }

    /** Upstream subscriptions open through this publisher (tests, metrics). */
    int openSubscriptions()
    {
        return tracks.size();
    }
}
