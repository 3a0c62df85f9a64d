package moq.relay.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.NamespaceListener;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.engine.TrackListener;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * This relay's part in a cluster (docs/cluster.md). It holds one internal engine session that
 * <ul>
 * <li>watches the namespaces local publishers publish (a SUBSCRIBE_NAMESPACE of every namespace; being marked as a
 * relay's session, it hears only local ones) and registers them in the {@link OriginDirectory};</li>
 * <li>publishes, for every other relay's namespace the directory reports, that namespace with a {@link PeerPublisher}
 * of that relay, so the engine routes, aggregates, caches and announces it like a local publisher's;</li>
 * <li>publishes the empty namespace with a fallback {@link PeerPublisher} per static upstream.</li>
 * </ul>
 * The engine needs no other change: a downstream SUBSCRIBE finds the peer's registration, the engine opens one
 * upstream subscription per track (shared by all local subscribers), and the peer publisher subscribes at the origin
 * relay over the one session this relay holds to it.
 */
public final class Cluster implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);

    private final Relay relay;
    private final Duration grace;
    private final RelayUrl self;
    private final ClientTrust trust;
    private final Session session;
    /**
     * Where the peer links' sessions and the cluster's timers run: one of the relay's I/O event loops
     * ({@code moq.relay.cluster.links.io.loop}, not ours to shut down), or a thread of our own.
     */
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final OriginDirectory directory;
    /** Peer links by relay URL text (guarded by this). */
    private final Map<String, PeerPublisher> peers = new HashMap<>();
    /** Request IDs of this session's registrations of other relays' namespaces (guarded by this). */
    private final Map<Origin, Long> routes = new HashMap<>();
    /** Request IDs of the mirrors of tracks other relays' publishers published with PUBLISH (guarded by this). */
    private final Map<TrackOrigin, Long> trackRoutes = new HashMap<>();
    private final int maxHops;
    private final List<PeerPublisher> upstreams = new ArrayList<>();
    private long nextRequestId = 1;

    private record Origin(TrackNamespace namespace, String relay)
    {
    }

    private record TrackOrigin(FullTrackName track, String relay)
    {
    }

    private Cluster(final Relay relay, final RelayUrl self, final ClientTrust trust, final OriginDirectory directory,
        final Duration grace, final int maxHops, final io.netty.channel.EventLoop ioLoop)
    {
        this.relay = relay;
        this.maxHops = maxHops;
        this.grace = grace;
        this.self = self;
        this.trust = trust;
        this.directory = directory;
        this.session = relay.openInternalSession("cluster " + self);
        // Marked as this relay's own: peers announce it none of their namespaces or tracks (its path holds this relay).
        this.session.markPeerRelay(self.text());
        // On one event loop (the relay's, or a dedicated one): a link's session, its timers and a request's
        // callbacks share one thread, so closing a session from a timer never waits on another loop.
        this.ownsGroup = ioLoop == null;
        this.group = ioLoop != null ? ioLoop : new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("moq-cluster-peers", true), NioIoHandler.newFactory());
    }

    /**
     * Starts the cluster the configuration describes, or returns null when it describes none.
     *
     * @param boundPort the UDP port the relay listens on: the advertised URL's port unless one is configured
     */
    public static Cluster start(final Relay relay, final RelayConfiguration config, final int boundPort)
    {
        return start(relay, config, boundPort, null);
    }

    /**
     * As {@link #start(Relay, RelayConfiguration, int)}; the peer links run on {@code ioLoop} (one of the relay's I/O
     * event loops) when {@code moq.relay.cluster.links.io.loop} is on and it is given, else on a thread of their own.
     */
    public static Cluster start(final Relay relay, final RelayConfiguration config, final int boundPort,
        final io.netty.channel.EventLoop ioLoop)
    {
        if (!config.clusterEnabled())
        {
            return null;
        }
        final RelayUrl self = RelayUrl.parse(config.clusterAdvertisedUrl(boundPort));
        final ClientTrust trust = trust(config.clusterPeerTrust());
        final OriginDirectory directory = config.clusterRedisUrl().isEmpty() ? null :
            new RedisOriginDirectory(config.clusterRedisUrl(), self, config.clusterTtl());
        final Cluster cluster = new Cluster(relay, self, trust, directory, config.clusterTtl(),
            config.clusterMaxHops(), config.clusterLinksIoLoop() ? ioLoop : null);
        cluster.startUpstreams(config.clusterUpstreams());
        cluster.closeIdleLinksAfter(config.clusterLinkIdleTimeout());
        cluster.startDirectory();
        LOG.info("cluster: this relay is {}; discovery {}; static upstreams {}", self,
            directory == null ? "off" : "Redis " + config.clusterRedisUrl().replaceAll("//[^@/]*@", "//***@"),
            config.clusterUpstreams());
        return cluster;
    }

    /**
     * Checks the cluster settings before anything starts (a bad URL or trust setting stops start-up with the property
     * named); throws IllegalArgumentException.
     */
    public static void validate(final RelayConfiguration config)
    {
        if (!config.clusterEnabled())
        {
            return;
        }
        // Unset, it is derived from the port bound at start-up (moq.relay.port may be 0).
        check(RelayConfiguration.CLUSTER_ADVERTISED_URL_PROP_NAME, () -> RelayUrl.parse(config.clusterAdvertisedUrl(1)));
        check(RelayConfiguration.CLUSTER_UPSTREAMS_PROP_NAME, () -> config.clusterUpstreams().forEach(RelayUrl::parse));
        check(RelayConfiguration.CLUSTER_PEER_TRUST_PROP_NAME, () -> trust(config.clusterPeerTrust()));
        check(RelayConfiguration.CLUSTER_REDIS_URL_PROP_NAME, () ->
        {
            if (!config.clusterRedisUrl().isEmpty())
            {
                io.lettuce.core.RedisURI.create(config.clusterRedisUrl());
            }
        });
        config.clusterTtl();
        config.clusterMaxHops();
        config.clusterLinkIdleTimeout();
    }

    private static void check(final String property, final Runnable parse)
    {
        try
        {
            parse.run();
        }
        catch (final RuntimeException e)
        {
            throw new IllegalArgumentException("invalid -D" + property + ": " + e.getMessage(), e);
        }
    }

    /** {@code system}, {@code insecure}, {@code sha256:HEX} or a PEM certificate file. */
    static ClientTrust trust(final String spec)
    {
        if (spec.equals("system"))
        {
            return ClientTrust.system();
        }
        if (spec.equals("insecure"))
        {
            return ClientTrust.insecure();
        }
        if (spec.startsWith("sha256:"))
        {
            return ClientTrust.fingerprint(spec.substring("sha256:".length()));
        }
        return ClientTrust.certificateFile(Path.of(spec));
    }

    /**
     * Closes peer links no request has used for {@code timeout} ({@code moq.relay.cluster.link.idle.timeout}), checked
     * a few times per timeout on the peer links' event loop.
     */
    private void closeIdleLinksAfter(final Duration timeout)
    {
        final long period = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        group.scheduleAtFixedRate(() ->
        {
            final long now = System.nanoTime();
            for (final PeerPublisher p : allPeers())
            {
                p.closeIdleLinks(now, timeout.toNanos());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    private List<PeerPublisher> allPeers()
    {
        final List<PeerPublisher> all;
        synchronized (this)
        {
            all = new ArrayList<>(peers.values());
            all.addAll(upstreams);
        }
        return all;
    }

    /** Namespaces and tracks mirrored from static upstreams for SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS (tests). */
    int upstreamMirrors()
    {
        int n = 0;
        for (final PeerPublisher p : allPeers())
        {
            n += p.discoveryMirrors();
        }
        return n;
    }

    /** SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS requests held at static upstreams, as "KIND prefix" (tests). */
    List<String> upstreamDiscoveryRequests()
    {
        final List<String> all = new ArrayList<>();
        for (final PeerPublisher p : allPeers())
        {
            all.addAll(p.discoveryRequests());
        }
        return all;
    }

    /** Where the peer links' sessions run (tests). */
    EventLoopGroup linkGroup()
    {
        return group;
    }

    /** The drafts the peer links that hold a connected session speak (tests). */
    List<moq.relay.wire.Draft> linkDrafts()
    {
        final List<moq.relay.wire.Draft> drafts = new ArrayList<>();
        for (final PeerPublisher p : allPeers())
        {
            for (final PeerLink l : p.links())
            {
                if (l.connected() && l.client().isDone())
                {
                    drafts.add(l.client().join().draft());
                }
            }
        }
        return drafts;
    }

    /** Peer links that hold a session (connected or connecting), over every peer and path (tests). */
    int connectedLinks()
    {
        int n = 0;
        for (final PeerPublisher p : allPeers())
        {
            for (final PeerLink l : p.links())
            {
                n += l.connected() ? 1 : 0;
            }
        }
        return n;
    }

    private void startUpstreams(final List<String> urls)
    {
        for (final String text : urls)
        {
            final RelayUrl url = RelayUrl.parse(text);
            final PeerPublisher upstream = newPeer(url, true);
            upstream.discovery(new UpstreamDiscovery(relay, upstream, self, group, grace));
            upstreams.add(upstream);
            upstream.session().publishNamespace(nextRequestId(), TrackNamespace.EMPTY, upstream,
                logOnly("upstream " + url));
        }
    }

    private void startDirectory()
    {
        if (directory == null)
        {
            return;
        }
        directory.start(new OriginDirectory.Listener()
        {
            @Override
            public void originUp(final TrackNamespace namespace, final RelayUrl peer)
            {
                addRoute(namespace, peer);
            }

            @Override
            public void originDown(final TrackNamespace namespace, final RelayUrl peer)
            {
                removeRoute(namespace, peer);
            }

            @Override
            public void trackUp(final FullTrackName track, final RelayUrl peer, final List<KeyValuePair> properties)
            {
                addTrack(track, peer, properties);
            }

            @Override
            public void trackDown(final FullTrackName track, final RelayUrl peer)
            {
                removeTrack(track, peer);
            }
        });
        // Local origins: the engine tells this (relay-marked) session of namespaces local publishers publish only.
        session.subscribeNamespace(nextRequestId(), TrackNamespace.EMPTY, new NamespaceListener()
        {
            @Override
            public void namespace(final TrackNamespace ns)
            {
                directory.register(ns);
            }

            @Override
            public void namespaceDone(final TrackNamespace ns)
            {
                directory.unregister(ns);
            }
        }, logOnly("local namespace watch"));
        // Local PUBLISH-ed tracks (for SUBSCRIBE_TRACKS on other relays): told of those local publishers publish only.
        session.subscribeTracks(nextRequestId(), TrackNamespace.EMPTY, new TrackListener()
        {
            @Override
            public void track(final FullTrackName track, final Location largest, final List<KeyValuePair> properties)
            {
                directory.registerTrack(track, properties);
            }

            @Override
            public void trackDone(final FullTrackName track)
            {
                directory.unregisterTrack(track);
            }
        }, logOnly("local track watch"));
    }

    /**
     * Mirrors a track another relay's publisher published with PUBLISH: published in the engine on that peer's
     * session, so SUBSCRIBE_TRACKS here offers it and a SUBSCRIBE finds it; objects are fetched from the peer only
     * while a subscriber here forwards ({@link PeerPublisher#updateForward}). The origin's Track Properties come with
     * the registration, so the first SUBSCRIBE_OK here carries them before the origin answered.
     */
    private synchronized void addTrack(final FullTrackName track, final RelayUrl peer,
        final List<KeyValuePair> properties)
    {
        final TrackOrigin o = new TrackOrigin(track, peer.text());
        if (trackRoutes.containsKey(o))
        {
            return;
        }
        final long id = nextRequestId();
        final PeerPublisher publisher = peers.computeIfAbsent(peer.text(), p -> newPeer(peer, false));
        LOG.info("cluster: {} publishes track {}", peer, track);
        if (publisher.session().publish(id, track, properties, null, publisher,
            logOnly("mirror of " + track + " at " + peer)) != null)
        {
            trackRoutes.put(o, id);
        }
    }

    private synchronized void removeTrack(final FullTrackName track, final RelayUrl peer)
    {
        final Long id = trackRoutes.remove(new TrackOrigin(track, peer.text()));
        final PeerPublisher publisher = peers.get(peer.text());
        if (id != null && publisher != null)
        {
            LOG.info("cluster: {} no longer publishes track {}", peer, track);
            publisher.session().cancel(id); // ends the mirrored track here (PUBLISH_DONE, SUBSCRIBE_TRACKS' done)
        }
    }

    /**
     * Registers (unregisters) a peer's namespace in the engine under this object's lock, so {@link #knowsOrigin} is
     * true only once the engine routes to it. Lock order: this, then the engine's; the engine never calls into this
     * class with its lock held in a way that takes this lock.
     */
    private synchronized void addRoute(final TrackNamespace namespace, final RelayUrl peer)
    {
        final Origin o = new Origin(namespace, peer.text());
        if (routes.containsKey(o))
        {
            return;
        }
        final long id = nextRequestId();
        final PeerPublisher publisher = peers.computeIfAbsent(peer.text(), p -> newPeer(peer, false));
        LOG.info("cluster: {} originates {}", peer, namespace);
        publisher.session().publishNamespace(id, namespace, publisher,
            logOnly("route to " + namespace + " at " + peer));
        routes.put(o, id);
    }

    private synchronized void removeRoute(final TrackNamespace namespace, final RelayUrl peer)
    {
        final Long id = routes.remove(new Origin(namespace, peer.text()));
        final PeerPublisher publisher = peers.get(peer.text());
        if (id != null && publisher != null)
        {
            LOG.info("cluster: {} no longer originates {}", peer, namespace);
            publisher.session().cancel(id); // established upstream subscriptions continue until the peer ends them
        }
    }

    private PeerPublisher newPeer(final RelayUrl url, final boolean fallback)
    {
        return new PeerPublisher(url, self, maxHops, path -> new PeerLink(url, path, trust, group), fallback,
            relay.openInternalSession((fallback ? "cluster upstream " : "cluster peer ") + url), grace);
    }

    private synchronized long nextRequestId()
    {
        final long id = nextRequestId;
        nextRequestId += 2;
        return id;
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
                LOG.warn("cluster: {} refused by the engine: {} {}", what, code, reason);
            }
        };
    }

    /** This relay's advertised URL. */
    public RelayUrl self()
    {
        return self;
    }

    /** Whether the directory told this relay that {@code peer} originates {@code namespace} (tests). */
    public synchronized boolean knowsOrigin(final TrackNamespace namespace, final String peer)
    {
        return routes.containsKey(new Origin(namespace, peer));
    }

    /**
     * Ends every peer link's session as a lost connection would (tests): its subscriptions see the session close
     * without PUBLISH_DONE, and the links connect again on their next use.
     */
    void dropLinkSessions()
    {
        for (final PeerPublisher p : allPeers())
        {
            for (final PeerLink l : p.links())
            {
                final MoqClient c = l.session();
                if (c != null)
                {
                    c.close(0x1, "link lost (test)");
                }
            }
        }
    }

    /** Stops as a killed process would: registrations are left to expire, peer sessions dropped (tests). */
    void closeAbruptly()
    {
        if (directory != null)
        {
            directory.abandon();
        }
        closeLinks();
    }

    @Override
    public void close()
    {
        if (directory != null)
        {
            directory.close();
        }
        session.close();
        closeLinks();
    }

    private void closeLinks()
    {
        for (final PeerPublisher p : allPeers())
        {
            p.links().forEach(PeerLink::close);
            p.session().close();
        }
        if (ownsGroup)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
