package moq.relay.engine;

import java.util.List;

import org.agrona.DirectBuffer;

import moq.relay.fanout.EgressLoop;
import moq.relay.fanout.RelayedFetchDelivery;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * A FETCH the relay sends to a publisher ({@link Publisher#fetch}) because its cache does not hold the requested
 * range: the publisher's session sends it as a FETCH of its draft, and reports the answer and the fetch stream here,
 * from any thread; they reach the requester's FETCH_OK / REQUEST_ERROR and fetch stream in that order
 * ({@link RelayedFetchDelivery}). The requester's cancel (or its session's close) reaches the publisher's session
 * through {@link #onCancel}. It is the requester's request (its table entry, counted against its request limit).
 */
public final class UpstreamFetch implements SessionRequest
{
    private enum State
    {
        REQUESTED,
        ACCEPTED,
        DONE
    }

    private final Relay relay;
    private final Session requester;
    private final long requestId;
    private final FullTrackName track;
    private final Location start;
    private final Location end;
    private final int subscriberPriority;
    private final GroupOrder groupOrder;
    private final FetchCallback callback;
    private final RelayedFetchDelivery delivery;
    /** Bytes queued for the requester, bounded per fetch and relay-wide. */
    private final MemoryBudget budget;
    private State state = State.REQUESTED; // guarded by the relay's lock
    private volatile boolean cancelled;
    private Runnable cancelHook;
    /** Serves the fetch from the cache instead, run when the publisher refuses (null: the cache has nothing). */
    private final Runnable cacheFallback;
    /** The answer as it arrives, kept in the relay's store of fetched ranges if it completes (null: not kept). */
    private final FetchedRanges.Recording recording;
    /** The publisher's FETCH_OK, for the stored range. Guarded by the relay's lock. */
    private Location okEnd;
    private boolean okEndOfTrack;
    private List<KeyValuePair> okProperties = List.of();
    /** The relay's state of the track (its cache), null when it has none. */
    private final Track cached;
    /** The track's largest object while the relay is subscribed to it, else null (not known here). */
    private final Location largest;
    private final int maxGroups;

    UpstreamFetch(final Relay relay, final Session requester, final long requestId, final FullTrackName track,
        final Location start, final Location end, final FetchRequest request, final FetchCallback callback,
        final moq.relay.fanout.FetchWriter writer, final long maxQueuedBytes, final Runnable cacheFallback,
        final FetchedRanges.Recording recording, final Track cached, final Location largest, final int maxGroups)
    {
        this.cached = cached;
        this.largest = largest;
        this.maxGroups = maxGroups;
        this.cacheFallback = cacheFallback;
        this.recording = recording;
        this.relay = relay;
        this.requester = requester;
        this.requestId = requestId;
        this.track = track;
        this.start = start;
        this.end = end;
        this.subscriberPriority = request.subscriberPriority();
        this.groupOrder = request.groupOrder();
        this.callback = callback;
        this.budget = new MemoryBudget(maxQueuedBytes, relay.streamBuffers());
        this.delivery = new RelayedFetchDelivery(requester.egress, subscriberPriority,
            groupOrder == GroupOrder.DESCENDING, writer, budget::release);
        this.delivery.objectFilter(request.objectFilter());
    }

    /** The track to fetch. */
    /** The session whose FETCH this is (a cluster peer names the relays its requests crossed to the next relay). */
    public Session requester()
    {
        return requester;
    }

    public FullTrackName track()
    {
        return track;
    }

    /** The first location of the range. */
    public Location start()
    {
        return start;
    }

    /** The end of the range in FETCH's encoding: the last object plus one; object 0 = the whole end group. */
    public Location end()
    {
        return end;
    }

    public int subscriberPriority()
    {
        return subscriberPriority;
    }

    public GroupOrder groupOrder()
    {
        return groupOrder;
    }

    /**
     * The track's largest object while the relay is subscribed to it (so the range can be clipped to it, as FETCH_OK's
     * End Location is), else null.
     */
    public Location largest()
    {
        return largest;
    }

    /**
     * How many groups of the range a publisher that answers one group per request may be asked
     * ({@code moq.relay.fetch.upstream.max.groups}).
     */
    public int maxGroups()
    {
        return maxGroups;
    }

    /**
     * Whether the bytes queued for the requester are past half of this fetch's bound: a publisher asked group by group
     * waits before relaying its next group, so a requester slower than it is paced rather than reset at the bound.
     */
    public boolean backlogged()
    {
        return budget.usedBytes() > budget.maxBytes() / 2;
    }

    /**
     * Whether the relay's cache holds {@code group} from {@code firstObject} on, so a publisher answering group by
     * group need not be asked for it ({@link #fromCache}). Any thread; takes the track's ingest lock briefly.
     */
    public boolean cacheHolds(final long group, final long firstObject)
    {
        return cached != null && CachedGroups.holds(cached, group, firstObject);
    }

    /**
     * Queues the cached objects of {@code group} in {@code [firstObject, endObject)} as the next ones of the answer,
     * after {@link #accept}; false, with nothing queued, when the cache does not hold the group from
     * {@code firstObject} (any more). {@link #cancelled()} says whether the fetch ended meanwhile (its memory bound).
     */
    public boolean fromCache(final long group, final long firstObject, final long endObject)
    {
        return cached != null && CachedGroups.copy(cached, group, firstObject, endObject, this);
    }

    /**
     * How to cancel the FETCH upstream (FETCH_CANCEL, a reset request stream): run once if the requester cancels, its
     * session closes or the relay gives up on the fetch; at once if that happened already. Any thread.
     */
    public void onCancel(final Runnable hook)
    {
        final boolean now;
        synchronized (relay)
        {
            cancelHook = hook;
            now = cancelled;
        }
        if (now)
        {
            hook.run();
        }
    }

    /** Whether the requester no longer wants the objects (the publisher's session may stop reading them). */
    public boolean cancelled()
    {
        return cancelled;
    }

    /** FETCH_OK from the publisher: the requester gets its FETCH_OK with the publisher's end and properties. */
    public void accept(final boolean endOfTrack, final Location endLocation, final List<KeyValuePair> properties)
    {
        synchronized (relay)
        {
            if (state != State.REQUESTED || cancelled)
            {
                return;
            }
            state = State.ACCEPTED;
            okEnd = endLocation;
            okEndOfTrack = endOfTrack;
            okProperties = properties == null ? List.of() : properties;
            callback.ok(endOfTrack, endLocation, okProperties);
        }
    }

    /**
     * The publisher refused the FETCH: the requester gets the same error, unless the cache holds objects of the track
     * (it then serves what it has, reporting what is older as an Unknown Range, as a relay without upstream FETCH).
     */
    public void reject(final RequestErrorCode code, final String reason)
    {
        synchronized (relay)
        {
            if (state != State.REQUESTED)
            {
                return;
            }
            state = State.DONE;
            abandonRecording();
            requester.requests.remove(requestId, this);
            if (cacheFallback != null && !cancelled && !requester.closed)
            {
                cacheFallback.run();
            }
            else
            {
                callback.error(code, reason);
            }
        }
        delivery.close();
        final EgressLoop loop = requester.loop;
        loop.execute(delivery::cancel); // objects that came before the error are dropped
    }

    /**
     * The next object of the publisher's fetch stream, in the order it carried them; the views are read during the
     * call only. {@code status} 0 is a normal object, else a status the requester's draft writes if it has them.
     *
     * @return false when the fetch is over (cancelled, or the relay's memory bound for it was reached and it was
     *     reset with EXCESSIVE_LOAD): stop reading, the FETCH was cancelled upstream.
     */
    public boolean object(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int publisherPriority, final int status, final DirectBuffer buffer, final int propertiesOffset,
        final int propertiesLength, final int payloadOffset, final int payloadLength)
    {
        return object(group, subgroup, datagram, objectId, publisherPriority, status, buffer, propertiesOffset,
            propertiesLength, buffer, payloadOffset, payloadLength);
    }

    /** {@link #object(long, long, boolean, long, int, int, DirectBuffer, int, int, int, int)} with the properties
     * and the payload in separate buffers. */
    public boolean object(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int publisherPriority, final int status, final DirectBuffer properties, final int propertiesOffset,
        final int propertiesLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        return object(group, subgroup, datagram, objectId, publisherPriority, status, properties, propertiesOffset,
            propertiesLength, payload, payloadOffset, payloadLength, false);
    }

    /** As above; {@code draft14Properties}: the properties are a draft-14 publisher's Extension Headers. */
    public boolean object(final long group, final long subgroup, final boolean datagram, final long objectId,
        final int publisherPriority, final int status, final DirectBuffer properties, final int propertiesOffset,
        final int propertiesLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength,
        final boolean draft14Properties)
    {
        if (cancelled)
        {
            return false;
        }
        if (!budget.reserve((long)propertiesLength + payloadLength))
        {
            giveUp(StreamResetCode.EXCESSIVE_LOAD);
            return false;
        }
        // One copy, shared by the requester's queue and, if the answer is kept, the relay's store of fetched ranges.
        final RelayedFetchDelivery.Item item = RelayedFetchDelivery.Item.object(group, subgroup, datagram, objectId,
            publisherPriority, status, properties, propertiesOffset, propertiesLength, payload, payloadOffset,
            payloadLength, draft14Properties);
        if (recording != null)
        {
            recording.add(item);
        }
        return delivery.offerItem(item);
    }

    /** End of Range from the publisher: up to {@code (group, object)} nothing exists ({@code unknown}: not known). */
    public void endOfRange(final long group, final long object, final boolean unknown)
    {
        final RelayedFetchDelivery.Item item = RelayedFetchDelivery.Item.range(group, object, unknown);
        if (recording != null)
        {
            recording.add(item);
        }
        delivery.offerItem(item);
    }

    /**
     * The publisher's fetch stream ended with FIN: the requester's ends after the objects before it, and the answer is
     * kept for later FETCHes of the range (docs/engine.md "Upstream FETCH").
     */
    public void complete()
    {
        if (recording != null)
        {
            synchronized (relay)
            {
                if (state == State.ACCEPTED && !cancelled)
                {
                    recording.commit(start, end, okEnd, okEndOfTrack, okProperties);
                }
                else
                {
                    recording.abandon();
                }
            }
        }
        delivery.offerEnd();
    }

    private void abandonRecording()
    {
        if (recording != null)
        {
            recording.abandon();
        }
    }

    /** The publisher's fetch stream was reset (or its session closed): the requester's is reset with {@code code}. */
    public void reset(final StreamResetCode code)
    {
        final boolean answered;
        synchronized (relay)
        {
            answered = state != State.REQUESTED;
        }
        if (!answered)
        {
            reject(RequestErrorCode.INTERNAL_ERROR, "publisher's fetch ended before FETCH_OK");
            return;
        }
        abandonRecording();
        delivery.offerReset(code);
    }

    /** The relay cannot relay the rest: the requester's stream is reset and the FETCH cancelled upstream. */
    private void giveUp(final StreamResetCode code)
    {
        abandonRecording();
        delivery.offerReset(code);
        delivery.close();
        cancelUpstream();
    }

    private void cancelUpstream()
    {
        final Runnable hook;
        synchronized (relay)
        {
            if (cancelled)
            {
                return;
            }
            cancelled = true;
            hook = cancelHook;
        }
        if (hook != null)
        {
            hook.run();
        }
    }

    /** The requester cancelled the fetch or its session closed (already removed from its table). */
    @Override
    public void cancel(final Relay r)
    {
        state = State.DONE;
        abandonRecording();
        delivery.close();
        final EgressLoop loop = requester.loop;
        loop.execute(delivery::cancel);
        if (!cancelled)
        {
            cancelled = true;
            final Runnable hook = cancelHook;
            if (hook != null)
            {
                // The publisher's session sends its cancel from its own thread (the relay's lock is held here).
                hook.run();
            }
        }
    }

    @Override
    public boolean finished()
    {
        return state == State.DONE || delivery.isFinished();
    }

    /** The delivery, for the engine to register with the requester's egress loop. */
    RelayedFetchDelivery delivery()
    {
        return delivery;
    }
}
