package moq.relay.transport.server;

import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicDatagramExtensionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import moq.relay.transport.quic.ConnectionClose;
import moq.relay.transport.session.SessionFactories;
import moq.relay.transport.session.SessionFactory;
import moq.relay.transport.session.TransportSession;
import moq.relay.wire.Draft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every QUIC connection (one instance per connection): once the handshake completes it hands the
 * connection to the session factory registered for the negotiated ALPN, and it writes the connection's open and
 * close log lines. Connections with no factory for their protocol, arriving while the server drains, or beyond the
 * {@link ConnectionLimits} (counted from the connection's first packet, so refused before the handshake completes)
 * are refused with CONNECTION_REFUSED; most never get here, dropped at their first Initial packet
 * ({@code RelayServer.admitsInitial}), and this refuses only the few that raced past that check. It also runs the
 * setup deadline of a session that {@link TransportSession#awaitsSetup() awaits setup}.
 */
final class SessionRouter extends ChannelInboundHandlerAdapter
{
    /** QUIC transport error codes (RFC 9000 20.1). */
    static final int INTERNAL_ERROR = 0x1;
    static final int CONNECTION_REFUSED = 0x2;

    private static final Logger LOG = LoggerFactory.getLogger("moq.relay.connection");

    private final SessionFactories factories;
    private final ConnectionRegistry registry;
    private final ConnectionEvents events;
    private Object peer;
    private String protocol;
    private boolean routed;
    /** Counted against the connection limits (released when the channel unregisters). */
    private boolean admitted;
    private io.netty.util.concurrent.ScheduledFuture<?> setupDeadline;
    private long openedNanos;
    private QuicConnectionCloseEvent peerClose;
    /** Fired before channelActive, so before the session's handlers exist: replayed to them once added. */
    private QuicDatagramExtensionEvent datagramExtension;
    private Throwable failure;

    SessionRouter(final SessionFactories factories, final ConnectionRegistry registry, final ConnectionEvents events)
    {
        this.factories = factories;
        this.registry = registry;
        this.events = events;
    }

    @Override
    public void channelRegistered(final ChannelHandlerContext ctx)
    {
        // Captured now: a closed QuicChannel no longer reports its peer address.
        final QuicChannel connection = (QuicChannel)ctx.channel();
        peer = connection.remoteSocketAddress();
        events.handshakeStarted();
        final String refusal = registry.admit(peer);
        if (refusal != null)
        {
            // Before the handshake, once quiche has read the Initial that created the connection (a close before
            // that sends nothing and the client retries): CONNECTION_CLOSE then goes out in the Initial space.
            events.refused("connection_limit");
            ctx.executor().execute(() -> refuse(connection, CONNECTION_REFUSED, refusal));
        }
        else
        {
            admitted = true;
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx) throws Exception
    {
        final QuicChannel connection = (QuicChannel)ctx.channel();
        openedNanos = System.nanoTime();
        protocol = connection.sslEngine().getApplicationProtocol();
        if (peer == null)
        {
            peer = connection.remoteSocketAddress();
        }
        if (!admitted)
        {
            return; // refused at registration, closing
        }
        if (!registry.isAccepting())
        {
            events.refused("shutting_down");
            refuse(connection, CONNECTION_REFUSED, "relay shutting down");
            return;
        }
        final SessionFactory factory = factories.forAlpn(protocol);
        if (factory == null)
        {
            events.refused("no_session_handler");
            refuse(connection, CONNECTION_REFUSED, "no session handler for ALPN \"" + protocol + "\"");
            return;
        }
        final TransportSession session;
        try
        {
            session = factory.open(connection);
        }
        catch (final Exception ex)
        {
            LOG.error("session open failed peer={} alpn={}", peer, protocol, ex);
            events.refused("open_failed");
            refuse(connection, INTERNAL_ERROR, "session open failed: " + ex);
            return;
        }
        registry.add(connection, session);
        routed = true;
        if (session.awaitsSetup())
        {
            final long timeoutNanos = registry.limits().setupTimeout().toNanos();
            setupDeadline = ctx.executor().schedule(() -> setupDeadlinePassed(connection, session, timeoutNanos),
                timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        LOG.info("open peer={} alpn={} ({})", peer, protocol, speaks(protocol));
        if (datagramExtension != null)
        {
            ctx.fireUserEventTriggered(datagramExtension);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
    {
        if (evt instanceof QuicConnectionCloseEvent)
        {
            peerClose = (QuicConnectionCloseEvent)evt;
        }
        else if (evt == ConnectionClose.CLOSING)
        {
            // The session is over while its CONNECTION_CLOSE waits to leave: no longer a session (GOAWAY, counts),
            // still a connection (admission counts it until quiche frees it).
            registry.remove((QuicChannel)ctx.channel());
            if (setupDeadline != null)
            {
                setupDeadline.cancel(false);
            }
        }
        else if (evt instanceof QuicDatagramExtensionEvent && !routed)
        {
            datagramExtension = (QuicDatagramExtensionEvent)evt;
            return;
        }
        else if (evt instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent)evt).isSuccess())
        {
            recordFailure(((SslHandshakeCompletionEvent)evt).cause());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        recordFailure(cause);
        if (routed)
        {
            ctx.fireExceptionCaught(cause);
        }
        // Before routing (TLS failures) or after a refusal there is no session to tell: the close line reports it.
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        final QuicChannel connection = (QuicChannel)ctx.channel();
        registry.remove(connection);
        if (setupDeadline != null)
        {
            setupDeadline.cancel(false);
        }
        LOG.info("close peer={} alpn={} after {}ms: {}", peer, protocol,
            (System.nanoTime() - openedNanos) / 1_000_000, reason(connection));
        ctx.fireChannelInactive();
    }

    @Override
    public void channelUnregistered(final ChannelHandlerContext ctx)
    {
        final boolean wasAdmitted = admitted;
        if (admitted)
        {
            admitted = false;
            registry.release(peer);
        }
        if (protocol == null && !(failure instanceof SSLHandshakeException))
        {
            // Never became active and no TLS error was logged: the handshake timed out or was abandoned.
            if (wasAdmitted)
            {
                events.handshakeFailed("timeout"); // a refused connection was counted as refused
            }
            LOG.info("handshake failed peer={}: {}", peer, reason((QuicChannel)ctx.channel()));
        }
        ctx.fireChannelUnregistered();
    }

    private void setupDeadlinePassed(final QuicChannel connection, final TransportSession session,
        final long timeoutNanos)
    {
        if (connection.isActive() && session.awaitsSetup())
        {
            final String reason = "no setup within " + timeoutNanos / 1_000_000 + "ms";
            LOG.info("setup timeout peer={} alpn={}: {}", peer, protocol, reason);
            events.setupTimedOut();
            CloseReason.record(connection, "setup timeout: " + reason);
            ConnectionClose.close(connection, true, session.setupTimeoutErrorCode(), reason);
        }
    }

    private void recordFailure(final Throwable cause)
    {
        if (failure != null)
        {
            return;
        }
        failure = cause;
        if (protocol == null && cause instanceof SSLHandshakeException)
        {
            // Logged now rather than at unregistration, which follows only after quiche's draining period.
            events.handshakeFailed("tls");
            LOG.info("handshake failed peer={}: {}", peer, cause.getMessage());
        }
    }

    private void refuse(final QuicChannel connection, final int error, final String reason)
    {
        LOG.info("refused peer={} alpn={}: {}", peer, protocol, reason);
        CloseReason.record(connection, "refused: " + reason);
        // Ownership of the reason buffer passes to close(), which releases it.
        connection.close(false, error, Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8));
    }

    private String reason(final QuicChannel connection)
    {
        final String local = CloseReason.recorded(connection);
        if (local != null)
        {
            return local;
        }
        if (peerClose != null)
        {
            return CloseReason.describe(peerClose);
        }
        if (connection.isTimedOut())
        {
            return "idle timeout";
        }
        return failure != null ? failure.toString() : "closed locally";
    }

    private static String speaks(final String alpn)
    {
        for (final Draft draft : Draft.values())
        {
            if (draft.alpn().equals(alpn))
            {
                return "draft-" + draft.number();
            }
        }
        if (moq.relay.wire.lite.LiteVersion.ofAlpn(alpn) != null)
        {
            return alpn;
        }
        return SessionFactories.H3.equals(alpn) ? "HTTP/3, WebTransport" : "unknown";
    }
}
