package moq.relay.metrics;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import moq.relay.engine.Relay;
import moq.relay.engine.RelayObserver;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.Session;
import moq.relay.fanout.EgressCounters;
import moq.relay.fanout.EgressLoop;
import moq.relay.transport.server.ConnectionEvents;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * The relay's Prometheus metrics, in a registry of its own (what {@code /metrics} serves; names and meanings in the
 * README's metrics table).
 *
 * <p>Two kinds. The data plane is never instrumented per object here: its counters are the engine's own plain
 * fields (per-track ingest counters written under the track's lock, per-egress-loop counters written by the loop's
 * thread), which callback metrics read at scrape time; so forwarding an object allocates nothing and contends on
 * nothing more than before. Control-plane events (sessions, setups, requests, handshakes, auth refusals) are rare
 * and increment Prometheus counters directly, through the {@link RelayObserver} and {@link ConnectionEvents} hooks
 * this class implements.
 *
 * <p>Threading: event methods may be called from any thread; scrapes run on the admin listener's thread.
 */
public final class RelayMetrics implements RelayObserver, ConnectionEvents
{

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Relay relay;
    private final Counter sessionsOpened;
    private final Gauge sessions;
    private final Counter setupsFailed;
    private final Counter handshakesFailed;
    private final Counter connectionsRefused;
    private final Counter handshakesStarted;
    private final Counter initialsDropped;
    private final Counter initialsRefusedWithClose;
    private final Counter requests;
    private final Counter authRefusals;
    private final Counter webTransportRefusals;
    private volatile BooleanSupplier ready = () -> false;
    private volatile IntSupplier connections = () -> 0;

