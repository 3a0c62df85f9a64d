package moq.relay.session;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import moq.relay.auth.Authorizer;
import moq.relay.auth.NoAuth;
import moq.relay.auth.TokenAuthorizer;
import moq.relay.engine.Relay;
import moq.relay.engine.Session;
import moq.relay.session.lite.LiteSession;
import moq.relay.session.lite.LiteSessions;
import moq.relay.session.lite.LiteSettings;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.PathQuery;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.session.SessionFactory;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.webtransport.WebTransportSession;
import moq.relay.transport.webtransport.WebTransportSessionFactory;
import moq.relay.transport.webtransport.WebTransportSettings;

/**
 * The MoQT session layer of one relay: session factories for raw QUIC draft-18 ({@code moqt-18}), draft-20
 * ({@code moqt-20}), draft-14 ({@code moq-00}) and moq-lite ({@code moq-lite-04}, {@code moq-lite-03}:
 * {@link LiteSessions}), and the WebTransport application for {@code h3} (whose {@code wt-protocol} picks the same),
 * that bind each session to the engine, on the
 * egress loop its event loop owns.
 * Call {@link #bindEventLoops} once the server has started, so every egress loop has an owner that polls it.
 */
public final class MoqtSessions
{
    private final Relay relay;
    private final EgressLoops loops;
    private final SessionSettings settings;
    private final LiteSessions lite;
    /** Told why each refused WebTransport CONNECT was refused (metrics). */
    private final java.util.function.Consumer<String> connectRefusals;
    /** {@code moq.relay.session.stream.starts.per.turn} (raw QUIC sessions). */
    private final int streamStartsPerTurn;
    /** Draft 20 with this relay's {@code moq.relay.session.max.filter.ranges}. */
    private final Draft20Dialect draft20;

    /**
     * With the configuration's authorization ({@code moq.relay.auth.*}: {@link NoAuth} unless enabled).
     *
     * @throws UncheckedIOException when the configured keys cannot be read
     */
    public MoqtSessions(final Relay relay)
    {
        this(relay, authorizerOf(relay));
    }

    /**
     * With {@code authorizer} deciding every session and request (an embedding application's hook; the token scheme
     * is {@link TokenAuthorizer#fromConfiguration}).
     */
    public MoqtSessions(final Relay relay, final Authorizer authorizer)
    {
        this(relay, authorizer, reason -> { });
    }

    /** As above, each refusal's failure told to {@code authRefusals} (e.g. {@code RelayMetrics::authRefused}). */
    public MoqtSessions(final Relay relay, final Authorizer authorizer,
        final java.util.function.Consumer<String> authRefusals)
    {
        this(relay, authorizer, authRefusals, reason -> { });
    }

    /** As above, each refused WebTransport CONNECT's reason told to {@code connectRefusals}. */
    public MoqtSessions(final Relay relay, final Authorizer authorizer,
        final java.util.function.Consumer<String> authRefusals,
        final java.util.function.Consumer<String> connectRefusals)
    {
        this.relay = relay;
        this.connectRefusals = connectRefusals;
        this.loops = new EgressLoops(relay);
        this.settings = SessionSettings.from(relay.configuration(), authorizer, authRefusals);
        this.streamStartsPerTurn = relay.configuration().sessionStreamStartsPerTurn();
        this.draft20 = Draft20Dialect.withMaxFilterRanges(relay.configuration().sessionMaxFilterRanges());
        // moq-lite sessions consult the same authorizer (docs/auth.md, "moq-lite"): the URL's jwt, announce and
        // subscribe scoped by the grants.
        this.lite = new LiteSessions(new LiteSettings(settings.maxGatheredBytes(), settings.maxControlBytes(),
            settings.controlBytes(), settings.publishDoneGraceMillis(), relay.configuration().liteMaxBroadcasts(),
            authorizer, settings.webTransportPath(), settings.maxAuthTokenBytes(), authRefusals,
            settings.setupTimeoutMillis()));
    }

    private static Authorizer authorizerOf(final Relay relay)
    {
        try
        {
            return TokenAuthorizer.fromConfiguration(relay.configuration());
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot load moq.relay.auth.keys: " + e.getMessage(), e);
        }
    }

