package moq.relay.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.EgressSession;
import moq.relay.fanout.FetchWriter;
import moq.relay.fanout.ObjectWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * One connection's view of the engine, version neutral: the transport's per-draft session maps its control messages
 * onto these calls, and implements {@link Publisher}, {@link ObjectWriter}, {@link FetchWriter} and the callbacks.
 * <p>
 * Threading: every method may be called from any thread; control operations are serialised by the engine's control
 * lock and are rare. Data for this session's subscriptions is written from its {@link #egressLoop()}, which should be
 * the thread that owns the connection. Request IDs are the session's own (unique per session).
 */
public final class Session
{
    final Relay relay;
    final String name;
    final EgressLoop loop;
    final EgressSession egress;
    final Map<Long, SessionRequest> requests = new HashMap<>();
    final List<UpstreamSubscription> upstreamLinks = new ArrayList<>();
    int namespaceRegistrations;
    /** Tracks this session's requests created that the relay still holds (its share of the track limit). */
    int tracksCreated;
    /** New requests per second (DoS draft §4.2); guarded by the engine's control lock. */
    final RequestRate requestRate;
    boolean closed;
    private final long id;
    private final String draft;
    private final String transport;
    /** When it opened (System.nanoTime), for its duration in the session-end log. */
    private final long openedNanos = System.nanoTime();
    /** The relay's own sessions (cluster routes): no request rate or namespace bound applies. */
    final boolean internal;
    /** The advertised URL of the relay at the other end, when this session is another relay's; else null. */
    private volatile String peerRelay;
    /** Whether the session may subscribe to one track more than once ({@link #allowSeveralSubscriptionsPerTrack}). */
    volatile boolean severalSubscriptionsPerTrack;

    Session(final Relay relay, final long id, final String name, final EgressLoop loop, final String draft,
        final String transport)
    {
        this(relay, id, name, loop, draft, transport, false);
    }

    Session(final Relay relay, final long id, final String name, final EgressLoop loop, final String draft,
        final String transport, final boolean internal)
    {
        this.relay = relay;
        this.id = id;
        this.name = name;
        this.loop = loop;
        this.draft = draft;
        this.transport = transport;
        this.internal = internal;
        this.egress = loop.newSession();
        this.requestRate = internal ? new RequestRate(Integer.MAX_VALUE, Integer.MAX_VALUE, System.nanoTime()) :
            new RequestRate(relay.configuration().sessionMaxRequestRate(),
                relay.configuration().sessionRequestBurst(), System.nanoTime());
    }

    /**
     * Marks this session as another relay's (its SETUP said so; docs/cluster.md): cluster peers serve its requests
     * only off the relays it names. Call before the session's first request.
     *
     * @param advertisedUrl the relays the session's requests crossed, as the cluster package writes them (their
     *                      advertised URLs, the nearest last)
     */
    public void markPeerRelay(final String advertisedUrl)
    {
        peerRelay = advertisedUrl;
    }

    /**
     * Lets this session hold several subscriptions to one track, each with its own request id, filters, priority,
     * Forward state and delivery (draft 20: "An endpoint MAY have multiple concurrent subscriptions to the same
     * Track", draft-21 §3.1); without it a second SUBSCRIBE of a track is DUPLICATE_SUBSCRIPTION (drafts 14 and 18).
     * Call before the session's first request.
     */
    public void allowSeveralSubscriptionsPerTrack()
    {
        severalSubscriptionsPerTrack = true;
    }

    /** The relays this session's requests crossed (see {@link #markPeerRelay}), or null when not another relay's. */
    public String peerRelay()
    {
        return peerRelay;
    }

    public String name()
    {
        return name;
    }

    /** The relay-wide bound on publisher streams' buffers ({@link Relay#streamBuffers()}). */
    public MemoryBudget streamBuffers()
    {
        return relay.streamBuffers();
    }

    public EgressLoop egressLoop()
    {
        return loop;
    }

    /** The session's number, unique in its relay (1, 2, ... in opening order). */
    /**
     * The longest a draft-20 fill waits for upstream sources before it reports what they have not delivered as timed
     * out ({@code moq.relay.fill.max.wait}): used when FILL_TIMEOUT is absent, and as the cap of a larger one.
     */
    public long fillMaxWaitMillis()
    {
        return relay.configuration().fillMaxWait().toMillis();
    }

    public long id()
    {
        return id;
    }

    /**
     * The transport's hook: this session failed before its setup completed ({@code reason}: a short label such as the
     * session error's name). Reported to the {@link RelayObserver}; any thread.
     */
    public void setupFailed(final String reason)
    {
        relay.observer().setupFailed(this, reason);
    }

    /**
     * The transport's hook: the session refused a request of {@code kind} with {@code code} before it reached the
     * engine (authorization, a filter the relay does not serve, going away). Reported to the {@link RelayObserver}
     * as an answer without namespace or track, so the request counts are whole. Any thread.
     */
    public void requestRefused(final RequestKind kind, final RequestErrorCode code)
    {
        relay.observer().requestAnswered(this, kind, null, null, code);
    }

    /** The transport's hook: an object datagram the peer sent was dropped (unknown alias, too large). Any thread. */
    public void datagramDropped()
    {
        relay.datagramDroppedIn();
    }

    /** The label the transport gave the session's draft ("draft-18"), or "" (see {@link Relay#openSession}). */
    public String draft()
    {
        return draft;
    }

    /** The label the transport gave the session's transport ("quic", "webtransport"), or "". */
    public String transport()
    {
        return transport;
    }

    /** System.nanoTime() when the session opened. */
    public long openedNanos()
    {
        return openedNanos;
    }

