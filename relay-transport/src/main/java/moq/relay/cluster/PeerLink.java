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
import moq.relay.wire.Draft;

/**
 * The MoQT session (raw QUIC, draft 18) this relay holds to a peer relay for requests that crossed one relay path
 * (this relay alone for its own clients' requests), shared by every such track it forwards from there. Connected on first use; after it closes or fails, the next use connects again (no sooner than
 * {@link #RETRY_AFTER} after a failed attempt, so a dead peer costs one attempt per interval, not one per request).
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

    private final RelayUrl peer;
    /** The relays this link's requests crossed, this relay last: named in SETUP's PATH ({@link PeerRelays}). */
    private final List<String> path;
    private final ClientTrust trust;
    private final EventLoopGroup group;
    private CompletableFuture<MoqClient> client;
    private long failedAtNanos;
    private boolean closed;

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
        final ClientConfig config = ClientConfig.of(peer.host(), peer.port(), Draft.DRAFT_18, trust)
            .withPath(PeerRelays.setupPath(peer.path(), path))
            .withTimeouts(Duration.ofSeconds(3), IDLE_TIMEOUT);
        LOG.info("cluster: connecting to peer relay {} for requests that crossed {}", peer, path);
        final CompletableFuture<MoqClient> attempt = MoqClient.connect(config, group);
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
