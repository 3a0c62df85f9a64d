package moq.relay.transport.webtransport;

import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.session.SessionFactory;
import moq.relay.transport.session.TransportSession;

/**
 * The session factory for ALPN {@code h3} ({@link SessionFactories#H3}): HTTP/3 with WebTransport
 * (draft-ietf-webtrans-http3, drafts 02 to 16 on the wire), handing accepted sessions to a
 * {@link WebTransportApplication}.
 *
 * <p>Pipeline of each connection: {@link WtConnectionHandlers.BidiStreamSniffing} (recognises 0x41 streams before
 * HTTP/3 does), netty's {@link Http3ServerConnectionHandler} (SETTINGS, QPACK, request streams handled by
 * {@link ConnectStreamHandler}, 0x54 streams by {@link WtStreamHeaderDecoder}), then
 * {@link WtConnectionHandlers.ConnectionEvents} (datagrams, credit, close).
 */
public final class WebTransportSessionFactory implements SessionFactory
{
    private final WebTransportSettings settings;
    private final WebTransportApplication application;
    private final java.util.function.Consumer<String> refusals;

    public WebTransportSessionFactory(final WebTransportSettings settings, final WebTransportApplication application)
    {
        this(settings, application, reason -> { });
    }

    /**
     * @param refusals told why each refused CONNECT was refused: {@code path} (404), {@code not_webtransport} (405),
     *                 {@code origin} (403), {@code session_limit} and {@code too_many_early_connects} (429)
     */
    public WebTransportSessionFactory(final WebTransportSettings settings, final WebTransportApplication application,
        final java.util.function.Consumer<String> refusals)
    {
        this.settings = settings;
        this.application = application;
        this.refusals = refusals;
    }

    @Override
    public TransportSession open(final QuicChannel channel)
    {
        final WebTransportConnection connection = new WebTransportConnection(channel, settings, application,
            refusals);
        channel.pipeline().addLast(
            new WtConnectionHandlers.BidiStreamSniffing(connection),
            new Http3ServerConnectionHandler(
                ConnectStreamHandler.Initializer.INSTANCE,
                new WtConnectionHandlers.ControlFrames(connection),
                type -> type == WtStreamHeaderDecoder.WT_UNI_STREAM_TYPE ?
                    new WtStreamHeaderDecoder(connection, false) : moq.relay.transport.session.DiscardInbound.INSTANCE,
                WebTransportHttp3Settings.frame(settings.maxSessions()),
                true,
                WebTransportHttp3Settings.ACCEPT_ALL),
            new WtConnectionHandlers.ConnectionEvents(connection));
        return connection;
    }
}