    /** Objects written to this session's subscriptions and fetches so far (racy read). */
    public long objectsOut()
    {
        return egress.objectsOut();
    }

    /** Payload bytes of {@link #objectsOut()} (racy read). */
    public long bytesOut()
    {
        return egress.bytesOut();
    }

    /** PUBLISH_NAMESPACE: route SUBSCRIBEs for tracks under {@code namespace} to {@code publisher}. */
    public void publishNamespace(
        final long requestId, final TrackNamespace namespace, final Publisher publisher, final RequestCallback callback)
    {
        relay.publishNamespace(this, requestId, namespace, publisher,
            Observed.request(relay.observer(), this, RequestKind.PUBLISH_NAMESPACE, namespace, null, callback));
    }

    /**
     * PUBLISH: this session pushes {@code track}. Returns the established upstream subscription (its
     * {@link UpstreamSubscription#forward()} is the forward state for PUBLISH_OK; objects go to its ingest), or null
     * after {@code callback.error}. {@code callback.ok} comes first on success.
     */
    public UpstreamSubscription publish(
        final long requestId,
        final FullTrackName track,
        final List<KeyValuePair> trackProperties,
        final Location largest,
        final Publisher publisher,
        final RequestCallback callback)
    {
        return relay.publish(this, requestId, track, trackProperties, largest, publisher,
            Observed.request(relay.observer(), this, RequestKind.PUBLISH, track.namespace(), track.name(), callback));
    }

    /** SUBSCRIBE: answered through {@code callback}, objects through {@code writer} on the egress loop. */
    public void subscribe(
        final long requestId,
        final FullTrackName track,
        final SubscribeOptions options,
        final ObjectWriter writer,
        final SubscribeCallback callback)
    {
        relay.subscribe(this, requestId, track, options, writer, Observed.subscribe(relay.observer(), this, track, callback));
    }

    /** REQUEST_UPDATE of a subscription: forward state and subscriber priority. */
    public void updateSubscription(
        final long requestId, final boolean forward, final int subscriberPriority, final RequestCallback callback)
    {
        relay.updateSubscription(this, requestId, forward, subscriberPriority,
            Observed.request(relay.observer(), this, RequestKind.REQUEST_UPDATE, null, null, callback));
    }

    /**
     * REQUEST_UPDATE of a subscription that also replaces its Range Filters with {@code objectFilter} (the whole new
     * set; null: none), for the objects the egress loop has not discovered yet.
     */
    public void updateSubscription(final long requestId, final boolean forward, final int subscriberPriority,
        final moq.relay.fanout.ObjectFilter objectFilter, final RequestCallback callback)
    {
        relay.updateSubscription(this, requestId, forward, subscriberPriority, true, objectFilter,
            Observed.request(relay.observer(), this, RequestKind.REQUEST_UPDATE, null, null, callback));
    }

    /** FETCH (standalone or joining), served from the cache. */
    public void fetch(
        final long requestId, final FetchRequest request, final FetchWriter writer, final FetchCallback callback)
    {
        relay.fetch(this, requestId, request, writer, Observed.fetch(relay.observer(), this, request.track(), callback));
    }

    /**
     * A standalone FETCH served from the cache alone, never asked of a publisher (draft 20's FILL_TIMEOUT 0: "MUST NOT
     * wait for upstream delivery"); what the cache no longer holds is an End of Unknown Range to {@code writer}.
     */
    public void fetchCached(
        final long requestId, final FetchRequest request, final FetchWriter writer, final FetchCallback callback)
    {
        relay.fetch(this, requestId, request, writer, Observed.fetch(relay.observer(), this, request.track(), callback),
            false);
    }

    /** TRACK_STATUS, answered from the track's state. */
    public void trackStatus(final FullTrackName track, final TrackStatusCallback callback)
    {
        relay.trackStatus(this, track, Observed.trackStatus(relay.observer(), this, track, callback));
    }

    /** SUBSCRIBE_NAMESPACE: {@code callback.ok}, then NAMESPACE for every matching namespace, now and later. */
    public void subscribeNamespace(
        final long requestId, final TrackNamespace prefix, final NamespaceListener listener,
        final RequestCallback callback)
    {
        relay.subscribeNamespace(this, requestId, prefix, listener,
            Observed.request(relay.observer(), this, RequestKind.SUBSCRIBE_NAMESPACE, prefix, null, callback));
    }

    /** SUBSCRIBE_TRACKS: {@code callback.ok}, then every matching published track, now and later. */
    public void subscribeTracks(
        final long requestId, final TrackNamespace prefix, final TrackListener listener, final RequestCallback callback)
    {
        relay.subscribeTracks(this, requestId, prefix, listener,
            Observed.request(relay.observer(), this, RequestKind.SUBSCRIBE_TRACKS, prefix, null, callback));
    }

    /**
     * Ends request {@code requestId}: unsubscribe, cancel a fetch (or release a finished one), withdraw a published
     * namespace, end a namespace or tracks subscription, or (for a PUBLISH) end the published track.
     */
    public void cancel(final long requestId)
    {
        relay.cancel(this, requestId);
    }

    /** The connection is gone: releases everything this session held and ends what it published. */
    public void close()
    {
        relay.closeSession(this);
    }

    /**
     * True once this session kept making requests well above {@code moq.relay.session.max.request.rate} after being
     * refused (a burst's worth of refusals before its bucket refilled): the transport then closes it. Checked after
     * each new request the peer sent.
     */
    public boolean requestRateAbused()
    {
        synchronized (relay)
        {
            return requestRate.abusive();
        }
    }

    /** Requests currently held (for limits and tests). */
    public int requestCount()
    {
        synchronized (relay)
        {
            return requests.size();
        }
    }
}
