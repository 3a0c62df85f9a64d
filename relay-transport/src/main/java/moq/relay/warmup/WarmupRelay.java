package moq.relay.warmup;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import moq.relay.auth.NoAuth;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.Relay;
import moq.relay.engine.TrackIngest;
import moq.relay.session.MoqtSessions;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.ConnectionLimits;
import moq.relay.transport.server.RelayServer;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.tls.ServerCertificate;
import moq.relay.transport.webtransport.WebTransportSettings;

/**
 * The relay the warm-up runs through: the same code as the real one (engine, MoQT and moq-lite sessions, QUIC server,
 * the real relay's settings and certificate), but an instance of its own on an ephemeral loopback port. What it
 * carries therefore never reaches the real relay's engine (its namespaces, tracks, SUBSCRIBE_NAMESPACE answers,
 * cluster registrations), metrics or listeners, and no one outside this process can reach it; the JIT's compiled
 * code, which is per class, not per instance, is what stays.
 *
 * <p>Settings that admit or route peers (addresses, authorization, paths, connection caps, cluster, admin, dev) are
 * dropped: the warm-up's own clients must get in, and nothing else should start.
 */
final class WarmupRelay implements AutoCloseable
{
    /** Its I/O threads' name prefix: {@link WarmupLogFilter} keeps their routine log lines out of the relay's log. */
    static final String IO_THREADS = StartupWarmup.THREAD_PREFIX + "-io";

    private static final List<String> DROPPED = List.of(RelayConfiguration.PORT_PROP_NAME,
        RelayConfiguration.BIND_ADDRESS_PROP_NAME, RelayConfiguration.DEV_PROP_NAME,
        RelayConfiguration.SESSION_PATHS_PROP_NAME, RelayConfiguration.SESSION_AUTHORITIES_PROP_NAME,
        RelayConfiguration.MAX_CONNECTIONS_PROP_NAME, RelayConfiguration.MAX_CONNECTIONS_PER_ADDRESS_PROP_NAME,
        RelayConfiguration.WARMUP_DURATION_PROP_NAME);
    private static final List<String> DROPPED_PREFIXES = List.of("moq.relay.cluster.", "moq.relay.auth.",
        "moq.relay.admin.");

    private final Relay relay;
    private final RelayServer server;
    private final List<String> alpn;
    private final WebTransportSettings webTransport;

    private WarmupRelay(final Relay relay, final RelayServer server, final List<String> alpn,
        final WebTransportSettings webTransport)
    {
        this.relay = relay;
        this.server = server;
        this.alpn = alpn;
        this.webTransport = webTransport;
    }

    /** Starts it on 127.0.0.1, an ephemeral port, with {@code certificate} (the real relay's). */
    static WarmupRelay start(final Map<String, String> relaySettings, final ServerCertificate certificate)
    {
        final RelayConfiguration config = RelayConfiguration.from(settings(relaySettings));
        final ServerSettings serverSettings = ServerSettings.from(config);
        final Relay relay = new Relay(config, serverSettings.eventLoops());
        try
        {
            // No observer: the real relay's metrics, session-end log and listener never hear of these sessions.
            final MoqtSessions sessions = new MoqtSessions(relay, NoAuth.INSTANCE);
            final RelayServer server = new RelayServer(serverSettings, QuicSettings.from(config), certificate,
                sessions.register(SessionFactories.builder()).build())
                .connectionLimits(ConnectionLimits.from(config)).threadName(IO_THREADS).start();
            sessions.bindEventLoops(server.eventLoops());
            return new WarmupRelay(relay, server, serverSettings.alpn(), WebTransportSettings.from(config));
        }
        catch (final RuntimeException | Error e)
        {
            relay.close();
            throw e;
        }
    }

    static Map<String, String> settings(final Map<String, String> relaySettings)
    {
        final Map<String, String> own = new HashMap<>();
        relaySettings.forEach((name, value) ->
        {
            if (!DROPPED.contains(name) && DROPPED_PREFIXES.stream().noneMatch(name::startsWith))
            {
                own.put(name, value);
            }
        });
        own.put(RelayConfiguration.PORT_PROP_NAME, "0");
        own.put(RelayConfiguration.BIND_ADDRESS_PROP_NAME, "127.0.0.1");
        return own;
    }

    int port()
    {
        return server.localAddress().getPort();
    }

    /** The path its WebTransport sessions are served on (the real relay's). */
    String webTransportPath()
    {
        return webTransport.path();
    }

    /** The {@code wt-protocol} values it answers (the real relay's), most preferred first. */
    List<String> webTransportProtocols()
    {
        return webTransport.protocols();
    }

    /** Objects of {@code track} it refused as above {@code moq.relay.store.max.object.bytes} (0: no such track). */
    long oversized(final FullTrackName track)
    {
        final TrackIngest ingest = relay.ingestOf(track);
        return ingest == null ? 0 : ingest.oversized();
    }

    /** The ALPN protocols it offers (the real relay's), most preferred first. */
    List<String> alpn()
    {
        return alpn;
    }

    /** Closes every session at once (no GOAWAY, no drain) and frees the engine. */
    @Override
    public void close()
    {
        try
        {
            server.close();
        }
        finally
        {
            relay.close();
        }
    }
}
