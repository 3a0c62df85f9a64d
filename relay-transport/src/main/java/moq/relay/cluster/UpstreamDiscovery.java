package moq.relay.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
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
import moq.relay.wire.TrackNamespace;

/**
 * SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS through one static upstream (docs/cluster.md "Static upstreams"): while a
 * downstream request of either kind that the upstream serves is open here, this relay holds one SUBSCRIBE_NAMESPACE
 * (and/or one SUBSCRIBE_TRACKS) of the empty prefix at the upstream, on the link for that request's relay path, and
 * mirrors what it answers into the engine on an internal session of its own ({@link LinkDiscovery}): every namespace
 * as a PUBLISH_NAMESPACE, every offered track as a PUBLISH (accepted with Forward=0, raised to 1 by REQUEST_UPDATE
 * while a subscriber here forwards). The engine then announces them to its SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS
 * subscribers as it does a local publisher's, de-duplicated, following them as they come and go. The empty prefix,
 * one request per kind and link, because a relay refuses overlapping prefixes on one session (PREFIX_OVERLAP).
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
    Runnable discover(final Session requester, final boolean tracks)
    {
        final String crossed = requester.peerRelay();
        final LinkDiscovery d = links.computeIfAbsent(key(crossed), k -> new LinkDiscovery(k, crossed));
        d.loop.execute(() -> d.want(tracks, 1));
        return () -> d.loop.execute(() -> d.want(tracks, -1));
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

    /** One link's (relay path's) upstream SUBSCRIBE_NAMESPACE and SUBSCRIBE_TRACKS and their mirrors. */
    private final class LinkDiscovery implements Publisher
    {
        final String key;
        /** {@link Session#peerRelay()} of the requests this link carries (null: this relay's own clients'). */
        final String crossed;
        final EventLoop loop = group.next();
        final Session mirrors;
        final int maxNamespaces = relay.configuration().sessionMaxNamespaces();
        final int maxTracks = relay.configuration().sessionMaxRequests();
        final Upstream namespaces = new Upstream(false);
        final Upstream tracks = new Upstream(true);
        /** Engine request ids of the mirrored namespaces, and of the mirrored tracks (loop only). */
        final Map<TrackNamespace, Long> namespaceIds = new HashMap<>();
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

        /** A downstream request of this kind came ({@code delta} 1) or went (-1). */
        void want(final boolean ofTracks, final int delta)
        {
            final Upstream u = ofTracks ? tracks : namespaces;
            u.wanted += delta;
            if (u.wanted == 1 && delta == 1)
            {
                u.start();
            }
            else if (u.wanted == 0)
            {
                u.stop();
            }
        }

        /** One upstream request (of the empty prefix) and its generation, so late answers of a stopped one are dropped. */
        private final class Upstream
        {
            final boolean ofTracks;
            int wanted;
            long generation;
            PeerLink.Use use;
            PrefixSubscription request;

            Upstream(final boolean ofTracks)
            {
                this.ofTracks = ofTracks;
            }

            void start()
            {
                final long g = ++generation;
                use = upstream.use(crossed);
                use.link().client()
                    .thenCompose(c -> ofTracks ?
                        c.subscribeTracks(TrackNamespace.EMPTY, offer -> offered(g, offer)) :
                        c.subscribeNamespace(TrackNamespace.EMPTY, new PrefixSubscription.NamespaceListener()
                        {
                            @Override
                            public void onNamespace(final TrackNamespace ns)
                            {
                                loop.execute(() -> namespaceUp(g, ns));
                            }

                            @Override
                            public void onNamespaceDone(final TrackNamespace ns)
                            {
                                loop.execute(() -> namespaceDown(g, ns));
                            }
                        }))
                    .whenCompleteAsync((p, failure) ->
                    {
                        if (g != generation)
                        {
                            if (p != null)
                            {
                                p.cancel();
                            }
                            return;
                        }
                        if (failure != null)
                        {
                            LOG.info("cluster: {} at upstream {} for [{}] failed: {}", kind(), upstream.url(), key,
                                failure.toString());
                            restartLater(g);
                            return;
                        }
                        request = p;
                        p.ended().whenCompleteAsync((x, y) -> ended(g), loop);
                    }, loop);
            }

            String kind()
            {
                return ofTracks ? "SUBSCRIBE_TRACKS" : "SUBSCRIBE_NAMESPACE";
            }

            /** The upstream ended it (its session ended): mirrors go; made again while still wanted. */
            void ended(final long g)
            {
                if (g != generation)
                {
                    return;
                }
                LOG.info("cluster: {} at upstream {} for [{}] ended", kind(), upstream.url(), key);
                clear();
                restartLater(g);
            }

            void restartLater(final long g)
            {
                release();
                loop.schedule(() ->
                {
                    if (g == generation && wanted > 0)
                    {
                        start();
                    }
                }, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            }

            void stop()
            {
                generation++;
                if (request != null)
                {
                    request.cancel();
                    request = null;
                }
                clear();
                release();
            }

            private void release()
            {
                if (use != null)
                {
                    use.release();
                    use = null;
                }
            }

            private void clear()
            {
                if (ofTracks)
                {
                    for (final Mirror m : new ArrayList<>(trackMirrors.values()))
                    {
                        unpublish(m);
                    }
                }
                else
                {
                    for (final Long id : namespaceIds.values())
                    {
                        mirrors.cancel(id);
                    }
                    namespaceIds.clear();
                }
                count();
            }
        }

        private void namespaceUp(final long g, final TrackNamespace ns)
        {
            if (g != namespaces.generation || namespaceIds.containsKey(ns))
            {
                return;
            }
            if (namespaceIds.size() >= maxNamespaces)
            {
                LOG.warn("cluster: upstream {} announces more than {} namespaces for [{}]; {} not mirrored",
                    upstream.url(), maxNamespaces, key, ns);
                return;
            }
            final long id = nextRequestId;
            nextRequestId += 2;
            namespaceIds.put(ns, id);
            count();
            mirrors.publishNamespace(id, ns, this, logOnly("namespace " + ns));
        }

        private void namespaceDown(final long g, final TrackNamespace ns)
        {
            final Long id = g == namespaces.generation ? namespaceIds.remove(ns) : null;
            if (id != null)
            {
                count();
                mirrors.cancel(id);
            }
        }

        /**
         * The upstream's PUBLISH of a track (on the client's loop): accepted with Forward=0, so nothing flows until a
         * subscriber here forwards; published in the engine on this link's loop.
         */
        private SubscriptionListener offered(final long g, final TrackOffer offer)
        {
            final Mirror m = new Mirror(offer);
            offer.forward(false);
            offer.accepted().thenAcceptAsync(s -> publish(g, m), loop);
            return m;
        }

        private void publish(final long g, final Mirror m)
        {
            final FullTrackName name = new FullTrackName(m.offer.namespace(), m.offer.name());
            if (g != tracks.generation || trackMirrors.containsKey(name) || trackMirrors.size() >= maxTracks ||
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
            mirrorCount = namespaceIds.size() + trackMirrors.size();
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
