package moq.relay.transport.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicChannel;
import moq.relay.transport.session.TransportSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of the server, so shutdown can reach all of them. Written from the event loops (add and
 * remove), read by the shutdown thread; every call into a session is dispatched to that session's event loop.
 */
final class ConnectionRegistry
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final Map<QuicChannel, TransportSession> sessions = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    boolean isAccepting()
    {
        return accepting;
    }

    void stopAccepting()
    {
        accepting = false;
    }

    void add(final QuicChannel connection, final TransportSession session)
    {
        sessions.put(connection, session);
    }

    void remove(final QuicChannel connection)
    {
        if (sessions.remove(connection) != null && sessions.isEmpty())
        {
            synchronized (this)
            {
                notifyAll();
            }
        }
    }

    int size()
    {
        return sessions.size();
    }

    /** Asks every session, on its own event loop, to send GOAWAY. */
    void goAwayAll(final String newSessionUri)
    {
        sessions.forEach((connection, session) -> connection.eventLoop().execute(() ->
        {
            try
            {
                session.goAway(newSessionUri);
            }
            catch (final RuntimeException ex)
            {
                LOG.warn("GOAWAY failed for {}", connection.remoteSocketAddress(), ex);
            }
        }));
    }

    /** Waits until every session has closed or the timeout passes; true if none is left. */
    boolean awaitEmpty(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this)
        {
            long remaining;
            while (!sessions.isEmpty() && (remaining = deadline - System.nanoTime()) > 0)
            {
                TimeUnit.NANOSECONDS.timedWait(this, remaining);
            }
        }
        return sessions.isEmpty();
    }

    /**
     * Closes every remaining connection with its session's GOAWAY-timeout code and waits up to {@code flushTimeout}
     * for the CONNECTION_CLOSE frames to be handed to the sockets.
     */
    void closeAll(final String reason, final Duration flushTimeout) throws InterruptedException
    {
        final List<ChannelFuture> closes = new ArrayList<>();
        sessions.forEach((connection, session) ->
        {
            CloseReason.record(connection, reason);
            // Ownership of the reason buffer passes to close(), which releases it.
            closes.add(connection.close(true, session.goAwayTimeoutErrorCode(),
                Unpooled.copiedBuffer(reason, StandardCharsets.UTF_8)));
        });
        final long deadline = System.nanoTime() + flushTimeout.toNanos();
        for (final ChannelFuture close : closes)
        {
            close.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
