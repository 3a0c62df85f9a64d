package moq.relay.engine;

import moq.relay.fanout.PublishDoneStatus;
import moq.relay.fanout.StreamResetCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.config.RelayConfiguration;
import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.FetchDelivery;
import moq.relay.fanout.FetchWriter;
import moq.relay.fanout.ObjectEvent;
import moq.relay.fanout.ObjectWriter;
import moq.relay.fanout.SubscriptionDelivery;
import moq.relay.store.SegmentPool;
import moq.relay.store.TrackLog;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * The relay engine: namespaces, tracks, routing, aggregation, cache and FETCH, with no networking.
 * <p>
 * Data flow: a publisher session ingests objects through {@link TrackIngest} (written once into the track's off-heap
 * {@link TrackLog}); an event goes on the Disruptor ring; each {@link EgressLoop} polls the ring and calls the
 * {@link ObjectWriter}s of its sessions' subscriptions with views of the log.
 * <p>
 * Threading: control operations ({@link Session} methods, upstream answers, {@link #expireIdle}) are serialised by
 * this object's monitor; they are rare and may allocate. Ingest is lock-free apart from a per-track spin lock that
 * serialises concurrent publishers of one track. Egress happens only inside {@link EgressLoop#poll()}.
 */
public final class Relay implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final RelayConfiguration config;
    /** The reason phrase of a request refused by the session's request rate (DoS draft §4.2). */
    static final String REQUEST_RATE_EXCEEDED = "request rate above " +
        RelayConfiguration.SESSION_MAX_REQUEST_RATE_PROP_NAME;
    private final SegmentPool pool;
    private final RingBuffer<ObjectEvent> ring;
    private final EgressLoop[] loops;
    private final Map<FullTrackName, Track> tracks = new HashMap<>();
    private final List<NamespaceRegistration> registrations = new ArrayList<>();
    private final Map<TrackNamespace, Integer> publishedNamespaces = new HashMap<>();
    private final List<NamespaceSubscription> namespaceSubscriptions = new ArrayList<>();
    private final List<TracksSubscription> tracksSubscriptions = new ArrayList<>();
    private final List<Rendezvous> rendezvous = new ArrayList<>();
    private final int sessionMaxTracks;
    private int nextTrackId = 1;
    private long upstreamSubscribes;
    /** What all sessions' publisher streams hold before objects reach a log (decoder scratch, gathered payloads). */
    private final MemoryBudget streamBuffers;
    /** Upstream FETCH answers kept for later FETCHes of the same range (docs/engine.md "Upstream FETCH"). */
    private final FetchedRanges fetched;
    /** Objects a session's ingest dropped because their {@link TrackIngest} refused them (a metric). */
    private final java.util.concurrent.atomic.AtomicLong droppedObjects = new java.util.concurrent.atomic.AtomicLong();
    private volatile RelayObserver observer = RelayObserver.NONE;
    private long sessionsOpened;
    /** Object datagrams sessions dropped on receipt (a metric; the drop path only, never per forwarded object). */
    private final java.util.concurrent.atomic.AtomicLong datagramsDroppedIn = new java.util.concurrent.atomic.AtomicLong();
    /** Ingest totals of tracks already forgotten (the live tracks' are summed at each {@link #stats()}). */
    private long retiredObjectsIn;
    private long retiredBytesIn;
    /** What static upstreams were asked for each SUBSCRIBE_NAMESPACE / SUBSCRIBE_TRACKS: ended with it. */
    private final Map<PrefixSubscription, List<Runnable>> discoveries = new java.util.IdentityHashMap<>();

    record NamespaceRegistration(Session session, long requestId, TrackNamespace namespace, Publisher publisher)
        implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            relay.withdrawNamespace(this);
        }
    }

    /** An established SUBSCRIBE (or accepted PUBLISH offer) in its session's request table. */
    record Subscribed(DownstreamSubscription subscription) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            relay.cancelSubscription(subscription);
        }
    }

    /** A track the session PUBLISHes, in its request table: cancelling it ends the track. */
    record Published(UpstreamSubscription upstream) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            upstream.session.requests.put(upstream.requestId, this); // upstreamDone removes it
            relay.upstreamDone(upstream, PublishDoneStatus.TRACK_ENDED, "publisher cancelled",
                StreamResetCode.CANCELLED);
        }

        @Override
        public UpstreamSubscription publishedUpstream()
        {
            return upstream;
        }

        @Override
        public boolean published()
        {
            return true;
        }
    }

    /** A session's standing request about every namespace under a prefix (SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS). */
    interface PrefixSubscription
    {
        Session session();

        TrackNamespace prefix();
    }

    record NamespaceSubscription(Session session, long requestId, TrackNamespace prefix, NamespaceListener listener)
        implements PrefixSubscription, SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            relay.namespaceSubscriptions.remove(this);
            session.namespaceRegistrations--;
            relay.endDiscoveries(this);
        }
    }

    record TracksSubscription(Session session, long requestId, TrackNamespace prefix, TrackListener listener)
        implements PrefixSubscription, SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            relay.tracksSubscriptions.remove(this);
            session.namespaceRegistrations--;
            relay.endDiscoveries(this);
        }
    }

    record FetchHandle(Session session, long requestId, FetchDelivery delivery) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            final EgressLoop loop = session.loop;
            loop.execute(() -> loop.cancel(delivery));
        }

        @Override
        public boolean finished()
        {
            return delivery.isFinished();
        }
    }

    /** A SUBSCRIBE held until a publisher for its track appears (RENDEZVOUS_TIMEOUT). */
    record Rendezvous(Session session, long requestId, FullTrackName name, SubscribeOptions options,
        ObjectWriter writer, SubscribeCallback callback, long deadlineNanos) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            relay.rendezvous.remove(this);
        }
    }

    /** A joining FETCH for a subscription still waiting for its upstream: buffered until it is established. */
    record PendingFetch(long requestId, FetchRequest request, FetchWriter writer, FetchCallback callback,
        PendingSubscribe joined) implements SessionRequest
    {
        @Override
        public void cancel(final Relay relay)
        {
            joined.joiningFetches.remove(this);
        }
    }

    static final class PendingSubscribe implements SessionRequest
    {
        final Session session;
        final long requestId;
        final Track track;
        final SubscribeOptions options;
        final ObjectWriter writer;
        final SubscribeCallback callback;
        final List<PendingFetch> joiningFetches = new ArrayList<>();

        PendingSubscribe(
            final Session session,
            final long requestId,
            final Track track,
            final SubscribeOptions options,
            final ObjectWriter writer,
            final SubscribeCallback callback)
        {
            this.session = session;
            this.requestId = requestId;
            this.track = track;
            this.options = options;
            this.writer = writer;
            this.callback = callback;
        }

        @Override
        public PendingSubscribe pendingSubscribe()
        {
            return this;
        }

        @Override
        public void cancel(final Relay relay)
        {
            track.waiting.remove(this);
            for (final PendingFetch f : joiningFetches)
            {
                session.requests.remove(f.requestId);
                f.callback.error(RequestErrorCode.INVALID_JOINING_REQUEST_ID, "joined subscription cancelled");
            }
            if (track.downstreams.isEmpty() && track.waiting.isEmpty())
            {
                relay.releaseUpstreams(track);
            }
        }
    }

    public Relay(final RelayConfiguration config, final int egressLoops)
    {
        this.config = config;
        this.sessionMaxTracks = config.sessionMaxTracks();
        this.pool = new SegmentPool(config.segmentBytes(), config.storeMaxBytes());
        this.streamBuffers = new MemoryBudget(config.ingestMaxBufferedBytes());
        this.fetched = new FetchedRanges(this, config.fetchCacheMaxBytes(), config.fetchCacheTrackBytes());
        this.ring = RingBuffer.createMultiProducer(ObjectEvent::new, config.ringSize(), new YieldingWaitStrategy());
        this.loops = new EgressLoop[egressLoops];
        for (int i = 0; i < egressLoops; i++)
        {
            loops[i] = new EgressLoop(i, ring, config.egressCommandQueue(), config.egressBatch(),
                config.egressPropertiesConversionBytes());
        }
    }

    public RelayConfiguration configuration()
    {
        return config;
    }

    public int egressLoopCount()
    {
        return loops.length;
    }

    public EgressLoop egressLoop(final int index)
    {
        return loops[index];
    }

    /** A new session whose subscriptions are served by egress loop {@code egressLoop}. */
    public synchronized Session openSession(final String name, final int egressLoop)
    {
        return openSession(name, egressLoop, "", "");
    }

    /**
     * A new session, labelled with its {@code draft} and {@code transport} (opaque to the engine: for metrics, logs and
     * {@link RelayObserver}s, e.g. "draft-18" and "quic").
     */
    public synchronized Session openSession(final String name, final int egressLoop, final String draft,
        final String transport)
    {
        final Session s = new Session(this, ++sessionsOpened, name, loops[egressLoop], draft, transport);
        observer.sessionOpened(s);
        return s;
    }

    /**
     * Who hears of sessions and request answers (metrics, an embedding application). Set it before sessions open; the
     * requests already made keep the observer they started with.
     */
    public void observer(final RelayObserver observer)
    {
        this.observer = observer;
    }

    public RelayObserver observer()
    {
        return observer;
    }

    /**
     * A session of the relay itself (the cluster's routes to peer relays, its watch on local namespaces): exempt from
     * the per-session request rate and namespace bound, which are there for remote peers.
     */
    public synchronized Session openInternalSession(final String name)
    {
        return new Session(this, ++sessionsOpened, name, loops[0], "internal", "none", true);
    }

    /** The off-heap store (bytes in use and allocated, for metrics and tests). */
    public SegmentPool store()
    {
        return pool;
    }

    /**
     * The relay-wide bound on what publisher sessions' streams buffer before objects reach a track's log
     * ({@link RelayConfiguration#INGEST_MAX_BUFFERED_BYTES_PROP_NAME}); its {@code usedBytes()} is a metric.
     */
    public MemoryBudget streamBuffers()
    {
        return streamBuffers;
    }

    /** Bytes the store of upstream FETCH answers counts now ({@code moq.relay.fetch.cache.max.bytes}), a metric. */
    public long fetchCacheBytes()
    {
        return fetched.usedBytes();
    }

    /** FETCHes answered from the store of upstream FETCH answers instead of upstream, a metric. */
    public long fetchCacheHits()
    {
        return fetched.hits();
    }

    /**
     * What the engine holds and has ingested, for metrics: one pass over the tracks under the control lock (at scrape
     * time, never per object). Ingest counts are read racily from the tracks' plain counters.
     */
    public synchronized Stats stats()
    {
        long publishers = 0;
        long subscriptions = 0;
        long objectsIn = retiredObjectsIn;
        long bytesIn = retiredBytesIn;
        for (final Track t : tracks.values())
        {
            publishers += t.upstreams.size();
            subscriptions += t.downstreams.size();
            objectsIn += t.ingest.objectsIn();
            bytesIn += t.ingest.bytesIn();
        }
        return new Stats(tracks.size(), publishers, subscriptions, objectsIn, bytesIn);
    }

    /**
     * @param tracks        tracks held (idle ones included)
     * @param publishers    upstream subscriptions: (track, publishing session) pairs
     * @param subscriptions downstream subscriptions established (not those waiting for their publisher)
     * @param objectsIn     objects stored since start (all tracks, forgotten ones included)
     * @param bytesIn       their payload bytes
     */
    public record Stats(int tracks, long publishers, long subscriptions, long objectsIn, long bytesIn)
    {
    }

    void datagramDroppedIn()
    {
        datagramsDroppedIn.incrementAndGet();
    }

    /** Object datagrams sessions dropped on receipt ({@link Session#datagramDropped()}). */
    public long datagramsDroppedIn()
    {
        return datagramsDroppedIn.get();
    }

    /** Ring slots published and not yet consumed by every egress loop (any thread, racy). */
    public long ringOccupancy()
    {
        return ring.getBufferSize() - ring.remainingCapacity();
    }

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /** Objects sessions dropped because the track's ingest refused them (store exhausted, object too large). */
    public long droppedObjects()
    {
        return droppedObjects.get();
    }

    /**
     * A session's ingest dropped an object of {@code up} (its {@link TrackIngest} returned false): counted, and the
     * subscription ends as PUBLISH_DONE EXCESSIVE_LOAD downstream, open subgroups reset with EXCESSIVE_LOAD. The
     * session cancels it upstream. Later drops of an ended subscription are only counted.
     */
    void objectDropped(final UpstreamSubscription up, final String reason)
    {
        droppedObjects.incrementAndGet();
        upstreamDone(up, PublishDoneStatus.EXCESSIVE_LOAD, reason, StreamResetCode.EXCESSIVE_LOAD);
    }

    /** Hand-off latency (ingest to first writer call) of all loops since the previous call, in nanoseconds. */
    public Histogram handoffLatency()
    {
        final Histogram all = new Histogram(3_600_000_000_000L, 2);
        for (final EgressLoop loop : loops)
        {
            all.add(loop.handoffLatency(null));
        }
        return all;
    }

    public synchronized int trackCount()
    {
        return tracks.size();
    }

    /** Whether some session publishes exactly {@code namespace} now (tests and tools). */
    public synchronized boolean isPublished(final TrackNamespace namespace)
    {
        return publishedNamespaces.containsKey(namespace);
    }

    /** Upstream SUBSCRIBEs the relay has sent (aggregation metric). */
    public synchronized long upstreamSubscribeCount()
    {
        return upstreamSubscribes;
    }

    /** The ingest handle of an existing track, or null (tests and tools). */
    public synchronized TrackIngest ingestOf(final FullTrackName name)
    {
        final Track t = tracks.get(name);
        return t == null ? null : t.ingest;
    }

    /** Segments the track's log holds now, or -1 if the track does not exist. */
    public synchronized int trackSegments(final FullTrackName name)
    {
        final Track t = tracks.get(name);
        return t == null ? -1 : t.log.segmentsInUse();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Publishing

    synchronized void publishNamespace(
        final Session s, final long requestId, final TrackNamespace ns, final Publisher publisher,
        final RequestCallback cb)
    {
        if (s.closed || s.requests.containsKey(requestId))
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "session closed or request ID in use");
            return;
        }
        if (!s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return;
        }
        if (!s.internal && s.namespaceRegistrations >= config.sessionMaxNamespaces())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "too many namespaces on this session");
            return;
        }
        for (final NamespaceRegistration r : registrations)
        {
            if (r.session == s && r.namespace.equals(ns))
            {
                cb.error(RequestErrorCode.DUPLICATE_SUBSCRIPTION, "namespace already published on this session");
                return;
            }
        }
        final NamespaceRegistration reg = new NamespaceRegistration(s, requestId, ns, publisher);
        registrations.add(reg);
        s.requests.put(requestId, reg);
        s.namespaceRegistrations++;
        cb.ok();
        publishedNamespaces.merge(ns, 1, Integer::sum);
        for (final NamespaceSubscription sub : new ArrayList<>(namespaceSubscriptions))
        {
            // Announced to each subscriber once, when its first publisher other than the subscriber itself appears.
            if (sub.session != s && ns.startsWith(sub.prefix) && publishersOf(ns, sub.session) == 1)
            {
                sub.listener.namespace(ns.suffixAfter(sub.prefix));
            }
        }
        // Existing downstream demand for tracks under the namespace goes to the new publisher too.
        for (final Track t : new ArrayList<>(tracks.values()))
        {
            final Session requester;
            if ((!t.downstreams.isEmpty() || !t.waiting.isEmpty()) && t.name.namespace().startsWith(ns) &&
                t.upstreamOf(s) == null && (requester = demandServedBy(t, publisher)) != null)
            {
                subscribeUpstream(t, reg, requester);
            }
        }
        releaseRendezvous(name -> name.namespace().startsWith(ns));
    }

    private void withdrawNamespace(final NamespaceRegistration reg)
    {
        registrations.remove(reg);
        reg.session.namespaceRegistrations--;
        final TrackNamespace ns = reg.namespace;
        if (publishedNamespaces.merge(ns, -1, Integer::sum) == 0)
        {
            publishedNamespaces.remove(ns);
        }
        for (final NamespaceSubscription sub : new ArrayList<>(namespaceSubscriptions))
        {
            if (sub.session != reg.session && ns.startsWith(sub.prefix) && publishersOf(ns, sub.session) == 0)
            {
                sub.listener.namespaceDone(ns.suffixAfter(sub.prefix));
            }
        }
    }

    /**
     * Sessions other than {@code except} publishing {@code ns}: a namespace subscriber hears of the namespaces others
     * publish, never of its own (it knows those, and a client such as @moq/lite trips over its own echoed back).
     */
    private int publishersOf(final TrackNamespace ns, final Session except)
    {
        int n = 0;
        for (final NamespaceRegistration r : registrations)
        {
            if (r.session != except && r.namespace.equals(ns) && !r.publisher.fallback() &&
                r.publisher.serves(except))
            {
                n++;
            }
        }
        return n;
    }

    synchronized UpstreamSubscription publish(
        final Session s,
        final long requestId,
        final FullTrackName name,
        final List<KeyValuePair> properties,
        final Location largest,
        final Publisher publisher,
        final RequestCallback cb)
    {
        if (s.closed || s.requests.containsKey(requestId))
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "session closed or request ID in use");
            return null;
        }
        if (!s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return null;
        }
        if (!s.internal && s.requests.size() >= config.sessionMaxRequests())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "too many requests on this session");
            return null;
        }
        Track t = tracks.get(name);
        if (t != null && t.upstreamOf(s) != null)
        {
            cb.error(RequestErrorCode.DUPLICATE_SUBSCRIPTION, "track already published on this session");
            return null;
        }
        if (t == null)
        {
            t = createTrack(name, s);
            if (t == null)
            {
                cb.error(RequestErrorCode.EXCESSIVE_LOAD, tooManyTracks(s));
                return null;
            }
        }
        if (restartsTrack(t, s, publisher, largest))
        {
            takeOver(t, s);
        }
        if (!t.hasEstablishedUpstream() && startsNewEpoch(t, largest))
        {
            startEpoch(t);
        }
        final boolean firstPublisher = !t.hasPublishedUpstream();
        final UpstreamSubscription up = new UpstreamSubscription(this, t, s, publisher, true, requestId, false);
        up.state = UpstreamSubscription.State.ESTABLISHED;
        up.silent = true;
        t.upstreams.add(up);
        s.upstreamLinks.add(up);
        s.requests.put(requestId, new Published(up));
        if (properties != null && !properties.isEmpty())
        {
            t.properties = List.copyOf(properties);
        }
        t.upstreamLargest = max(t.upstreamLargest, largest);
        t.ended = false;
        updateDeduplication(t);
        serveWaiting(t);
        final List<Session> heldFor = releaseRendezvous(name::equals);
        up.forward = t.anyDownstreamForward();
        up.silent = false;
        cb.ok();
        if (firstPublisher)
        {
            final Location l = t.largest();
            for (final TracksSubscription sub : new ArrayList<>(tracksSubscriptions))
            {
                // A subscriber whose held SUBSCRIBE this PUBLISH satisfied does not also get the PUBLISH.
                if (sub.session != s && !heldFor.contains(sub.session) && name.namespace().startsWith(sub.prefix) &&
                    publisher.serves(sub.session))
                {
                    sub.listener.track(name, l, t.properties);
                }
            }
        }
        return up;
    }

    /**
     * Whether a publisher establishing a track that no publisher serves now, reporting {@code largest}, starts a new
     * track epoch: always after the previous publishers ended or left (a reloaded page publishes from group 0
     * again); after the relay itself unsubscribed (its last subscriber left), only if the publisher does not continue
     * the cached track (no Largest Location, or one below the cache's: a different publisher answered).
     */
    private static boolean startsNewEpoch(final Track t, final Location largest)
    {
        if (t.publisherGone)
        {
            return true;
        }
        final Location cached = t.largest();
        return cached != null && (largest == null || largest.compareTo(cached) < 0);
    }

    /**
     * Whether {@code newcomer}, establishing {@code t} with {@code largest}, restarts a track that older sessions still
     * serve (docs/engine.md "Track epochs", a restart beside a lingering session): it is a client session (not another
     * relay, not the relay's own session to a cluster peer, not a fallback upstream) opened after every session whose
     * upstream is established, and it does not
     * continue the cache (no Largest Location, or one below the cache's), as a reloaded page does while its old
     * WebTransport session lingers until the idle timeout. A newcomer that continues the cache is a draft-18 graceful
     * switchover and joins the epoch.
     */
    private static boolean restartsTrack(final Track t, final Session newcomer, final Publisher publisher,
        final Location largest)
    {
        final Location cached = t.largest();
        if (!t.hasEstablishedUpstream() || cached == null || newcomer.internal || newcomer.peerRelay() != null ||
            publisher.fallback() ||
            largest != null && largest.compareTo(cached) >= 0)
        {
            return false;
        }
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (u.state == UpstreamSubscription.State.ESTABLISHED && u.session.id() >= newcomer.id())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The newest publisher wins (moq-dev's relay: the newest announcement of a broadcast path replaces the older one):
     * the older sessions' upstreams of {@code t} are dropped (unsubscribed, or told to stop forwarding a PUBLISH) and
     * the track's subscribers ended with PUBLISH_DONE TRACK_ENDED, as if those publishers had left, so the caller starts
     * a new epoch and subscribers that subscribe again get {@code newcomer}'s objects. The restart takes the whole
     * broadcast: the same sessions' other tracks of {@code t}'s namespace end the same way (their next publisher starts
     * a new epoch), and the namespace's subscribers hear it withdrawn and published again ({@link #reannounce}), which
     * is what tells a watcher that does not subscribe again on PUBLISH_DONE (draft-14 {@code @moq/watch}) to reload.
     */
    private void takeOver(final Track t, final Session newcomer)
    {
        LOG.info("track {}: session {} restarts it while older publisher sessions still serve it; they are dropped",
            t.name, newcomer.id());
        final List<Session> older = new ArrayList<>();
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (u.session != newcomer && !older.contains(u.session))
            {
                older.add(u.session);
            }
        }
        final TrackNamespace ns = t.name.namespace();
        final List<Track> broadcast = new ArrayList<>();
        broadcast.add(t);
        for (final Track other : tracks.values())
        {
            if (other != t && other.name.namespace().equals(ns) && servedByAny(other, older))
            {
                broadcast.add(other);
            }
        }
        reannounce(ns, newcomer, older); // before the PUBLISH_DONEs, so a watcher reloads the broadcast as a whole
        for (final Track b : broadcast)
        {
            dropUpstreams(b, older, b == t);
        }
    }

    private static boolean servedByAny(final Track t, final List<Session> sessions)
    {
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (sessions.contains(u.session))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Drops {@code older}'s upstreams of {@code t} ({@link #takeOver}) and, if no established upstream remains, ends
     * its subscribers with PUBLISH_DONE TRACK_ENDED. A pending one is kept when nothing else would answer the
     * SUBSCRIBEs waiting on it ({@code newcomerServes} false and no other session's upstream).
     */
    private void dropUpstreams(final Track t, final List<Session> older, final boolean newcomerServes)
    {
        boolean othersServe = newcomerServes;
        for (final UpstreamSubscription u : t.upstreams)
        {
            othersServe |= !older.contains(u.session);
        }
        for (final UpstreamSubscription u : new ArrayList<>(t.upstreams))
        {
            if (!older.contains(u.session) || (u.state == UpstreamSubscription.State.PENDING && !othersServe))
            {
                continue;
            }
            if (!t.replaced.contains(u.session.id()))
            {
                t.replaced.add(u.session.id());
            }
            u.state = UpstreamSubscription.State.CLOSED;
            t.upstreams.remove(u);
            u.session.upstreamLinks.remove(u);
            if (u.published)
            {
                if (u.forward)
                {
                    u.forward = false;
                    u.publisher.updateForward(u, false);
                }
            }
            else
            {
                u.publisher.unsubscribe(u);
            }
        }
        updateDeduplication(t);
        if (t.hasEstablishedUpstream())
        {
            return; // another session (not one of the older ones) still serves it: its subscribers continue
        }
        t.publisherGone = true;
        for (final DownstreamSubscription ds : new ArrayList<>(t.downstreams))
        {
            endDownstream(ds, PublishDoneStatus.TRACK_ENDED, "a newer publisher session restarted the track",
                StreamResetCode.CANCELLED);
        }
        t.downstreams.clear();
        t.idleSinceNanos = System.nanoTime();
    }

    /**
     * A restart replaced the broadcast under {@code ns}: every namespace subscriber that was told of a namespace the
     * restarting or the replaced sessions published over it hears it withdrawn and published again (draft 14:
     * PUBLISH_NAMESPACE_DONE then a new PUBLISH_NAMESPACE; drafts 18 and 20: NAMESPACE_DONE then NAMESPACE; moq-lite:
     * ANNOUNCE ended then active), as moq-dev's relay re-announces a path whose broadcast a newer one replaced. Not
     * {@code newcomer} itself (its own broadcast). Only {@link #takeOver} calls it: a graceful switchover (group IDs
     * continuing) and a cluster peer's switchover stay silent.
     */
    private void reannounce(final TrackNamespace ns, final Session newcomer, final List<Session> older)
    {
        final List<TrackNamespace> announced = new ArrayList<>();
        for (final NamespaceRegistration r : registrations)
        {
            if ((r.session == newcomer || older.contains(r.session)) && ns.startsWith(r.namespace) &&
                !r.publisher.fallback() && !announced.contains(r.namespace))
            {
                announced.add(r.namespace);
            }
        }
        for (final TrackNamespace a : announced)
        {
            for (final NamespaceSubscription sub : new ArrayList<>(namespaceSubscriptions))
            {
                if (sub.session != newcomer && a.startsWith(sub.prefix) && publishersOf(a, sub.session) > 0)
                {
                    final TrackNamespace suffix = a.suffixAfter(sub.prefix);
                    sub.listener.namespaceDone(suffix);
                    sub.listener.namespace(suffix);
                }
            }
        }
    }

    /**
     * A new track epoch (docs/engine.md "Track epochs"): the new publisher's group IDs are unrelated to the old ones,
     * so the old epoch's cache, largest location, track properties and end are forgotten; late joiners start from
     * the new publisher's objects. The old epoch's subscribers were ended (PUBLISH_DONE) when its last publisher
     * went, and their deliveries never read past the epoch's end. A publisher joining one that is still established
     * (draft-18 Graceful Publisher Relay Switchover) continues the epoch instead.
     */
    private static void startEpoch(final Track t)
    {
        t.publisherGone = false;
        t.ingest.newEpoch();
        t.upstreamLargest = null;
        t.properties = List.of();
        t.ended = false;
    }

    /**
     * A new track for {@code creator}'s request, or null when the relay holds {@code moq.relay.max.tracks} or the
     * session has used its share ({@code moq.relay.session.max.tracks.percent}), so one client cannot take every slot.
     */
    private Track createTrack(final FullTrackName name, final Session creator)
    {
        if (tracks.size() >= config.maxTracks() || (!creator.internal && creator.tracksCreated >= sessionMaxTracks))
        {
            return null;
        }
        final int id = nextTrackId++;
        final TrackLog log = new TrackLog(pool, config.trackCacheSegments(), config.trackOverflowSegments(),
            config.trackCacheGroups());
        final Track t = new Track(id, name, log, new TrackIngest(id, log, ring, config.storeMaxObjectBytes()),
            creator);
        tracks.put(name, t);
        creator.tracksCreated++;
        return t;
    }

    private String tooManyTracks(final Session s)
    {
        return s.tracksCreated >= sessionMaxTracks ?
            "this session's share of tracks is used (" + sessionMaxTracks + ")" :
            "too many tracks on the relay (" + config.maxTracks() + ")";
    }

    private void subscribeUpstream(final Track t, final NamespaceRegistration reg, final Session requester)
    {
        // Relays SHOULD subscribe upstream with Forward=1 (draft-18 §8.3), Largest Object filter.
        final UpstreamSubscription up = new UpstreamSubscription(this, t, reg.session, reg.publisher, false, -1, true);
        up.requester = requester;
        t.upstreams.add(up);
        reg.session.upstreamLinks.add(up);
        upstreamSubscribes++;
        reg.publisher.subscribe(up);
    }

    synchronized void upstreamAccepted(final UpstreamSubscription up, final Location largest,
        final List<KeyValuePair> properties)
    {
        if (up.state != UpstreamSubscription.State.PENDING)
        {
            if (up.published && up.state == UpstreamSubscription.State.ESTABLISHED)
            {
                // A mirrored PUBLISH-ed track (cluster) subscribed at its origin: what that SUBSCRIBE_OK says is the
                // track's, for later SUBSCRIBE_OKs and TRACK_STATUS here.
                if (properties != null && !properties.isEmpty())
                {
                    up.track.properties = List.copyOf(properties);
                }
                up.track.upstreamLargest = max(up.track.upstreamLargest, largest);
            }
            return;
        }
        final Track t = up.track;
        if (restartsTrack(t, up.session, up.publisher, largest))
        {
            takeOver(t, up.session);
        }
        if (!t.hasEstablishedUpstream() && startsNewEpoch(t, largest))
        {
            startEpoch(t);
        }
        up.state = UpstreamSubscription.State.ESTABLISHED;
        if (properties != null && !properties.isEmpty())
        {
            t.properties = List.copyOf(properties);
        }
        t.upstreamLargest = max(t.upstreamLargest, largest);
        t.ended = false;
        updateDeduplication(t);
        serveWaiting(t);
        if (t.downstreams.isEmpty() && t.waiting.isEmpty())
        {
            releaseUpstreams(t); // every subscriber left while the upstream SUBSCRIBE was pending
        }
    }

    synchronized void upstreamRejected(final UpstreamSubscription up, final RequestErrorCode code, final String reason)
    {
        if (up.state != UpstreamSubscription.State.PENDING)
        {
            return;
        }
        up.state = UpstreamSubscription.State.CLOSED;
        up.track.upstreams.remove(up);
        up.session.upstreamLinks.remove(up);
        failWaitingIfNoUpstream(up.track, code, reason);
    }

    private void failWaitingIfNoUpstream(final Track t, final RequestErrorCode code, final String reason)
    {
        if (!t.hasPendingUpstream() && !t.hasEstablishedUpstream() && !t.waiting.isEmpty())
        {
            final List<PendingSubscribe> waiting = new ArrayList<>(t.waiting);
            t.waiting.clear();
            for (final PendingSubscribe p : waiting)
            {
                p.session.requests.remove(p.requestId);
                p.callback.error(code, reason);
                for (final PendingFetch f : p.joiningFetches)
                {
                    p.session.requests.remove(f.requestId);
                    f.callback.error(RequestErrorCode.INVALID_JOINING_REQUEST_ID, "joined subscription failed: " +
                        reason);
                }
            }
        }
    }

    synchronized void upstreamDone(
        final UpstreamSubscription up, final PublishDoneStatus status, final String reason,
        final StreamResetCode resetCode)
    {
        if (up.state == UpstreamSubscription.State.CLOSED)
        {
            final SessionRequest entry = up.published ? up.session.requests.get(up.requestId) : null;
            if (entry != null && entry.publishedUpstream() == up)
            {
                up.session.requests.remove(up.requestId); // a PUBLISH a newer publisher took over (takeOver) ends
            }
            return;
        }
        if (up.state == UpstreamSubscription.State.PENDING)
        {
            upstreamRejected(up, RequestErrorCode.INTERNAL_ERROR, reason);
            return;
        }
        up.state = UpstreamSubscription.State.CLOSED;
        final Track t = up.track;
        t.upstreams.remove(up);
        up.session.upstreamLinks.remove(up);
        updateDeduplication(t);
        if (up.published)
        {
            up.session.requests.remove(up.requestId);
        }
        if (!t.hasEstablishedUpstream())
        {
            if (status == PublishDoneStatus.TRACK_ENDED)
            {
                t.ended = true;
            }
            t.publisherGone = true;
            for (final DownstreamSubscription ds : new ArrayList<>(t.downstreams))
            {
                endDownstream(ds, status, reason, resetCode);
            }
            t.downstreams.clear();
            t.idleSinceNanos = System.nanoTime();
            failWaitingIfNoUpstream(t, RequestErrorCode.DOES_NOT_EXIST, reason);
        }
        if (up.published && !t.hasPublishedUpstream())
        {
            for (final TracksSubscription sub : new ArrayList<>(tracksSubscriptions))
            {
                if (sub.session != up.session && t.name.namespace().startsWith(sub.prefix) &&
                    up.publisher.serves(sub.session))
                {
                    sub.listener.trackDone(t.name);
                }
            }
        }
    }

    private void endDownstream(
        final DownstreamSubscription ds, final PublishDoneStatus status, final String reason,
        final StreamResetCode resetCode)
    {
        ds.ended = true;
        ds.session.requests.remove(ds.requestId);
        final EgressLoop loop = ds.session.loop;
        final SubscriptionDelivery d = ds.delivery;
        if (!loop.execute(() -> loop.requestDone(d, status, reason, resetCode)))
        {
            LOG.warn("egress loop {} command queue full: PUBLISH_DONE for {} lost", loop.index(), ds.track.name);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Subscribing

    synchronized void subscribe(
        final Session s,
        final long requestId,
        final FullTrackName name,
        final SubscribeOptions options,
        final ObjectWriter writer,
        final SubscribeCallback cb)
    {
        if (s.closed || s.requests.containsKey(requestId))
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "session closed or request ID in use");
            return;
        }
        if (!s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return;
        }
        if (s.requests.size() >= config.sessionMaxRequests())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "too many requests on this session");
            return;
        }
        final SubscriptionFilter f = options.filter();
        if (f.type() == SubscriptionFilter.Type.ABSOLUTE_RANGE &&
            Long.compareUnsigned(f.endGroup(), f.start().group()) < 0)
        {
            cb.error(RequestErrorCode.INVALID_RANGE, "end group before start group");
            return;
        }
        Track t = tracks.get(name);
        if (t != null && !s.severalSubscriptionsPerTrack)
        {
            for (final DownstreamSubscription ds : t.downstreams)
            {
                if (ds.session == s)
                {
                    cb.error(RequestErrorCode.DUPLICATE_SUBSCRIPTION, "already subscribed to " + name);
                    return;
                }
            }
            for (final PendingSubscribe p : t.waiting)
            {
                if (p.session == s)
                {
                    cb.error(RequestErrorCode.DUPLICATE_SUBSCRIPTION, "already subscribing to " + name);
                    return;
                }
            }
        }
        if (t != null)
        {
            if (!upstreamsServe(t, s))
            {
                cb.error(RequestErrorCode.DOES_NOT_EXIST, "no publisher for " + name + " off the request's relay path");
                return;
            }
            if (t.hasEstablishedUpstream())
            {
                establish(s, requestId, t, options, writer, cb);
                return;
            }
        }
        final List<NamespaceRegistration> publishers = matchingPublishers(name.namespace(), s);
        if (publishers.isEmpty() && (t == null || !t.hasPendingUpstream()))
        {
            if (options.rendezvousTimeoutMs() > 0)
            {
                final Rendezvous rv = new Rendezvous(s, requestId, name, options, writer, cb,
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.rendezvousTimeoutMs()));
                rendezvous.add(rv);
                s.requests.put(requestId, rv);
                return;
            }
            cb.error(RequestErrorCode.DOES_NOT_EXIST, "no publisher for " + name);
            return;
        }
        if (t == null)
        {
            t = createTrack(name, s);
            if (t == null)
            {
                cb.error(RequestErrorCode.EXCESSIVE_LOAD, tooManyTracks(s));
                return;
            }
        }
        final PendingSubscribe p = new PendingSubscribe(s, requestId, t, options, writer, cb);
        t.waiting.add(p);
        s.requests.put(requestId, p);
        final boolean skipReplaced = !t.replaced.isEmpty() && hasNotReplaced(t, publishers);
        for (final NamespaceRegistration reg : publishers)
        {
            if (t.upstreamOf(reg.session) == null && !(skipReplaced && t.replaced.contains(reg.session.id())))
            {
                subscribeUpstream(t, reg, s);
            }
        }
    }

    /** Whether some of {@code publishers} is a session no newer publisher took {@code t} over from. */
    private static boolean hasNotReplaced(final Track t, final List<NamespaceRegistration> publishers)
    {
        for (final NamespaceRegistration reg : publishers)
        {
            if (!t.replaced.contains(reg.session.id()))
            {
                return true;
            }
        }
        return false;
    }

    /** Proceeds with the held SUBSCRIBEs that {@code matches} accepts; returns the sessions that were served. */
    private List<Session> releaseRendezvous(final java.util.function.Predicate<FullTrackName> matches)
    {
        final List<Session> served = new ArrayList<>();
        for (final Rendezvous rv : new ArrayList<>(rendezvous))
        {
            if (matches.test(rv.name))
            {
                rendezvous.remove(rv);
                rv.session.requests.remove(rv.requestId);
                served.add(rv.session);
                subscribe(rv.session, rv.requestId, rv.name, rv.options, rv.writer, rv.callback);
            }
        }
        return served;
    }

    private List<NamespaceRegistration> matchingPublishers(final TrackNamespace ns)
    {
        return matchingPublishers(ns, null);
    }

    /**
     * The registrations whose namespace is a prefix of {@code ns}, one per session, that serve {@code requester}
     * (all when it is null); fallback publishers (static upstreams) only when no other one matches.
     */
    private List<NamespaceRegistration> matchingPublishers(final TrackNamespace ns, final Session requester)
    {
        final List<NamespaceRegistration> out = new ArrayList<>();
        final List<NamespaceRegistration> fallbacks = new ArrayList<>();
        final List<Session> seen = new ArrayList<>();
        for (final NamespaceRegistration r : registrations)
        {
            if (ns.startsWith(r.namespace) && !seen.contains(r.session) &&
                (requester == null || r.publisher.serves(requester)))
            {
                seen.add(r.session);
                (r.publisher.fallback() ? fallbacks : out).add(r);
            }
        }
        return out.isEmpty() ? fallbacks : out;
    }

    /**
     * A session with demand for {@code t} that {@code publisher} serves (a new registration is then asked on its
     * behalf), or null.
     */
    private static Session demandServedBy(final Track t, final Publisher publisher)
    {
        if (publisher.fallback())
        {
            return null; // a static upstream is asked by new requests that nothing else serves, not added to others
        }
        for (final DownstreamSubscription ds : t.downstreams)
        {
            if (publisher.serves(ds.session))
            {
                return ds.session;
            }
        }
        for (final PendingSubscribe p : t.waiting)
        {
            if (publisher.serves(p.session))
            {
                return p.session;
            }
        }
        return null;
    }

    /**
     * Whether another relay's session may join {@code t}'s existing upstreams: only if one of their publishers serves
     * it (a local publisher always does; a cluster peer not when the request already crossed that peer), so that
     * aggregation cannot close a cycle of relays waiting on each other (docs/cluster.md "Loops").
     */
    private static boolean upstreamsServe(final Track t, final Session s)
    {
        if (s.peerRelay() == null || t.upstreams.isEmpty())
        {
            return true;
        }
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (u.publisher.serves(s))
            {
                return true;
            }
        }
        return false;
    }

    private void serveWaiting(final Track t)
    {
        if (t.waiting.isEmpty())
        {
            return;
        }
        final List<PendingSubscribe> waiting = new ArrayList<>(t.waiting);
        t.waiting.clear();
        for (final PendingSubscribe p : waiting)
        {
            p.session.requests.remove(p.requestId);
            establish(p.session, p.requestId, t, p.options, p.writer, p.callback);
            for (final PendingFetch f : p.joiningFetches)
            {
                p.session.requests.remove(f.requestId);
                fetch(p.session, f.requestId, f.request, f.writer, f.callback);
            }
        }
    }

    /** Creates the downstream subscription on an established track: SUBSCRIBE_OK, then the egress loop takes over. */
    private void establish(
        final Session s, final long requestId, final Track t, final SubscribeOptions options,
        final ObjectWriter writer, final SubscribeCallback cb)
    {
        final TrackLog log = t.log;
        final long committed = log.committed(); // first the position, then the largest: see SubscriptionDelivery
        final Location largest = t.largest();
        final SubscriptionFilter f = options.filter();
        long cursor = committed;
        Location start;
        long endGroup = SubscriptionDelivery.NO_END_GROUP;
        switch (f.type())
        {
            case LARGEST_OBJECT:
                start = largest == null ? Location.ZERO : new Location(largest.group(), largest.object() + 1);
                break;
            case NEXT_GROUP_START:
                start = largest == null ? Location.ZERO : new Location(largest.group() + 1, 0);
                break;
            case LARGEST_GROUP_START:
                start = largest == null ? Location.ZERO : new Location(largest.group(), 0);
                cursor = cachedStartOf(log, start, committed);
                break;
            case ABSOLUTE_RANGE:
                if (largest != null && Long.compareUnsigned(f.endGroup(), largest.group()) < 0)
                {
                    cb.error(RequestErrorCode.INVALID_RANGE, "end group " + f.endGroup() + " already published");
                    return;
                }
                endGroup = f.endGroup();
                start = f.start();
                cursor = cachedStartOf(log, start, committed);
                break;
            default:
                start = f.start();
                cursor = cachedStartOf(log, start, committed);
                break;
        }
        final EgressLoop loop = s.loop;
        if (!loop.hasCommandRoom())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "egress loop " + loop.index() + " is overloaded");
            return;
        }
        final SubscriptionDelivery d = new SubscriptionDelivery(s.egress, log, t.id, cursor, start.group(),
            start.object(), endGroup, options.forward(), options.subscriberPriority(),
            descending(options.groupOrder(), t.properties), writer, options.retainsPayload(),
            config.subscriberBacklogBytes(), config.maxOpenSubgroups());
        d.maxDelay(config.subscriberBacklogMaxDelay().toNanos(), System.nanoTime());
        d.objectFilter(options.objectFilter()); // before the loop sees d: the command queue publishes it
        d.publisherObjectDeliveryTimeout(publisherObjectDeliveryTimeoutNanos(t.properties));
        d.publisherSubgroupDeliveryTimeout(timeoutPropertyNanos(t.properties, SUBGROUP_DELIVERY_TIMEOUT));
        final DownstreamSubscription ds = new DownstreamSubscription(s, t, requestId, d, options.forward(),
            options.subscriberPriority(), options.forward() ? largest : null);
        t.downstreams.add(ds);
        s.requests.put(requestId, new Subscribed(ds));
        cb.ok(ds, largest, t.properties);
        loop.execute(() -> loop.add(d)); // room checked above; only this lock's holder offers commands
        raiseUpstreamForward(t);
    }

    private static final long OBJECT_DELIVERY_TIMEOUT = 0x02; // Track Property type (draft-21 §10.2)

    private static final long SUBGROUP_DELIVERY_TIMEOUT = 0x06; // Track Property type (draft-21 §10.1)

    /** The publisher's OBJECT_DELIVERY_TIMEOUT track property in nanoseconds, 0 when absent or 0. */
    static long publisherObjectDeliveryTimeoutNanos(final List<KeyValuePair> trackProperties)
    {
        return timeoutPropertyNanos(trackProperties, OBJECT_DELIVERY_TIMEOUT);
    }

    /** The publisher's delivery timeout track property {@code type} in nanoseconds, 0 when absent or 0. */
    static long timeoutPropertyNanos(final List<KeyValuePair> trackProperties, final long type)
    {
        for (final KeyValuePair p : trackProperties)
        {
            if (p.type() == type)
            {
                final long millis = p.intValue();
                return millis <= 0 || millis > Long.MAX_VALUE / 1_000_000 ? 0 : millis * 1_000_000;
            }
        }
        return 0;
    }

    /**
     * The subscription's group order: the subscriber's, else the publisher's DEFAULT_PUBLISHER_GROUP_ORDER track
     * property (0x22: 1 ascending, 2 descending; ascending when absent). Fixed for the life of the subscription.
     */
    private static final long DEFAULT_PUBLISHER_GROUP_ORDER = 0x22; // draft-18 Track Property type

    static boolean descending(final GroupOrder requested, final List<KeyValuePair> trackProperties)
    {
        if (requested != GroupOrder.PUBLISHER)
        {
            return requested == GroupOrder.DESCENDING;
        }
        for (final KeyValuePair p : trackProperties)
        {
            if (p.type() == DEFAULT_PUBLISHER_GROUP_ORDER && !p.isBytes())
            {
                return p.intValue() == 2;
            }
        }
        return false;
    }

    /** Where to read from for an absolute start: its group's first record if cached, else the cache start. */
    private static long cachedStartOf(final TrackLog log, final Location start, final long committed)
    {
        log.lock();
        try
        {
            final long lg = log.largestGroup();
            if (lg == -1 || Long.compareUnsigned(start.group(), lg) > 0)
            {
                return Math.min(committed, log.committed()); // only future groups pass the filter
            }
            final long groupStart = log.groupStart(start.group());
            return groupStart >= 0 ? Math.min(groupStart, committed) : log.cacheStart();
        }
        finally
        {
            log.unlock();
        }
    }

    private void raiseUpstreamForward(final Track t)
    {
        if (!t.anyDownstreamForward())
        {
            return;
        }
        for (final UpstreamSubscription u : new ArrayList<>(t.upstreams))
        {
            if (!u.forward && u.state != UpstreamSubscription.State.CLOSED)
            {
                u.forward = true;
                if (!u.silent)
                {
                    u.publisher.updateForward(u, true);
                }
            }
        }
    }

    /** The last downstream left: unsubscribe upstream (SUBSCRIBE) or stop forwarding (PUBLISH). */
    private void releaseUpstreams(final Track t)
    {
        t.idleSinceNanos = System.nanoTime();
        for (final UpstreamSubscription u : new ArrayList<>(t.upstreams))
        {
            if (u.published)
            {
                if (u.forward)
                {
                    u.forward = false;
                    u.publisher.updateForward(u, false);
                }
                u.publisher.released(u);
            }
            else
            {
                u.state = UpstreamSubscription.State.CLOSED;
                t.upstreams.remove(u);
                u.session.upstreamLinks.remove(u);
                updateDeduplication(t);
                u.publisher.unsubscribe(u);
            }
        }
    }

    synchronized void updateSubscription(
        final Session s, final long requestId, final boolean forward, final int priority, final RequestCallback cb)
    {
        updateSubscription(s, requestId, forward, priority, false, null, cb);
    }

    /** @param replaceFilter whether {@code objectFilter} (null: none) replaces the subscription's Range Filters */
    synchronized void updateSubscription(final Session s, final long requestId, final boolean forward,
        final int priority, final boolean replaceFilter, final moq.relay.fanout.ObjectFilter objectFilter,
        final RequestCallback cb)
    {
        final SessionRequest r = s.requests.get(requestId);
        final DownstreamSubscription ds = r == null ? null : r.subscription();
        if (ds == null)
        {
            cb.error(RequestErrorCode.DOES_NOT_EXIST, "no subscription " + requestId);
            return;
        }
        if (priority < 0 || priority > 255)
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "priority out of range");
            return;
        }
        if (forward && !ds.forward)
        {
            ds.joiningLocation = ds.track.largest();
        }
        ds.forward = forward;
        ds.subscriberPriority = priority;
        final EgressLoop loop = s.loop;
        final SubscriptionDelivery d = ds.delivery;
        if (!loop.execute(() ->
        {
            if (replaceFilter)
            {
                d.objectFilter(objectFilter);
            }
            loop.update(d, forward, priority);
        }))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "egress loop busy");
            return;
        }
        cb.ok();
        raiseUpstreamForward(ds.track);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // FETCH and TRACK_STATUS

    synchronized void fetch(
        final Session s, final long requestId, final FetchRequest req, final FetchWriter writer, final FetchCallback cb)
    {
        fetch(s, requestId, req, writer, cb, true);
    }

    /**
     * @param upstream whether a range the cache does not hold may be fetched upstream; false when the publisher
     *                 refused it (the cache then serves what it has, as before upstream FETCH).
     */
    synchronized void fetch(final Session s, final long requestId, final FetchRequest req, final FetchWriter writer,
        final FetchCallback cb, final boolean upstream)
    {
        if (s.closed || s.requests.containsKey(requestId))
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "session closed or request ID in use");
            return;
        }
        if (upstream && !s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return;
        }
        s.requests.values().removeIf(SessionRequest::finished);
        if (s.requests.size() >= config.sessionMaxRequests())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "too many requests on this session");
            return;
        }
        final Track t;
        final Location start;
        final long endGroup;
        final long endObject;
        final Location okEnd;
        final long committed;
        if (req.type() == FetchRequest.Type.STANDALONE)
        {
            t = tracks.get(req.track());
            if (t == null)
            {
                if (upstream && fetchUpstream(s, requestId, null, req.track(), req.start(), req.end(), req, writer, cb))
                {
                    return;
                }
                if (!matchingPublishers(req.track().namespace()).isEmpty())
                {
                    cb.error(RequestErrorCode.NOT_SUPPORTED, "track not cached and no publisher serves FETCH");
                }
                else
                {
                    cb.error(RequestErrorCode.DOES_NOT_EXIST, "no track " + req.track());
                }
                return;
            }
            committed = t.log.committed();
            final Location largest = t.largest();
            if (largest == null)
            {
                if (!upstream ||
                    !fetchUpstream(s, requestId, t, req.track(), req.start(), req.end(), req, writer, cb))
                {
                    cb.error(RequestErrorCode.INVALID_RANGE, "no objects published");
                }
                return;
            }
            start = req.start();
            if (start.compareTo(largest) > 0)
            {
                cb.error(RequestErrorCode.INVALID_RANGE, "start " + start + " beyond largest " + largest);
                return;
            }
            final Location reqEnd = req.end();
            final boolean wholeGroup = reqEnd.object() == 0;
            final Location inclusiveEnd = wholeGroup ? new Location(reqEnd.group(), -1) :
                new Location(reqEnd.group(), reqEnd.object() - 1);
            if (Long.compareUnsigned(reqEnd.group(), start.group()) < 0 ||
                (!wholeGroup && inclusiveEnd.compareTo(start) < 0))
            {
                cb.error(RequestErrorCode.INVALID_RANGE, "end before start");
                return;
            }
            if (inclusiveEnd.compareTo(largest) > 0)
            {
                endGroup = largest.group();
                endObject = largest.object();
                okEnd = new Location(largest.group(), largest.object() + 1);
            }
            else
            {
                endGroup = inclusiveEnd.group();
                endObject = wholeGroup ? FetchDelivery.WHOLE_GROUP : inclusiveEnd.object();
                okEnd = reqEnd;
            }
            if (upstream && !cacheHolds(t, start) &&
                (fetched.serve(s, requestId, t, start, reqEnd, req, writer, cb) ||
                    fetchUpstream(s, requestId, t, req.track(), start, reqEnd, req, writer, cb)))
            {
                return;
            }
        }
        else
        {
            final SessionRequest r = s.requests.get(req.joiningRequestId());
            final PendingSubscribe p = r == null ? null : r.pendingSubscribe();
            final DownstreamSubscription ds = r == null ? null : r.subscription();
            if (p != null)
            {
                final PendingFetch f = new PendingFetch(requestId, req, writer, cb, p);
                p.joiningFetches.add(f);
                s.requests.put(requestId, f);
                return;
            }
            if (ds == null)
            {
                cb.error(RequestErrorCode.INVALID_JOINING_REQUEST_ID,
                    "no established subscription " + req.joiningRequestId());
                return;
            }
            if (!ds.forward)
            {
                cb.error(RequestErrorCode.INVALID_RANGE, "joined subscription has Forward=0");
                return;
            }
            final Location j = ds.joiningLocation;
            if (j == null)
            {
                cb.error(RequestErrorCode.INVALID_RANGE, "no objects published");
                return;
            }
            t = ds.track;
            committed = t.log.committed();
            final long startGroup;
            if (req.type() == FetchRequest.Type.RELATIVE_JOINING)
            {
                startGroup = Long.compareUnsigned(req.joiningStart(), j.group()) > 0 ? 0 : j.group() - req.joiningStart();
            }
            else
            {
                if (Long.compareUnsigned(req.joiningStart(), j.group()) > 0)
                {
                    cb.error(RequestErrorCode.INVALID_RANGE, "joining start beyond the joining location");
                    return;
                }
                startGroup = req.joiningStart();
            }
            start = new Location(startGroup, 0);
            endGroup = j.group();
            endObject = j.object();
            okEnd = new Location(j.group(), j.object() + 1);
            // A joining FETCH the cache cannot serve goes upstream as a standalone one of the same range.
            if (upstream && !cacheHolds(t, start) &&
                (fetched.serve(s, requestId, t, start, okEnd, req, writer, cb) ||
                    fetchUpstream(s, requestId, t, t.name, start, okEnd, req, writer, cb)))
            {
                return;
            }
        }
        final Location largest = t.largest();
        final boolean endOfTrack = t.ended && largest != null &&
            okEnd.compareTo(new Location(largest.group(), largest.object() + 1)) >= 0;
        final EgressLoop loop = s.loop;
        if (!loop.hasCommandRoom())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "egress loop " + loop.index() + " is overloaded");
            return;
        }
        final FetchDelivery d = new FetchDelivery(s.egress, t.log, t.id, t.log.cacheStart(), committed,
            start.group(), start.object(), endGroup, endObject, req.subscriberPriority(),
            req.groupOrder() == GroupOrder.DESCENDING, writer);
        d.objectFilter(req.objectFilter());
        s.requests.put(requestId, new FetchHandle(s, requestId, d));
        cb.ok(endOfTrack, okEnd, t.properties);
        loop.execute(() -> loop.add(d));
    }

    /**
     * Whether the cache holds the fetch range from {@code start}: its oldest cached object is at or before it. Objects
     * from there on are all in the cache (the relay was subscribed meanwhile); older ones only a publisher has.
     */
    private static boolean cacheHolds(final Track t, final Location start)
    {
        final TrackLog log = t.log;
        log.lock();
        try
        {
            final long committed = log.committed();
            for (long p = log.cacheStart(); p < committed; )
            {
                final org.agrona.concurrent.UnsafeBuffer b = log.buffer(p);
                final int off = log.offset(p);
                if (TrackLog.type(b, off) == TrackLog.TYPE_OBJECT)
                {
                    return new Location(TrackLog.group(b, off), TrackLog.object(b, off)).compareTo(start) <= 0;
                }
                p += TrackLog.length(b, off);
            }
            return false;
        }
        finally
        {
            log.unlock();
        }
    }

    /**
     * Upstream FETCH (docs/engine.md "Upstream FETCH"): the whole range {@code [start, end)} is asked of a publisher of
     * the track (one with an established subscription to it first, then the publishers of its namespace) that serves
     * {@code s}; its answer and objects are relayed to {@code writer}. False if no publisher takes it.
     */
    private boolean fetchUpstream(final Session s, final long requestId, final Track t, final FullTrackName name,
        final Location start, final Location end, final FetchRequest req, final FetchWriter writer,
        final FetchCallback cb)
    {
        final List<Publisher> candidates = new ArrayList<>();
        if (t != null)
        {
            for (final UpstreamSubscription u : t.upstreams)
            {
                if (u.state == UpstreamSubscription.State.ESTABLISHED && u.session != s && u.publisher.serves(s) &&
                    !candidates.contains(u.publisher))
                {
                    candidates.add(u.publisher);
                }
            }
        }
        for (final NamespaceRegistration r : matchingPublishers(name.namespace(), s))
        {
            if (r.session != s && !candidates.contains(r.publisher))
            {
                candidates.add(r.publisher);
            }
        }
        if (candidates.isEmpty())
        {
            return false;
        }
        final boolean descending = req.groupOrder() == GroupOrder.DESCENDING;
        if (descending)
        {
            // MoQT upstream FETCH is ascending; only publishers asked group by group (moq-lite) serve a descending
            // one, else it is served from the cache (docs/engine.md)
            candidates.removeIf(p -> !p.fetchesDescending());
            if (candidates.isEmpty())
            {
                return false;
            }
        }
        // A publisher that refuses leaves the cache to serve what it holds, if anything.
        final boolean cached = t != null && t.largest() != null;
        // A descending answer is not kept: kept ranges are replayed in ascending order.
        final UpstreamFetch f = new UpstreamFetch(this, s, requestId, name, start, end, req, cb, writer,
            config.subscriberBacklogBytes(), cached ? () -> fetch(s, requestId, req, writer, cb, false) : null,
            descending ? null : fetched.record(t), t, t != null && t.hasEstablishedUpstream() ? t.largest() : null,
            config.fetchUpstreamMaxGroups());
        s.requests.put(requestId, f);
        for (final Publisher p : candidates)
        {
            if (p.fetch(f))
            {
                return true;
            }
        }
        s.requests.remove(requestId, f);
        return false;
    }

    synchronized void trackStatus(final Session s, final FullTrackName name, final TrackStatusCallback cb)
    {
        if (!s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return;
        }
        final Track t = tracks.get(name);
        if (t != null)
        {
            final Location largest = t.largest();
            if (largest != null || t.hasEstablishedUpstream())
            {
                cb.ok(largest, t.ended, t.properties);
                return;
            }
        }
        final List<NamespaceRegistration> publishers = matchingPublishers(name.namespace(), s);
        for (final NamespaceRegistration reg : publishers)
        {
            if (reg.publisher.trackStatus(name, s, cb))
            {
                return; // answered by that publisher (a cluster peer relay)
            }
        }
        if (!publishers.isEmpty())
        {
            cb.error(RequestErrorCode.NOT_SUPPORTED, "track not known here; upstream TRACK_STATUS not implemented");
            return;
        }
        cb.error(RequestErrorCode.DOES_NOT_EXIST, "no track " + name);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Namespace discovery

    synchronized void subscribeNamespace(
        final Session s, final long requestId, final TrackNamespace prefix, final NamespaceListener listener,
        final RequestCallback cb)
    {
        if (!admitPrefixRequest(s, requestId, prefix, namespaceSubscriptions, cb))
        {
            return;
        }
        final NamespaceSubscription sub = new NamespaceSubscription(s, requestId, prefix, listener);
        namespaceSubscriptions.add(sub);
        s.requests.put(requestId, sub);
        s.namespaceRegistrations++;
        cb.ok();
        for (final TrackNamespace ns : new ArrayList<>(publishedNamespaces.keySet()))
        {
            if (ns.startsWith(prefix) && publishersOf(ns, s) > 0)
            {
                listener.namespace(ns.suffixAfter(prefix));
            }
        }
        discoverUpstream(sub, false);
    }

    /**
     * Asks the static upstreams that serve {@code sub}'s session ({@link Publisher#discover}) for what it subscribes to;
     * what they answer comes back as namespaces and tracks they publish here. Ended with {@code sub}.
     */
    private void discoverUpstream(final PrefixSubscription sub, final boolean tracks)
    {
        List<Runnable> ends = null;
        for (final NamespaceRegistration r : new ArrayList<>(registrations))
        {
            if (r.publisher.fallback() && r.session != sub.session() && r.publisher.serves(sub.session()) &&
                (sub.prefix().startsWith(r.namespace) || r.namespace.startsWith(sub.prefix())))
            {
                final Runnable end = r.publisher.discover(sub.session(), sub.prefix(), tracks);
                if (end != null)
                {
                    if (ends == null)
                    {
                        ends = new ArrayList<>(1);
                    }
                    ends.add(end);
                }
            }
        }
        if (ends != null)
        {
            discoveries.put(sub, ends);
        }
    }

    private void endDiscoveries(final PrefixSubscription sub)
    {
        final List<Runnable> ends = discoveries.remove(sub);
        if (ends != null)
        {
            ends.forEach(Runnable::run);
        }
    }

    /**
     * Checks a SUBSCRIBE_NAMESPACE or SUBSCRIBE_TRACKS before it is registered: a live session, a free request id, the
     * session's namespace-request bound, and no overlap with the same session's requests of that kind. Answers
     * {@code cb.error} and returns false if it is refused.
     */
    private boolean admitPrefixRequest(
        final Session s, final long requestId, final TrackNamespace prefix,
        final List<? extends PrefixSubscription> existing, final RequestCallback cb)
    {
        if (s.closed || s.requests.containsKey(requestId))
        {
            cb.error(RequestErrorCode.INTERNAL_ERROR, "session closed or request ID in use");
            return false;
        }
        if (!s.requestRate.tryAcquire(System.nanoTime()))
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, REQUEST_RATE_EXCEEDED);
            return false;
        }
        if (!s.internal && s.namespaceRegistrations >= config.sessionMaxNamespaces())
        {
            cb.error(RequestErrorCode.EXCESSIVE_LOAD, "too many namespace requests on this session");
            return false;
        }
        for (final PrefixSubscription other : existing)
        {
            if (other.session() == s && (prefix.startsWith(other.prefix()) || other.prefix().startsWith(prefix)))
            {
                cb.error(RequestErrorCode.PREFIX_OVERLAP, "overlaps " + other.prefix());
                return false;
            }
        }
        return true;
    }

    synchronized void subscribeTracks(
        final Session s, final long requestId, final TrackNamespace prefix, final TrackListener listener,
        final RequestCallback cb)
    {
        if (!admitPrefixRequest(s, requestId, prefix, tracksSubscriptions, cb))
        {
            return;
        }
        final TracksSubscription sub = new TracksSubscription(s, requestId, prefix, listener);
        tracksSubscriptions.add(sub);
        s.requests.put(requestId, sub);
        s.namespaceRegistrations++;
        cb.ok();
        for (final Track t : new ArrayList<>(tracks.values()))
        {
            if (t.hasPublishedUpstream() && t.name.namespace().startsWith(prefix) && offeredTo(t, s))
            {
                listener.track(t.name, t.largest(), t.properties);
            }
        }
        discoverUpstream(sub, true);
    }

    /** Whether a session other than {@code s} publishes {@code t} with a publisher that serves {@code s}. */
    private static boolean offeredTo(final Track t, final Session s)
    {
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (u.published && u.session != s && u.publisher.serves(s))
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Cancellation and lifecycle

    synchronized void cancel(final Session s, final long requestId)
    {
        final SessionRequest r = s.requests.remove(requestId);
        if (r != null)
        {
            r.cancel(this);
        }
    }

    /** Ends an established subscription its subscriber cancelled; the track's upstreams go when none is left. */
    private void cancelSubscription(final DownstreamSubscription ds)
    {
        final Track t = ds.track;
        t.downstreams.remove(ds);
        final EgressLoop loop = ds.session.loop;
        final SubscriptionDelivery d = ds.delivery;
        if (!loop.execute(() -> loop.cancel(d)))
        {
            LOG.warn("egress loop {} command queue full: cancel of {} delayed to next command", loop.index(),
                t.name);
        }
        if (t.downstreams.isEmpty() && t.waiting.isEmpty())
        {
            releaseUpstreams(t);
        }
    }

    synchronized void closeSession(final Session s)
    {
        if (s.closed)
        {
            return;
        }
        for (final Long id : new ArrayList<>(s.requests.keySet()))
        {
            final SessionRequest r = s.requests.get(id);
            if (r != null && !r.published())
            {
                cancel(s, id);
            }
        }
        for (final UpstreamSubscription up : new ArrayList<>(s.upstreamLinks))
        {
            upstreamDone(up, PublishDoneStatus.TRACK_ENDED, "publisher session closed", StreamResetCode.SESSION_CLOSED);
        }
        s.requests.clear();
        s.closed = true;
        observer.sessionClosed(s);
    }

    /**
     * The engine's timer, to call periodically from any thread (e.g. every 100 ms on one event loop): answers held
     * SUBSCRIBEs whose rendezvous timeout passed with DOES_NOT_EXIST, and frees the cache of every track idle for the
     * configured time (no subscriber, fetch or new object); a track with no publisher left is forgotten.
     * Returns how many tracks were freed.
     */
    public synchronized int expireIdle(final long nowNanos)
    {
        for (final Rendezvous rv : new ArrayList<>(rendezvous))
        {
            if (nowNanos - rv.deadlineNanos >= 0)
            {
                rendezvous.remove(rv);
                rv.session.requests.remove(rv.requestId);
                rv.callback.error(RequestErrorCode.DOES_NOT_EXIST, "no publisher for " + rv.name +
                    " within the rendezvous timeout");
            }
        }
        final long timeout = config.trackIdleTimeout().toNanos();
        int freed = 0;
        for (final Track t : new ArrayList<>(tracks.values()))
        {
            if (!t.downstreams.isEmpty() || !t.waiting.isEmpty() || t.log.hasHolders())
            {
                continue;
            }
            final long last = Math.max(t.idleSinceNanos, t.ingest.lastIngestNanos);
            if (nowNanos - last < timeout)
            {
                continue;
            }
            if (t.log.segmentsInUse() > 0 || t.upstreams.isEmpty())
            {
                final boolean done;
                t.log.lock();
                try
                {
                    done = t.log.freeAll();
                }
                finally
                {
                    t.log.unlock();
                }
                if (!done)
                {
                    continue; // a fetch started reading it meanwhile: try again on a later tick
                }
                fetched.clear(t);
                freed++;
            }
            if (t.upstreams.isEmpty())
            {
                retiredObjectsIn += t.ingest.objectsIn();
                retiredBytesIn += t.ingest.bytesIn();
                tracks.remove(t.name);
                fetched.clear(t);
                t.creator.tracksCreated--;
            }
        }
        return freed;
    }

    /** Several established publishers of one track: their copies of each object are forwarded once. */
    private static void updateDeduplication(final Track t)
    {
        int established = 0;
        for (final UpstreamSubscription u : t.upstreams)
        {
            if (u.state == UpstreamSubscription.State.ESTABLISHED)
            {
                established++;
            }
        }
        t.ingest.deduplicate = established > 1;
    }

    private static Location max(final Location a, final Location b)
    {
        if (a == null)
        {
            return b;
        }
        if (b == null)
        {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public void close()
    {
        for (final EgressLoop loop : loops)
        {
            loop.close();
        }
    }
}