    public RelayMetrics(final Relay relay)
    {
        this.relay = relay;
        sessionsOpened = Counter.builder().name("moq_relay_sessions_opened")
            .help("MoQT sessions opened, by draft and transport (quic or webtransport)")
            .labelNames("draft", "transport").register(registry);
        sessions = Gauge.builder().name("moq_relay_sessions")
            .help("MoQT sessions open now, by draft and transport").labelNames("draft", "transport").register(registry);
        setupsFailed = Counter.builder().name("moq_relay_setups_failed")
            .help("MoQT sessions that ended before their SETUP completed, by reason (the session error, " +
                "closed_before_setup, or setup_timeout for an HTTP/3 connection that opened no session)")
            .labelNames("reason").register(registry);
        handshakesFailed = Counter.builder().name("moq_relay_handshakes_failed")
            .help("QUIC handshakes that failed, by reason (tls, timeout)").labelNames("reason").register(registry);
        connectionsRefused = Counter.builder().name("moq_relay_connections_refused")
            .help("QUIC connections refused before carrying a session, by reason").labelNames("reason")
            .register(registry);
        handshakesStarted = Counter.builder().name("moq_relay_handshakes_started")
            .help("QUIC connections created from a client's first Initial packet: TLS handshakes the relay paid for")
            .register(registry);
        initialsDropped = Counter.builder().name("moq_relay_initials_dropped")
            .help("QUIC Initial packets that would have created a connection, dropped before the handshake, by reason")
            .labelNames("reason").register(registry);
        initialsRefusedWithClose = Counter.builder().name("moq_relay_initials_refused_with_close")
            .help("Dropped QUIC Initial packets answered with a stateless CONNECTION_CLOSE (CONNECTION_REFUSED)")
            .register(registry);
        requests = Counter.builder().name("moq_relay_requests")
            .help("Requests answered, by type and outcome (ok, or the draft-18 request error name)")
            .labelNames("type", "outcome").register(registry);
        authRefusals = Counter.builder().name("moq_relay_auth_refusals")
            .help("Sessions and requests refused by authorization, by reason").labelNames("reason")
            .register(registry);

        webTransportRefusals = Counter.builder().name("moq_relay_webtransport_refused")
            .help("WebTransport CONNECT requests refused, by reason (path 404, not_webtransport 405, origin 403, " +
                "session_limit and too_many_early_connects 429)").labelNames("reason").register(registry);

        gauge("moq_relay_connections", "QUIC connections held, handshaking ones included", () -> connections.getAsInt());
        gauge("moq_relay_ready", "1 while the relay is listening and not draining, else 0",
            () -> ready.getAsBoolean() ? 1 : 0);
        gauge("moq_relay_tracks", "Tracks the relay holds (idle ones included)", () -> stats().tracks());
        gauge("moq_relay_publishers", "Established publishers: (track, publishing session) pairs",
            () -> stats().publishers());
        gauge("moq_relay_subscriptions", "Downstream subscriptions established", () -> stats().subscriptions());
        counter("moq_relay_objects_received",
            "Objects stored from publishers (stream and datagram objects; End of Group and other status objects not "
                + "counted)",
            () -> stats().objectsIn());
        counter("moq_relay_payload_bytes_received", "Payload bytes of the objects received",
            () -> stats().bytesIn());
        counter("moq_relay_objects_sent",
            "Objects written to subscribers (subscriptions and fetches; End of Group and other status objects not "
                + "counted)",
            () -> sumLoops(EgressCounters::objectsOut));
        counter("moq_relay_payload_bytes_sent", "Payload bytes of the objects sent",
            () -> sumLoops(EgressCounters::bytesOut));
        counter("moq_relay_subscribers_too_far_behind",
            "Subscriptions reset as too far behind (TOO_FAR_BEHIND) and moved on to the next group",
            () -> sumLoops(EgressCounters::tooFarBehindResets));
        counter("moq_relay_idle_subgroups_reset",
            "Subgroup streams with nothing left to send reset (EXCESSIVE_LOAD) to make room for a new subgroup of the " +
                "same subscription (moq.relay.subscriber.max.open.subgroups); objects they had not sent are lost",
            () -> sumLoops(EgressCounters::idleSubgroupsReset));
        counter("moq_relay_subgroups_skipped",
            "Subgroup streams given up while waiting for the subscriber's stream credit (superseded by a newer group " +
                "of the subscription, or refused at the session's bound of waiting opens); never opened",
            () -> sumLoops(EgressCounters::subgroupsSkipped));
        counter("moq_relay_object_properties_converted",
            "Objects whose properties were converted for a subscriber of another draft (draft 14 against 18 and 20)",
            () -> sumLoops(EgressCounters::propertiesConverted));
        counter("moq_relay_object_properties_dropped",
            "Objects sent without their properties: converted for the subscriber's draft, they exceeded " +
                "moq.relay.egress.properties.conversion.bytes",
            () -> sumLoops(EgressCounters::propertiesDropped));
        counter("moq_relay_object_property_pairs_dropped",
            "Property pairs left out of converted blocks because the subscriber's draft cannot carry them",
            () -> sumLoops(EgressCounters::propertyPairsDropped));
        counter("moq_relay_subscribers_too_late",
            "Of those, the ones reset because an object they held up waited past moq.relay.subscriber.backlog.max.delay",
            () -> sumLoops(EgressCounters::tooLateResets));
        counter("moq_relay_objects_delivery_timed_out",
            "Objects not sent to a subscriber because their OBJECT_DELIVERY_TIMEOUT (draft 20) had passed",
            () -> sumLoops(EgressCounters::objectsTimedOut));
        counter("moq_relay_ring_full_pumps",
            "Tracks an egress loop pumped from the log because the ring was full (some loop behind; ingest never waits)",
            () -> sumLoops(EgressCounters::missedPumps));
        CounterWithCallback.builder().name("moq_relay_datagrams_dropped")
            .help("Object datagrams dropped: in = received for an unknown track or too large, out = larger than the " +
                "subscriber's datagram size or not expressible in its draft")
            .labelNames("direction")
            .callback(cb ->
            {
                cb.call(relay.datagramsDroppedIn(), "in");
                cb.call(sumLoops(EgressCounters::datagramsDropped), "out");
            })
            .register(registry);
        counter("moq_relay_objects_dropped",
            "Objects the ingest refused (store exhausted or object too large); each ends its subscription",
            () -> relay.droppedObjects());
        gauge("moq_relay_store_in_use_bytes", "Off-heap bytes of the track logs (the caches) in use",
            () -> relay.store().inUseBytes());
        gauge("moq_relay_store_allocated_bytes", "Off-heap bytes the store has allocated (in use and pooled)",
            () -> relay.store().allocatedBytes());
        gauge("moq_relay_store_limit_bytes", "The store's bound (moq.relay.store.max.bytes)",
            () -> relay.store().maxBytes());
        gauge("moq_relay_ingest_buffered_bytes",
            "Bytes publisher streams hold before objects reach a log (gathered payloads, split headers)",
            () -> relay.streamBuffers().usedBytes());
        gauge("moq_relay_fetch_cache_bytes",
            "Bytes of upstream FETCH answers kept for later FETCHes (moq.relay.fetch.cache.max.bytes)",
            relay::fetchCacheBytes);
        counter("moq_relay_fetch_cache_hits", "FETCHes answered from kept upstream FETCH answers, not upstream",
            relay::fetchCacheHits);
        gauge("moq_relay_ring_occupied_slots", "Disruptor ring slots not yet consumed by every egress loop",
            relay::ringOccupancy);
        gauge("moq_relay_ring_slots", "Disruptor ring size (moq.relay.ring.size)", relay::ringSize);
        perLoop("moq_relay_egress_ring_lag", "Ring events this egress loop has not consumed yet",
            EgressLoop::ringLag);
        perLoop("moq_relay_egress_backlog_sessions", "Sessions with a backlog this egress loop is serving",
            l -> l.counters().backlogSessions());
        perLoop("moq_relay_egress_objects_in_transport", "Objects handed to subscribers' streams whose bytes QUIC has "
            + "not taken yet (waiting in the stream channels)", l -> l.counters().objectsInTransport());
        perLoop("moq_relay_egress_commands_queued", "Control commands queued for this egress loop",
            EgressLoop::commandQueueSize);
        JvmMetrics.builder().register(registry);
    }

