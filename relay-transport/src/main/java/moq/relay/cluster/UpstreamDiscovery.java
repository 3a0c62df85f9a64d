package moq.relay.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.client.PrefixSubscription;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackOffer;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Publisher;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.TrackStatusCallback;
import moq.relay.engine.UpstreamFetch;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS through one static upstream (docs/cluster.md "Static upstreams"): while
 * downstream requests of either kind that the upstream serves are open here, this relay holds at the upstream, on the
 * link for their relay path, one SUBSCRIBE_NAMESPACE (SUBSCRIBE_TRACKS) per prefix they want, shared by every
 * downstream request of that prefix or under it (a relay refuses overlapping prefixes on one session, PREFIX_OVERLAP,
 * so the widest wanted prefix serves the narrower ones), and cancelled when none wants it. What the upstream answers
 * is mirrored into the engine on an internal session of its own ({@link LinkDiscovery}): every namespace as a
 * PUBLISH_NAMESPACE, every offered track as a PUBLISH (accepted with Forward=0, raised to 1 by REQUEST_UPDATE while a
 * subscriber here forwards). The engine then announces them to its SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS
 * subscribers as it does a local publisher's, filtered by their prefix, de-duplicated, following them as they come
 * and go. A draft-14 upstream ({@code ?draft=14}) is asked with its SUBSCRIBE_NAMESPACE (answered by
 * PUBLISH_NAMESPACE / PUBLISH_NAMESPACE_DONE) for non-empty prefixes; it has no SUBSCRIBE_TRACKS. A mirrored track
 * outlives the SUBSCRIBE_TRACKS that brought it while a subscriber here forwards it (the
 * upstream's PUBLISH is a subscription of its own, draft-18 §6.1).
 *
 * <p>Mirrors serve only sessions whose requests take the same link (the same relay path), so they never announce to
 * a relay what came from it, and the upstream is asked only when it {@link PeerPublisher#serves} the requester: loops
 * are prevented as for SUBSCRIBE. Each link's state is confined to one event loop of the peer links' group; the engine
 * only posts to it.
 */
final class UpstreamDiscovery
{
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamDiscovery.class);
    /** Delay before an upstream request that failed or ended is made again while still wanted. */
    static final Duration RETRY_AFTER = PeerLink.RETRY_AFTER;

    private final Relay relay;
    private final PeerPublisher upstream;
    private final RelayUrl self;
    private final EventLoopGroup group;
    private final Duration grace;
    /** One per relay path (link key): kept, as the links' keys are bounded by the paths that reach this relay. */
    private final Map<String, LinkDiscovery> links = new ConcurrentHashMap<>();

    UpstreamDiscovery(final Relay relay, final PeerPublisher upstream, final RelayUrl self, final EventLoopGroup group,
        final Duration grace)
    {
        this.relay = relay;
        this.upstream = upstream;
        this.self = self;
        this.group = group;
        this.grace = grace;
    }

    /** {@link Publisher#discover}: called under the engine's lock, so it only posts to the link's loop. */
    Runnable discover(final Session requester, final TrackNamespace prefix, final boolean tracks)
    {
        if (upstream.url().draft() == Draft.DRAFT_14 && (tracks || prefix.size() == 0))
        {
            // Draft 14 has no SUBSCRIBE_TRACKS and no empty SUBSCRIBE_NAMESPACE prefix: nothing to ask.
            LOG.debug("cluster: draft-14 upstream {} not asked for {} {}", upstream.url(), kind(tracks), prefix);
            return null;
        }
        final String crossed = requester.peerRelay();
        final LinkDiscovery d = links.computeIfAbsent(key(crossed), k -> new LinkDiscovery(k, crossed));
        d.loop.execute(() -> d.want(tracks, prefix, 1));
        return () -> d.loop.execute(() -> d.want(tracks, prefix, -1));
    }

    private String key(final String crossed)
    {
        return String.join(" ", PeerRelays.extended(crossed, self));
    }

    /** Mirrored namespaces and tracks over all links (tests). */
    int mirrors()
    {
        int n = 0;
        for (final LinkDiscovery d : links.values())
        {
            n += d.mirrorCount;
        }
        return n;
    }

    /** The upstream requests held over all links: "SUBSCRIBE_NAMESPACE prefix", "SUBSCRIBE_TRACKS prefix" (tests). */
    List<String> upstreamRequests()
    {
        final List<String> all = new ArrayList<>();
        for (final LinkDiscovery d : links.values())
        {
            all.addAll(d.namespaces.held);
            all.addAll(d.tracks.held);
        }
        return all;
    }

    /** One link's (relay path's) upstream SUBSCRIBE_NAMESPACEs and SUBSCRIBE_TRACKS and their mirrors. */
    private final class LinkDiscovery implements Publisher
    {
        final String key;
        /** {@link Session#peerRelay()} of the requests this link carries (null: this relay's own clients'). */
        final String crossed;
        final EventLoop loop = group.next();
        final Session mirrors;
        final int maxNamespaces = relay.configuration().sessionMaxNamespaces();
        final int maxTracks = relay.configuration().sessionMaxRequests();
        final Kind namespaces = new Kind(false);
        final Kind tracks = new Kind(true);
        /** The mirrored namespaces, and the mirrored tracks (loop only). */
        final Map<TrackNamespace, NamespaceMirror> namespaceMirrors = new HashMap<>();
        final Map<FullTrackName, Mirror> trackMirrors = new HashMap<>();
        /** The mirrored tracks by their engine upstream, for {@link #updateForward} (any thread). */
        final Map<UpstreamSubscription, Mirror> byUpstream = new ConcurrentHashMap<>();
        volatile int mirrorCount;
        long nextRequestId = 1;

        LinkDiscovery(final String key, final String crossed)
        {
            this.key = key;
            this.crossed = crossed;
            this.mirrors = relay.openInternalSession("cluster upstream mirror [" + key + "] of " + upstream.url());
        }

        /** A downstream request of this kind for {@code prefix} came ({@code delta} 1) or went (-1). */
        void want(final boolean ofTracks, final TrackNamespace prefix, final int delta)
        {
            final Kind k = ofTracks ? tracks : namespaces;
            k.wanted.merge(prefix, delta, (a, b) -> a + b == 0 ? null : a + b);
            k.reshape();
        }

        /**
         * The upstream requests of one kind: one per prefix downstream requests want, except that a prefix under
         * another wanted one is served by the wider request (a relay refuses overlapping prefixes on one session,
         * PREFIX_OVERLAP). Reshaped whenever the wanted prefixes change.
         */
        private final class Kind
        {
            final boolean ofTracks;
            /** Downstream requests by prefix. */
            final Map<TrackNamespace, Integer> wanted = new HashMap<>();
            /** Upstream requests by prefix: the wanted prefixes no other wanted prefix covers. */
            final Map<TrackNamespace, Upstream> active = new HashMap<>();
            /**
             * Stopped requests the upstream may still hold (their cancel not yet known there): a new request
             * overlapping one waits for it, or the upstream could see it first and refuse it PREFIX_OVERLAP.
             */
            final List<Upstream> closing = new ArrayList<>();
            /** {@link #active} as text (tests; any thread). */
            volatile List<String> held = List.of();

            Kind(final boolean ofTracks)
            {
                this.ofTracks = ofTracks;
            }

            void reshape()
            {
                final List<TrackNamespace> cover = new ArrayList<>();
                for (final TrackNamespace p : wanted.keySet())
                {
                    if (wanted.keySet().stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)))
                    {
                        cover.add(p);
                    }
                }
                for (final Iterator<Map.Entry<TrackNamespace, Upstream>> i = active.entrySet().iterator();
                    i.hasNext(); )
                {
                    final Map.Entry<TrackNamespace, Upstream> e = i.next();
                    if (!cover.contains(e.getKey()))
                    {
                        i.remove();
                        e.getValue().stop();
                    }
                }
                for (final TrackNamespace p : cover)
                {
                    if (!active.containsKey(p))
                    {
                        final Upstream u = new Upstream(this, p);
                        active.put(p, u);
                        u.begin();
                    }
                }
                dropUncovered();
                final List<String> text = new ArrayList<>();
                active.keySet().forEach(p -> text.add(kind(ofTracks) + " " + p));
                held = List.copyOf(text);
            }

            boolean isActive(final Upstream u)
            {
                return u != null && active.get(u.prefix) == u;
            }

            boolean covered(final TrackNamespace ns)
            {
                for (final TrackNamespace p : active.keySet())
                {
                    if (ns.startsWith(p))
                    {
                        return true;
                    }
                }
                return false;
            }

            /**
             * Mirrors whose upstream request stopped: a namespace stays only while a wider request that replaced it
             * may announce it again ({@link #sweep}); a track stays while that request covers it or a subscriber
             * here holds it, forwarding or not (its upstream PUBLISH outlives the SUBSCRIBE_TRACKS that brought it,
             * draft-18 §6.1, and so does a downstream subscription with Forward=0: it is a subscription all the same).
             */
            void dropUncovered()
            {
                if (ofTracks)
                {
                    for (final Mirror m : new ArrayList<>(trackMirrors.values()))
                    {
                        if (!isActive(m.source))
                        {
                            m.source = null;
                            if (!covered(m.name.namespace()) && !m.up.subscribed())
                            {
                                unpublish(m);
                            }
                        }
                    }
                }
                else
                {
                    for (final Iterator<Map.Entry<TrackNamespace, NamespaceMirror>> i =
                        namespaceMirrors.entrySet().iterator(); i.hasNext(); )
                    {
                        final Map.Entry<TrackNamespace, NamespaceMirror> e = i.next();
                        if (!isActive(e.getValue().source))
                        {
                            e.getValue().source = null;
                            if (!covered(e.getKey()))
                            {
                                i.remove();
                                mirrors.cancel(e.getValue().requestId);
                            }
                        }
                    }
                }
                count();
            }

            /**
             * {@code u} was established a while ago: a namespace under it left by the request it replaced that it
             * did not announce again is gone upstream.
             */
            void sweep(final Upstream u, final long g)
            {
                if (ofTracks || g != u.generation || !isActive(u))
                {
                    return;
                }
                for (final Iterator<Map.Entry<TrackNamespace, NamespaceMirror>> i =
                    namespaceMirrors.entrySet().iterator(); i.hasNext(); )
                {
                    final Map.Entry<TrackNamespace, NamespaceMirror> e = i.next();
                    if (e.getValue().source == null && e.getKey().startsWith(u.prefix))
                    {
                        i.remove();
                        mirrors.cancel(e.getValue().requestId);
                    }
                }
                count();
            }
        }

        /** One upstream request of one prefix and its generation, so late answers of a stopped one are dropped. */
        private final class Upstream
        {
            final Kind kind;
            final TrackNamespace prefix;
            long generation;
            PeerLink.Use use;
            PrefixSubscription request;
            /** Completes once the request is known gone at the upstream: never made, refused, ended, its cancel seen. */
            CompletableFuture<Void> gone = CompletableFuture.completedFuture(null);

            Upstream(final Kind kind, final TrackNamespace prefix)
            {
                this.kind = kind;
                this.prefix = prefix;
            }

            /** {@link #start}, once the stopped requests overlapping this one are gone at the upstream. */
            void begin()
            {
                final List<CompletableFuture<Void>> before = new ArrayList<>();
                for (final Upstream c : kind.closing)
                {
                    if (c.prefix.startsWith(prefix) || prefix.startsWith(c.prefix))
                    {
                        before.add(c.gone);
                    }
                }
                if (before.isEmpty())
                {
                    start();
                    return;
                }
                final long g = generation;
                CompletableFuture.allOf(before.toArray(new CompletableFuture<?>[0])).whenCompleteAsync((x, y) ->
                {
                    if (g == generation && kind.isActive(this))
                    {
                        start();
                    }
                }, loop);
            }

            void start()
            {
                final long g = ++generation;
                final CompletableFuture<Void> made = new CompletableFuture<>();
                gone = made;
                use = upstream.use(crossed);
                use.link().client()
                    .thenCompose(c -> kind.ofTracks ?
                        c.subscribeTracks(prefix, offer -> offered(this, g, offer)) :
                        c.subscribeNamespace(prefix, new PrefixSubscription.NamespaceListener()
                        {
                            @Override
                            public void onNamespace(final TrackNamespace suffix)
                            {
                                loop.execute(() -> namespaceUp(Upstream.this, g, suffix));
                            }

                            @Override
                            public void onNamespaceDone(final TrackNamespace suffix)
                            {
                                loop.execute(() -> namespaceDown(Upstream.this, g, suffix));
                            }
                        }))
                    .whenCompleteAsync((p, failure) ->
                    {
                        if (p == null)
                        {
                            made.complete(null);
                        }
                        else
                        {
                            p.closed().whenComplete((x, y) -> made.complete(null));
                        }
                        if (g != generation || !kind.isActive(this))
                        {
                            if (p != null)
                            {
                                p.cancel();
                            }
                            return;
                        }
                        if (failure != null)
                        {
                            LOG.info("cluster: {} {} at upstream {} for [{}] failed: {}", kind(kind.ofTracks), prefix,
                                upstream.url(), key, failure.toString());
                            restartLater(g);
                            return;
                        }
                        request = p;
                        p.ended().whenCompleteAsync((x, y) -> ended(g), loop);
                        loop.schedule(() -> kind.sweep(this, g), RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                    }, loop);
            }

            /**
             * The upstream ended it (its session ended): its namespaces go (its tracks end with their own PUBLISH);
             * made again while still wanted.
             */
            void ended(final long g)
            {
                if (g != generation)
                {
                    return;
                }
                LOG.info("cluster: {} {} at upstream {} for [{}] ended", kind(kind.ofTracks), prefix, upstream.url(),
                    key);
                request = null;
                if (!kind.ofTracks)
                {
                    namespaceMirrors.values().removeIf(m ->
                    {
                        if (m.source == this)
                        {
                            mirrors.cancel(m.requestId);
                            return true;
                        }
                        return false;
                    });
                    count();
                }
                restartLater(g);
            }

            void restartLater(final long g)
            {
                release();
                loop.schedule(() ->
                {
                    if (g == generation && kind.isActive(this))
                    {
                        start();
                    }
                }, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            }

            /** No longer wanted: cancelled upstream (its mirrors are the {@link Kind}'s to keep or drop). */
            void stop()
            {
                generation++;
                if (request != null)
                {
                    request.cancel();
                    request = null;
                }
                release();
                if (!gone.isDone())
                {
                    kind.closing.add(this);
                    gone.whenCompleteAsync((x, y) -> kind.closing.remove(this), loop);
                }
            }

            private void release()
            {
                if (use != null)
                {
                    use.release();
                    use = null;
                }
            }
        }

        private void namespaceUp(final Upstream u, final long g, final TrackNamespace suffix)
        {
            if (g != u.generation || !namespaces.isActive(u))
            {
                return;
            }
            final TrackNamespace ns = u.prefix.append(suffix);
            final NamespaceMirror known = namespaceMirrors.get(ns);
            if (known != null)
            {
                known.source = u; // announced again by the request that replaced its own
                return;
            }
            if (namespaceMirrors.size() >= maxNamespaces)
            {
                LOG.warn("cluster: upstream {} announces more than {} namespaces for [{}]; {} not mirrored",
                    upstream.url(), maxNamespaces, key, ns);
                return;
            }
            final long id = nextRequestId;
            nextRequestId += 2;
            namespaceMirrors.put(ns, new NamespaceMirror(id, u));
            count();
            mirrors.publishNamespace(id, ns, this, logOnly("namespace " + ns));
        }

        private void namespaceDown(final Upstream u, final long g, final TrackNamespace suffix)
        {
            if (g != u.generation || !namespaces.isActive(u))
            {
                return;
            }
            final TrackNamespace ns = u.prefix.append(suffix);
            final NamespaceMirror m = namespaceMirrors.get(ns);
            if (m != null && m.source == u)
            {
                namespaceMirrors.remove(ns);
                count();
                mirrors.cancel(m.requestId);
            }
        }

        /**
         * The upstream's PUBLISH of a track (on the client's loop): accepted with Forward=0, so nothing flows until a
         * subscriber here forwards; published in the engine on this link's loop.
         */
        private SubscriptionListener offered(final Upstream u, final long g, final TrackOffer offer)
        {
            final Mirror m = new Mirror(offer);
            offer.forward(false);
            offer.accepted().thenAcceptAsync(s -> publish(u, g, m), loop);
            return m;
        }

        private void publish(final Upstream u, final long g, final Mirror m)
        {
            final FullTrackName name = new FullTrackName(m.offer.namespace(), m.offer.name());
            final Mirror known = trackMirrors.get(name);
            if (known != null && g == u.generation && tracks.isActive(u))
            {
                known.source = u; // offered again by the request that replaced its own: the first offer carries on
            }
            if (g != u.generation || !tracks.isActive(u) || known != null || trackMirrors.size() >= maxTracks ||
                m.offer.subscription().ended().isDone())
            {
                m.offer.subscription().unsubscribe();
                return;
            }
            final long id = nextRequestId;
            nextRequestId += 2;
            final UpstreamSubscription up = mirrors.publish(id, name, m.offer.trackProperties(), m.offer.largest(),
                this, logOnly("track " + name));
            if (up == null)
            {
                m.offer.subscription().unsubscribe();
                return;
            }
            m.name = name;
            m.requestId = id;
            m.up = up;
            m.source = u;
            m.ingest = new UpstreamTrack(up, upstream.url(), () -> { }, () -> { }, loop, grace);
            trackMirrors.put(name, m);
            byUpstream.put(up, m);
            count();
            // The offer's end (PUBLISH_DONE, its stream cancelled, the session gone) ends the mirror.
            m.offer.subscription().ended().whenCompleteAsync((x, y) -> unpublish(m), loop);
            if (up.forward())
            {
                m.offer.forward(true); // a subscriber here already waits for it
            }
        }

        private void unpublish(final Mirror m)
        {
            if (m.up == null || trackMirrors.get(m.name) != m)
            {
                return;
            }
            trackMirrors.remove(m.name);
            byUpstream.remove(m.up);
            count();
            m.offer.subscription().unsubscribe();
            mirrors.cancel(m.requestId); // PUBLISH_DONE here unless the upstream's already ended it
        }

        private void count()
        {
            mirrorCount = namespaceMirrors.size() + trackMirrors.size();
        }

        // ---- the mirrors' publisher: the upstream, for requests on this link's path only

        @Override
        public boolean serves(final Session requester)
        {
            return key.equals(key(requester.peerRelay())) && upstream.serves(requester);
        }

        @Override
        public void subscribe(final UpstreamSubscription subscription)
        {
            upstream.subscribe(subscription);
        }

        /** A mirrored track's forward state: REQUEST_UPDATE on its offer (a subscribed one is always forwarded). */
        @Override
        public void updateForward(final UpstreamSubscription subscription, final boolean forward)
        {
            final Mirror m = byUpstream.get(subscription);
            if (m != null)
            {
                m.offer.forward(forward);
                if (!forward)
                {
                    loop.execute(tracks::dropUncovered); // a track no request covers goes with its last subscriber
                }
            }
        }

        /** A mirrored track's last subscriber here left: it goes unless a request still covers it. */
        @Override
        public void released(final UpstreamSubscription subscription)
        {
            if (byUpstream.containsKey(subscription))
            {
                loop.execute(tracks::dropUncovered);
            }
        }

        @Override
        public void unsubscribe(final UpstreamSubscription subscription)
        {
            upstream.unsubscribe(subscription);
        }

        @Override
        public boolean trackStatus(final FullTrackName track, final Session requester,
            final TrackStatusCallback callback)
        {
            return upstream.trackStatus(track, requester, callback);
        }

        @Override
        public boolean fetch(final UpstreamFetch fetch)
        {
            return upstream.fetch(fetch);
        }
    }

    /**
     * A track the upstream offered: its objects go into the engine's track through an {@link UpstreamTrack} once it
     * is published (none flow before: it is accepted with Forward=0). Client loop for objects; link loop for the rest.
     */
    private static final class Mirror implements SubscriptionListener
    {
        final TrackOffer offer;
        volatile UpstreamTrack ingest;
        FullTrackName name;
        long requestId;
        UpstreamSubscription up;
        /** The upstream request that offered it while that is active, else null (link loop only). */
        LinkDiscovery.Upstream source;

        Mirror(final TrackOffer offer)
        {
            this.offer = offer;
        }

        @Override
        public void onObject(final ReceivedObject object)
        {
            final UpstreamTrack i = ingest;
            if (i != null)
            {
                i.onObject(object);
            }
        }

        @Override
        public void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
        {
            final UpstreamTrack i = ingest;
            if (i != null)
            {
                i.onSubgroupEnd(groupId, subgroupId, reset);
            }
        }

        @Override
        public void onPublishDone(final long statusCode, final long streamCount, final String reason)
        {
            final UpstreamTrack i = ingest;
            if (i != null)
            {
                i.onPublishDone(statusCode, streamCount, reason);
            }
        }

        @Override
        public void onSessionClosed(final SessionClose close)
        {
            // Ended with the offer's subscription (LinkDiscovery#unpublish): no grace for a track only offered.
        }
    }

    /** A namespace mirrored as a PUBLISH_NAMESPACE of the link's mirror session. */
    private static final class NamespaceMirror
    {
        final long requestId;
        /** The upstream request that announced it while that is active, else null (link loop only). */
        LinkDiscovery.Upstream source;

        NamespaceMirror(final long requestId, final LinkDiscovery.Upstream source)
        {
            this.requestId = requestId;
            this.source = source;
        }
    }

    private static String kind(final boolean ofTracks)
    {
        return ofTracks ? "SUBSCRIBE_TRACKS" : "SUBSCRIBE_NAMESPACE";
    }

    private static RequestCallback logOnly(final String what)
    {
        return new RequestCallback()
        {
            @Override
            public void ok()
            {
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                LOG.warn("cluster: mirror of {} refused by the engine: {} {}", what, code, reason);
            }
        };
    }
}
