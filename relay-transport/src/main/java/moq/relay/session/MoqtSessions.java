package moq.relay.session;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.quic.QuicChannel;
import java.util.List;
import moq.relay.engine.Relay;
import moq.relay.engine.Session;
import moq.relay.session.lite.LiteSession;
import moq.relay.session.lite.LiteSessions;
import moq.relay.session.lite.LiteSettings;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.transport.session.MoqTransport;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.session.SessionFactory;
import moq.relay.transport.session.TransportSession;
import moq.relay.transport.webtransport.WebTransportSession;
import moq.relay.transport.webtransport.WebTransportSessionFactory;
import moq.relay.transport.webtransport.WebTransportSettings;

/**
 * The MoQT session layer of one relay: session factories for raw QUIC draft-18 ({@code moqt-18}), draft-14
 * ({@code moq-00}) and moq-lite ({@code moq-lite-04}, {@code moq-lite-03}: {@link LiteSessions}), and the WebTransport
 * application for {@code h3} (whose {@code wt-protocol} picks the same), that bind each session to the engine, on the
 * egress loop its event loop owns.
 * Call {@link #bindEventLoops} once the server has started, so every egress loop has an owner that polls it.
 */
public final class MoqtSessions
{
    private final Relay relay;
    private final EgressLoops loops;
    private final SessionSettings settings;
    private final LiteSessions lite;

    public MoqtSessions(final Relay relay)
    {
        this.relay = relay;
        this.loops = new EgressLoops(relay);
        this.settings = SessionSettings.from(relay.configuration());
        this.lite = new LiteSessions(new LiteSettings(settings.maxGatheredBytes(),
            settings.maxControlBytes(), settings.controlBytes(), settings.publishDoneGraceMillis(),
            LiteSettings.DEFAULT_MAX_BROADCASTS));
    }

    /**
     * Registers the raw-QUIC drafts' factories and WebTransport over HTTP/3, whose sessions run the same MoQT
     * session code: draft-18 when the session negotiated {@code wt-protocol: moqt-18}, draft-14 (CLIENT_SETUP version
     * negotiation) when it negotiated none.
     */
    public SessionFactories.Builder register(final SessionFactories.Builder builder)
    {
        final WebTransportSettings webTransport = WebTransportSettings.from(relay.configuration());
        for (final LiteVersion version : LiteSessions.SERVED)
        {
            builder.register(version.alpn(), lite(version));
        }
        return builder.register(SessionFactories.MOQT_18, draft18()).register(SessionFactories.MOQ_00, draft14())
            .register(SessionFactories.H3, new WebTransportSessionFactory(webTransport, this::webTransportSessionOpened));
    }

    private MoqTransport.Listener webTransportSessionOpened(final WebTransportSession transport)
    {
        final boolean d18 = SessionFactories.MOQT_18.equals(transport.protocol());
        final Session engineSession = relay.openSession("wt " + transport.peerAddress() + " " + transport.path(),
            loops.indexFor(transport.eventLoop()), LiteVersion.ofAlpn(transport.protocol()) != null ?
                transport.protocol() : d18 ? "draft-18" : "draft-14", "webtransport");
        if (LiteVersion.ofAlpn(transport.protocol()) != null)
        {
            return lite.open(transport, engineSession);
        }
        if (d18)
        {
            final Draft18Session session = new Draft18Session(transport, engineSession, settings);
            session.start();
            return session;
        }
        final Draft14Session session = new Draft14Session(transport, engineSession, settings);
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

    SessionFactory draft18()
    {
        return connection ->
        {
            final QuicMoqTransport transport = new QuicMoqTransport(connection, SessionFactories.MOQT_18,
                settings.maxPendingStreams());
            final Draft18Session session = new Draft18Session(transport, openEngineSession(connection, "d18"),
                settings);
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
                settings.maxPendingStreams());
            final Draft14Session session = new Draft14Session(transport, openEngineSession(connection, "d14"),
                settings);
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
                settings.maxPendingStreams());
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
            "d18".equals(draft) ? "draft-18" : "d14".equals(draft) ? "draft-14" : draft, "quic");
    }
}
