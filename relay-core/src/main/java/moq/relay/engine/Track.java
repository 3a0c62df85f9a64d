package moq.relay.engine;

import java.util.ArrayList;
import java.util.List;

import moq.relay.store.TrackLog;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/** A track's routing and aggregation state. Guarded by the relay's control lock. */
final class Track
{
    final int id;
    final FullTrackName name;
    final TrackLog log;
    final TrackIngest ingest;
    /** The session whose request created the track; it counts against that session's track share until removed. */
    final Session creator;
    final List<UpstreamSubscription> upstreams = new ArrayList<>();
    final List<DownstreamSubscription> downstreams = new ArrayList<>();
    final List<Relay.PendingSubscribe> waiting = new ArrayList<>();
    List<KeyValuePair> properties = List.of();
    Location upstreamLargest;
    boolean ended;
    /** Its last publisher ended or left (not unsubscribed by the relay): the next one starts a new epoch. */
    boolean publisherGone;
    /**
     * Ids of the sessions a newer publisher took the track over from ({@code Relay.takeOver}): not asked for it again
     * while another session publishes its namespace.
     */
    final List<Long> replaced = new ArrayList<>();
    long idleSinceNanos = System.nanoTime();

    Track(final int id, final FullTrackName name, final TrackLog log, final TrackIngest ingest, final Session creator)
    {
        this.id = id;
        this.name = name;
        this.log = log;
        this.ingest = ingest;
        this.creator = creator;
    }

    boolean hasEstablishedUpstream()
    {
        for (final UpstreamSubscription u : upstreams)
        {
            if (u.state == UpstreamSubscription.State.ESTABLISHED)
            {
                return true;
            }
        }
        return false;
    }

    boolean hasPendingUpstream()
    {
        for (final UpstreamSubscription u : upstreams)
        {
            if (u.state == UpstreamSubscription.State.PENDING)
            {
                return true;
            }
        }
        return false;
    }

    UpstreamSubscription upstreamOf(final Session session)
    {
        for (final UpstreamSubscription u : upstreams)
        {
            if (u.session == session)
            {
                return u;
            }
        }
        return null;
    }

    boolean anyDownstreamForward()
    {
        for (final DownstreamSubscription d : downstreams)
        {
            if (d.forward)
            {
                return true;
            }
        }
        return false;
    }

    boolean hasPublishedUpstream()
    {
        for (final UpstreamSubscription u : upstreams)
        {
            if (u.published && u.state == UpstreamSubscription.State.ESTABLISHED)
            {
                return true;
            }
        }
        return false;
    }

    /** The largest location known: the cache's, or the upstream's SUBSCRIBE_OK/PUBLISH if larger. Null if none. */
    Location largest()
    {
        Location cached = null;
        log.lock();
        try
        {
            final long g = log.largestGroup();
            if (g != -1)
            {
                cached = new Location(g, log.largestObject());
            }
        }
        finally
        {
            log.unlock();
        }
        if (cached == null)
        {
            return upstreamLargest;
        }
        return upstreamLargest != null && upstreamLargest.compareTo(cached) > 0 ? upstreamLargest : cached;
    }
}
