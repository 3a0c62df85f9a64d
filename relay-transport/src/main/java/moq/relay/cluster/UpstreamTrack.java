package moq.relay.cluster;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.SubscriptionListener;
import moq.relay.fanout.PublishDoneStatus;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.StreamResetCode;
import moq.relay.engine.TrackIngest;
import moq.relay.engine.UpstreamSubscription;
import moq.relay.wire.Draft;

/**
 * One track forwarded from a peer relay: the client SUBSCRIBE there (Largest Object, Forward=1) for the engine's
 * {@link UpstreamSubscription}, mapping its answers and PUBLISH_DONE onto the engine and its objects into the track's
 * {@link TrackIngest}, as a publisher session's ingest does. Objects arrive on the peer link's event loop, one at a
 * time; the views over their bytes are reused (nothing is allocated here per object; the client allocates its
 * {@link ReceivedObject}). ByteBuf ownership: the payload belongs to the client and is only read during the call.
 * <p>
 * When the session to the peer closes under an established track (no PUBLISH_DONE: the peer died, or only the link
 * did), the track is subscribed again at the same peer through {@link Relink} until a grace period ends; a track made
 * for such a retry completes or gives up that same grace.
 */
final class UpstreamTrack implements SubscriptionListener
{
    /** Subscribes the track at the peer again after its session closed, unless {@code giveUp} has run or is cancelled. */
    @FunctionalInterface
    interface Relink
    {
        void after(ScheduledFuture<?> giveUp);
    }

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamTrack.class);
    /** Publisher priority for objects whose stream inherits the track's default (the draft's default, 128). */
    private static final int DEFAULT_PRIORITY = 128;

    private final UpstreamSubscription up;
    private final RelayUrl peer;
    private final Runnable onEnd;
    /** Gives back this track's use of its peer link (idempotent). */
    private final Runnable release;
    private final ScheduledExecutorService scheduler;
    private final Duration grace;
    /** Null: the track is not subscribed again after its session closed (a mirror of a static upstream's offer). */
    private final Relink relink;
    /** Non-null for a track subscribed again after a lost session: the pending end of the engine's subscription. */
    private final ScheduledFuture<?> retryOf;
    private final UnsafeBuffer properties = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer payload = new UnsafeBuffer(0, 0);
    private Subscription subscription;
    private boolean cancelled;
    private boolean ended;

    UpstreamTrack(final UpstreamSubscription up, final RelayUrl peer, final Runnable onEnd, final Runnable release,
        final ScheduledExecutorService scheduler, final Duration grace)
    {
        this(up, peer, onEnd, release, scheduler, grace, null, null);
    }

    UpstreamTrack(final UpstreamSubscription up, final RelayUrl peer, final Runnable onEnd, final Runnable release,
        final ScheduledExecutorService scheduler, final Duration grace, final Relink relink,
        final ScheduledFuture<?> retryOf)
    {
        this.up = up;
        this.peer = peer;
        this.onEnd = onEnd;
        this.release = release;
        this.scheduler = scheduler;
        this.grace = grace;
        this.relink = relink;
        this.retryOf = retryOf;
    }

    /**
     * Subscribes at the peer. SUBSCRIBE_OK is handled on the peer link's thread as it completes, before any object
     * read after it (so the engine has the subscription established before its objects arrive); a failure is always
     * handed to that thread, since a link that already failed fails at once, on the caller's thread, which holds the
     * engine's lock.
     */
    void start(final CompletableFuture<MoqClient> client)
    {
        client.thenCompose(c -> c.subscribe(up.track().namespace(), up.track().name(),
                new SubscribeOptions(moq.relay.client.Filter.largestObject(), 128, false, true), this))
            .whenComplete((s, failure) ->
            {
                if (failure != null)
                {
                    scheduler.execute(() -> failed(failure));
                    return;
                }
                final boolean unwanted;
                synchronized (this)
                {
                    subscription = s;
                    unwanted = cancelled;
                }
                if (unwanted)
                {
                    s.unsubscribe();
                    return;
                }
                if (retryOf != null)
                {
                    if (!retryOf.cancel(false))
                    {
                        cancel(); // the grace ended first: the engine's subscription is gone
                        return;
                    }
                    LOG.info("cluster: {} subscribed again at peer relay {} after its session closed", up.track(),
                        peer);
                }
                up.accept(s.largest(), s.trackProperties()); // the origin's, for SUBSCRIBE_OK / TRACK_STATUS here
            });
    }

    private void failed(final Throwable failure)
    {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        end();
        if (retryOf != null)
        {
            // The engine's subscription is established and its end pending: try again within the grace.
            LOG.debug("cluster: subscribing {} again at peer relay {} failed: {}", up.track(), peer, cause.toString());
            if (!retryOf.isDone())
            {
                relink.after(retryOf);
            }
            return;
        }
        if (cause instanceof RequestRejectedException r)
        {
            up.reject(errorCode(r.errorCode()), "peer relay " + peer + ": " + r.getMessage());
        }
        else
        {
            up.reject(RequestErrorCode.INTERNAL_ERROR, "peer relay " + peer + ": " + cause);
        }
    }

    /** The engine no longer needs the track: unsubscribe at the peer (now, or once SUBSCRIBE_OK arrives). */
    void cancel()
    {
        final Subscription s;
        synchronized (this)
        {
            cancelled = true;
            s = subscription;
        }
        if (s != null)
        {
            s.unsubscribe();
        }
        release.run();
    }

    @Override
    public void onObject(final ReceivedObject o)
    {
        final TrackIngest ingest = up.ingest();
        final int priority = o.publisherPriority() < 0 ? DEFAULT_PRIORITY : o.publisherPriority();
        final byte[] props = o.properties();
        properties.wrap(props, 0, props.length);
        final ByteBuf p = o.payload();
        final int length = p.readableBytes();
        if (p.hasMemoryAddress())
        {
            payload.wrap(p.memoryAddress() + p.readerIndex(), length);
        }
        else if (p.hasArray())
        {
            payload.wrap(p.array(), p.arrayOffset() + p.readerIndex(), length);
        }
        else
        {
            final ByteBuffer nio = p.nioBuffer(p.readerIndex(), length);
            payload.wrap(nio, 0, length);
        }
        // A draft-14 link's objects carry Extension Headers: stored flagged, converted for subscribers of 18 and 20.
        final int flags = (peer.draft() == Draft.DRAFT_14 ? TrackIngest.DRAFT14_PROPERTIES : 0) |
            (o.datagram() ? TrackIngest.DATAGRAM : o.objectId() == 0 ? TrackIngest.FIRST_IN_SUBGROUP : 0);
        final boolean stored = ingest.object(flags, o.groupId(), o.datagram() ? o.objectId() : o.subgroupId(),
            o.objectId(), priority, (int)o.status(), properties, 0, props.length, payload, 0, length);
        payload.wrap(0, 0);
        if (!stored)
        {
            up.objectDropped("object " + o.groupId() + "/" + o.objectId() + " from peer relay " + peer +
                " refused by the store");
            cancel();
        }
    }

    @Override
    public void onSubgroupEnd(final long groupId, final long subgroupId, final boolean reset)
    {
        if (reset)
        {
            up.ingest().resetSubgroup(groupId, subgroupId, StreamResetCode.CANCELLED);
        }
        else
        {
            up.ingest().endSubgroup(groupId, subgroupId);
        }
    }

    @Override
    public void onPublishDone(final long statusCode, final long streamCount, final String reason)
    {
        end();
        up.done(doneStatus(statusCode), reason);
    }

    /**
     * The session to the origin relay is gone without a PUBLISH_DONE (the relay died or restarts, or only the link
     * did): the subscription ends only after a grace period (the directory's TTL). Meanwhile the track is subscribed
     * again at the same peer (its link connects again), so that a lost link alone costs the subscribers nothing but
     * the objects sent while it was down; and when the publisher reconnects to another relay, that relay's
     * registration arrives, the engine subscribes there too, and local subscribers continue on the new origin's objects
     * without a PUBLISH_DONE (docs/cluster.md "Switchover").
     */
    @Override
    public void onSessionClosed(final SessionClose close)
    {
        end();
        final boolean retrying = retryOf != null && !retryOf.isDone();
        if (!retrying)
        {
            LOG.info("cluster: session to {} closed under {}: {}; ending it in {} unless it is subscribed again or " +
                "another origin serves it", peer, up.track(), close, grace);
        }
        final ScheduledFuture<?> giveUp = retrying ? retryOf : scheduler.schedule(
            () -> up.done(PublishDoneStatus.GOING_AWAY, "session to peer relay " + peer + " closed"),
            grace.toMillis(), TimeUnit.MILLISECONDS);
        final boolean unwanted;
        synchronized (this)
        {
            unwanted = cancelled;
        }
        if (relink != null && !unwanted)
        {
            relink.after(giveUp);
        }
    }

    private void end()
    {
        synchronized (this)
        {
            if (ended)
            {
                return;
            }
            ended = true;
        }
        onEnd.run();
        release.run();
    }

    static RequestErrorCode errorCode(final long code)
    {
        for (final RequestErrorCode c : RequestErrorCode.values())
        {
            if (c.code() == code)
            {
                return c;
            }
        }
        return RequestErrorCode.INTERNAL_ERROR;
    }

    private static PublishDoneStatus doneStatus(final long code)
    {
        for (final PublishDoneStatus s : PublishDoneStatus.values())
        {
            if (s.code() == code)
            {
                return s;
            }
        }
        return PublishDoneStatus.INTERNAL_ERROR;
    }
}
