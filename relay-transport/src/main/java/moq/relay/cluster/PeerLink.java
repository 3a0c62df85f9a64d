package moq.relay.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;

/**
 * The MoQT session (raw QUIC, draft 18, or 14 for a static upstream whose URL says {@code draft=14}) this relay holds
 * to a peer relay for requests that crossed one relay path
 * (this relay alone for its own clients' requests), shared by every such track it forwards from there. Connected on first use; after it closes or fails, the next use connects again (no sooner than
 * {@link #RETRY_AFTER} after a failed attempt, so a dead peer costs one attempt per interval, not one per request).
 * Each request that uses the link holds a {@link Use} while it needs it; a link nobody uses for
 * {@code moq.relay.cluster.link.idle.timeout} is closed ({@link #detachIfIdle}) and connects again on the next use.
 * Thread-safe; never blocks.
 */
final class PeerLink implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** QUIC idle timeout of peer sessions: a peer that vanished (SIGKILL) is noticed within it. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** How often an idle link is kept alive ({@link MoqClient#keepAlive()}): several times per idle timeout. */
    static final Duration KEEP_ALIVE = Duration.ofMillis(1500);
    /** Where connections to peers are started (one daemon thread: starting one blocks briefly, see {@link #client}). */
    private static final java.util.concurrent.Executor CONNECTOR = java.util.concurrent.Executors.newSingleThreadExecutor(
        new io.netty.util.concurrent.DefaultThreadFactory("moq-cluster-connect", true));

    private final RelayUrl peer;
    /** The relays this link's requests crossed, this relay last: named in SETUP's PATH ({@link PeerRelays}). */
    private final List<String> path;
    private final ClientTrust trust;
    private final EventLoopGroup group;
    private CompletableFuture<MoqClient> client;
    private long failedAtNanos;
    private boolean closed;
    /** Requests holding a {@link Use} of this link, and since when none has (System.nanoTime). */
    private int users;
    private long idleSinceNanos = System.nanoTime();

    PeerLink(final RelayUrl peer, final List<String> path, final ClientTrust trust, final EventLoopGroup group)
    {
        this.peer = peer;
        this.path = List.copyOf(path);
        this.trust = trust;
        this.group = group;
    }

    RelayUrl peer()
    {
        return peer;
    }

    /** Where the link's delayed work runs (the peer clients' event loops). */
    java.util.concurrent.ScheduledExecutorService scheduler()
    {
        return group;
    }

    /**
     * One request's use of this link, released once (further calls do nothing) when the request no longer needs it:
     * the link is closed after the idle timeout once no use is held.
     */
    final class Use
    {
        private final java.util.concurrent.atomic.AtomicBoolean released =
            new java.util.concurrent.atomic.AtomicBoolean();

        PeerLink link()
        {
            return PeerLink.this;
        }

        void release()
        {
            if (released.compareAndSet(false, true))
            {
                synchronized (PeerLink.this)
                {
                    if (--users == 0)
                    {
                        idleSinceNanos = System.nanoTime();
                    }
                }
            }
        }
    }

    /** A use of this link for one request (see {@link PeerPublisher}: taken where the link is looked up). */
    synchronized Use use()
    {
        users++;
        return new Use();
    }

    /**
     * When no use has been held for {@code idleNanos}: forgets the session (the next use connects again) and returns
     * it for the caller to close, or a completed null future when the link has none; else null (in use or not idle
     * long enough).
     */
    synchronized CompletableFuture<MoqClient> detachIfIdle(final long nowNanos, final long idleNanos)
    {
        if (users > 0 || nowNanos - idleSinceNanos < idleNanos)
        {
            return null;
        }
        final CompletableFuture<MoqClient> c = client;
        client = null;
        return c == null ? CompletableFuture.completedFuture(null) : c;
    }

    /** The session if connected, else null: closed by tests as a lost connection would end it. */
    synchronized MoqClient session()
    {
        return client != null && client.isDone() && !client.isCompletedExceptionally() ? client.join() : null;
    }

    /** Whether the link holds a session (connected or connecting; tests). */
    synchronized boolean connected()
    {
        return client != null && (!client.isDone() ||
            !client.isCompletedExceptionally() && !client.join().closed().isDone());
    }

    /** The session, connecting (again) if there is none; completes exceptionally if the peer cannot be reached. */
    synchronized CompletableFuture<MoqClient> client()
    {
        if (closed)
        {
            return CompletableFuture.failedFuture(new IllegalStateException("cluster closed"));
        }
        if (client != null)
        {
            if (!client.isDone())
            {
                return client;
            }
            if (!client.isCompletedExceptionally() && !client.join().closed().isDone())
            {
                return client;
            }
            if (client.isCompletedExceptionally() && System.nanoTime() - failedAtNanos < RETRY_AFTER.toNanos())
            {
                return client;
            }
        }
        final ClientConfig config = ClientConfig.of(peer.host(), peer.port(), peer.draft(), trust)
            .withPath(PeerRelays.setupPath(peer.path(), path))
            .withTimeouts(Duration.ofSeconds(3), IDLE_TIMEOUT);
        LOG.info("cluster: connecting to peer relay {} for requests that crossed {}", peer, path);
        // Not connected here: MoqClient.connect waits for its socket's registration on the peer links' event loop,
        // and the caller may hold the engine's lock (or this link's), which that loop may be waiting for.
        final CompletableFuture<MoqClient> attempt = CompletableFuture
            .supplyAsync(() -> MoqClient.connect(config, group), CONNECTOR)
            .thenCompose(c -> c);
        client = attempt;
        attempt.whenComplete((c, failure) ->
        {
            if (failure != null)
            {
                synchronized (this)
                {
                    failedAtNanos = System.nanoTime();
                }
                LOG.warn("cluster: peer relay {} unreachable: {}", peer, failure.toString());
                return;
            }
            final java.util.concurrent.ScheduledFuture<?> pings = group.scheduleAtFixedRate(c::keepAlive,
                KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            c.closed().whenComplete((how, x) ->
            {
                pings.cancel(false);
                LOG.info("cluster: session to peer relay {} ended: {}", peer, how);
            });
            final boolean late;
            synchronized (this)
            {
                late = closed;
            }
            if (late)
            {
                c.close();
            }
        });
        return attempt;
    }

    @Override
    public void close()
    {
        final CompletableFuture<MoqClient> c;
        synchronized (this)
        {
            closed = true;
            c = client;
        }
        if (c != null && c.isDone() && !c.isCompletedExceptionally())
        {
            c.join().close();
        }
    }
}