    /** What {@code /metrics} serves. */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /** Where the connection count and the readiness come from (the running server). */
    public void bindServer(final IntSupplier connections, final BooleanSupplier ready)
    {
        this.connections = connections;
        this.ready = ready;
    }

    /** The authorization hook refused a session or request ({@code reason}: a short label, never a token). */
    public void authRefused(final String reason)
    {
        authRefusals.labelValues(reason).inc();
    }

    /** A WebTransport CONNECT was refused ({@code reason}: a short label). */
    public void webTransportRefused(final String reason)
    {
        webTransportRefusals.labelValues(reason).inc();
    }

    // ---- RelayObserver: control-plane events of the engine

    @Override
    public void sessionOpened(final Session session)
    {
        sessionsOpened.labelValues(label(session.draft()), label(session.transport())).inc();
        sessions.labelValues(label(session.draft()), label(session.transport())).inc();
    }

    @Override
    public void sessionClosed(final Session session)
    {
        sessions.labelValues(label(session.draft()), label(session.transport())).dec();
    }

    @Override
    public void setupFailed(final Session session, final String reason)
    {
        setupsFailed.labelValues(reason).inc();
    }

    @Override
    public void requestAnswered(final Session session, final RequestKind kind, final TrackNamespace namespace,
        final Bytes track, final RequestErrorCode error)
    {
        requests.labelValues(kind.label(), error == null ? "ok" : error.name().toLowerCase(java.util.Locale.ROOT))
            .inc();
    }

    // ---- ConnectionEvents: before a session exists

    @Override
    public void handshakeFailed(final String reason)
    {
        handshakesFailed.labelValues(reason).inc();
    }

    @Override
    public void handshakeStarted()
    {
        handshakesStarted.inc();
    }

    @Override
    public void initialDropped(final String reason)
    {
        initialsDropped.labelValues(reason).inc();
    }

    @Override
    public void initialRefusedWithClose()
    {
        initialsRefusedWithClose.inc();
    }

    @Override
    public void refused(final String reason)
    {
        connectionsRefused.labelValues(reason).inc();
    }

    @Override
    public void setupTimedOut()
    {
        setupsFailed.labelValues("setup_timeout").inc();
    }

    /**
     * The engine's totals, read afresh for each of the five metrics that show them: a scrape every few seconds takes
     * the control lock five times, which costs nothing. (A cache kept for 100 ms served a second scrape made within
     * that time the first one's figures: a scripted run that scraped before and after 40 objects saw none arrive.)
     */
    private Relay.Stats stats()
    {
        return relay.stats();
    }

    private double sumLoops(final ToDoubleFunction<EgressCounters> counter)
    {
        double sum = 0;
        for (int i = 0; i < relay.egressLoopCount(); i++)
        {
            sum += counter.applyAsDouble(relay.egressLoop(i).counters());
        }
        return sum;
    }

    private void gauge(final String name, final String help, final java.util.function.DoubleSupplier value)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
            .register(registry);
    }

    private void counter(final String name, final String help, final java.util.function.DoubleSupplier value)
    {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
            .register(registry);
    }

    private void perLoop(final String name, final String help, final ToDoubleFunction<EgressLoop> value)
    {
        GaugeWithCallback.builder().name(name).help(help).labelNames("loop").callback(cb ->
        {
            for (int i = 0; i < relay.egressLoopCount(); i++)
            {
                final EgressLoop loop = relay.egressLoop(i);
                cb.call(value.applyAsDouble(loop), Integer.toString(loop.index()));
            }
        }).register(registry);
    }

    private static String label(final String value)
    {
        return value.isEmpty() ? "unknown" : value;
    }
}
