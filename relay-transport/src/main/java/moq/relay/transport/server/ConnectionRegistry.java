package moq.relay.transport.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.quic.QuicChannel;
import moq.relay.transport.session.TransportSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions of the server, so shutdown can reach all of them. Written from the event loops (add and
 * remove), read by the shutdown thread; every call into a session is dispatched to that session's event loop.
 * It also counts connections from their first packet, in all and per peer IP address, against
 * {@link ConnectionLimits} (event loops share the counts: atomics, touched once per connection open and close).
 */
final class ConnectionRegistry
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionRegistry.class);

    private final Map<QuicChannel, TransportSession> sessions = new ConcurrentHashMap<>();
    /** Connections per peer IP address; absent means none (ConcurrentHashMap.compute is atomic per key). */
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile ConnectionLimits limits;
    private volatile boolean accepting = true;

    ConnectionRegistry(final ConnectionLimits limits)
    {
        this.limits = limits;
    }

    ConnectionLimits limits()
    {
        return limits;
    }

    void limits(final ConnectionLimits limits)
    {
        this.limits = limits;
    }

    /**
     * Counts a new connection from {@code peer}, or refuses it: returns null when counted, else why not (a refused
     * connection is not {@link #release released}).
     */
    String admit(final Object peer)
    {
        final ConnectionLimits l = limits;
        if (connections.incrementAndGet() > l.maxConnections())
        {
            connections.decrementAndGet();
            return "relay-wide connection limit (" + l.maxConnections() + ") reached";
        }
        final InetAddress address = addressOf(peer);
        if (address != null && perAddress.merge(address, 1, Integer::sum) > l.maxConnectionsPerAddress())
        {
            release(peer);
            return "connection limit per address (" + l.maxConnectionsPerAddress() + ") reached for " +
                address.getHostAddress();
        }
        return null;
    }

    /**
     * Whether a new connection from {@code peer} would be {@link #admit admitted} now: asked at its first Initial
     * packet, before it exists. Reads only (admit still counts and decides: connections created in between, on
     * another socket's event loop, are refused there).
     */
    boolean hasRoomFor(final InetSocketAddress peer)
    {
        final ConnectionLimits l = limits;
        if (connections.get() >= l.maxConnections())
        {
            return false;
        }
        final InetAddress address = peer.getAddress();
        final Integer fromAddress = address == null ? null : perAddress.get(address);
        return fromAddress == null || fromAddress < l.maxConnectionsPerAddress();
    }

    /** The connection admitted from {@code peer} has gone. */
    void release(final Object peer)
    {
        connections.decrementAndGet();
        final InetAddress address = addressOf(peer);
        if (address != null)
        {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Connections counted (handshaking ones included). */
    int connectionCount()
    {
        return connections.get();
    }

    private static InetAddress addressOf(final Object peer)
    {
        return peer instanceof InetSocketAddress ? ((InetSocketAddress)peer).getAddress() : null;
    }

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