    /**
     * Registers the raw-QUIC drafts' factories and WebTransport over HTTP/3, whose sessions run the same MoQT
     * session code: draft-18 or draft-20 when the session negotiated {@code wt-protocol: moqt-18} or {@code moqt-20},
     * draft-14 (CLIENT_SETUP version
     * negotiation) when it negotiated none.
     */
    public SessionFactories.Builder register(final SessionFactories.Builder builder)
    {
        final WebTransportSettings webTransport = WebTransportSettings.from(relay.configuration());
        for (final LiteVersion version : LiteSessions.SERVED)
        {
            builder.register(version.alpn(), lite(version));
        }
        return builder.register(SessionFactories.MOQT_18, requestStreams(Draft18Dialect.INSTANCE, "d18"))
            .register(SessionFactories.MOQT_20, requestStreams(draft20, "d20"))
            .register(SessionFactories.MOQ_00, draft14())
            .register(SessionFactories.H3, new WebTransportSessionFactory(webTransport, this::webTransportSessionOpened,
                connectRefusals));
    }

    private MoqTransport.Listener webTransportSessionOpened(final WebTransportSession transport)
    {
        final RequestStreamDialect dialect = SessionFactories.MOQT_18.equals(transport.protocol()) ?
            Draft18Dialect.INSTANCE : SessionFactories.MOQT_20.equals(transport.protocol()) ? draft20 :
            null;
        final boolean isLite = LiteVersion.ofAlpn(transport.protocol()) != null;
        // The session's name is logged: the path without its query, which may hold a token.
        final Session engineSession = relay.openSession("wt " + transport.peerAddress() + " " +
            PathQuery.withoutQuery(transport.path()), loops.indexFor(transport.eventLoop()), isLite ? transport.protocol() :
            dialect != null ? "draft-" + dialect.draft().number() : "draft-14", "webtransport");
        if (isLite)
        {
            return lite.open(transport, engineSession, transport.path());
        }
        if (dialect != null)
        {
            final RequestStreamSession session = new RequestStreamSession(transport, engineSession, settings,
                dialect);
            session.connectPath(transport.path());
            session.start();
            return session;
        }
        final ControlStreamSession session = new ControlStreamSession(transport, engineSession, settings,
            Draft14Dialect.INSTANCE);
        session.connectPath(transport.path());
        session.start();
        return session;
    }

    /** Gives every egress loop an owner among the server's event loops (see {@code RelayServer.eventLoops()}). */
    public void bindEventLoops(final List<EventLoop> eventLoops)
    {
        loops.bindAll(eventLoops);
    }

    public Relay relay()
    {
        return relay;
    }

    SessionFactory requestStreams(final RequestStreamDialect dialect, final String name)
    {
        return connection ->
        {
            final QuicMoqTransport transport = new QuicMoqTransport(connection, dialect.draft().alpn(),
                settings.maxPendingStreams(), streamStartsPerTurn);
            final RequestStreamSession session = new RequestStreamSession(transport,
                openEngineSession(connection, name), settings, dialect);
            transport.listener(session);
            connection.pipeline().addLast(transport);
            session.start();
            return session;
        };
    }

    SessionFactory draft14()
    {
        return connection ->
        {
            final QuicMoqTransport transport = new QuicMoqTransport(connection, SessionFactories.MOQ_00,
                settings.maxPendingStreams(), streamStartsPerTurn);
            final ControlStreamSession session = new ControlStreamSession(transport, openEngineSession(connection, "d14"),
                settings, Draft14Dialect.INSTANCE);
            transport.listener(session);
            connection.pipeline().addLast(transport);
            session.start();
            return session;
        };
    }

    /** Raw QUIC moq-lite ({@code moq-lite-04}, {@code moq-lite-03}): no SETUP, the session is live at once. */
    SessionFactory lite(final LiteVersion version)
    {
        return connection ->
        {
            final QuicMoqTransport transport = new QuicMoqTransport(connection, version.alpn(),
                settings.maxPendingStreams(), streamStartsPerTurn);
            final LiteSession session = lite.session(transport, openEngineSession(connection, version.alpn()));
            transport.listener(session);
            connection.pipeline().addLast(transport);
            session.start();
            return session;
        };
    }

    private Session openEngineSession(final QuicChannel connection, final String draft)
    {
        return relay.openSession(draft + " " + connection.remoteSocketAddress(),
            loops.indexFor(connection.eventLoop()),
            draft.startsWith("d") ? "draft-" + draft.substring(1) : draft, "quic");
    }
}
