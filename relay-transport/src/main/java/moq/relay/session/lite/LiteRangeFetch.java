package moq.relay.session.lite;

import java.util.ArrayDeque;
import java.util.List;
import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.UpstreamFetch;
import moq.relay.fanout.StreamResetCode;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * The engine's upstream FETCH of a range over several groups asked of a moq-lite publisher, which answers one group
 * per Fetch Stream (03 §"Fetch"): the groups go in the FETCH's order (ascending, or descending), each the relay's cache
 * holds from where the range needs it copied from the cache ({@link UpstreamFetch#fromCache}), each other one asked on
 * a Fetch Stream of its own ({@link LiteUpstreamFetch}), at most {@link #GROUPS_IN_FLIGHT} groups open at once; only
 * the group whose turn it is is read (the others held, auto-read off, their bytes in QUIC's stream credit), so every
 * group's objects reach the requester whole and in order. A group's turn waits while the bytes queued for the requester
 * are past half the fetch's bound ({@link UpstreamFetch#backlogged()}, looked at every few ms), so a requester slower
 * than the publisher is paced group by group instead of reset at the bound. A group the publisher refuses (a reset before any frame) is
 * left out: a gap, which draft 18 §"FETCH" reads as objects that do not exist. A reset after frames resets the
 * requester's stream with its code; the requester's cancel resets every open Fetch Stream.
 * <p>
 * The range is clipped to the track's largest object when the relay is subscribed to it, and bounded to
 * {@link UpstreamFetch#maxGroups()} groups ({@code moq.relay.fetch.upstream.max.groups}): ascending, the first ones,
 * FETCH_OK's End Location ending with the last (the requester can fetch on from there); descending, the last ones,
 * the older rest reported as an End of Unknown Range (drafts 18 and 20; draft 14 has none). FETCH_OK (that end, the
 * track properties TRACK_INFO gave) goes when the first group answers; if none does, the FETCH is refused with
 * DOES_NOT_EXIST (the cache then serves what it holds), as a single group's is. Event-loop confined.
 */
final class LiteRangeFetch
{
    /** Fetch Streams of one range open at once: the publisher sends ahead while the relay relays the current one. */
    static final int GROUPS_IN_FLIGHT = 4;
    /** How often a range waiting for its requester to drain its queue looks again. */
    private static final long BACKLOG_RECHECK_MILLIS = 5;

    private final LiteSession session;
    private final LiteUpstream budget;
    private final UpstreamFetch fetch;
    private final List<KeyValuePair> trackProperties;
    private final int publisherPriority;
    private final boolean descending;
    private final long startGroup;
    private final long startObject;
    /** The last group of the range (inclusive) and the first object past it there (Long.MAX_VALUE: all of it). */
    private final long endGroup;
    private final long endObject;
    private final Location okEnd;
    /** Descending and bounded: the groups below the ones asked are reported unknown. */
    private final boolean truncatedBelow;
    /** Groups of the range in order: in the window, in flight or from the cache, the head's turn to be relayed. */
    private final ArrayDeque<Slot> window = new ArrayDeque<>();
    private long next;
    private long left;
    private String path;
    private String track;
    private boolean accepted;
    private boolean done;
    private boolean advancing;
    /** A look at the requester's queue is scheduled. */
    private boolean waiting;

    LiteRangeFetch(final LiteSession session, final LiteUpstream budget, final UpstreamFetch fetch,
        final List<KeyValuePair> trackProperties, final int publisherPriority)
    {
        this.session = session;
        this.budget = budget;
        this.fetch = fetch;
        this.trackProperties = trackProperties;
        this.publisherPriority = publisherPriority;
        this.descending = fetch.groupOrder() == GroupOrder.DESCENDING;
        this.startGroup = fetch.start().group();
        this.startObject = fetch.start().object();
        long eg = fetch.end().group();
        long eo = fetch.end().object() == 0 ? Long.MAX_VALUE : fetch.end().object();
        final Location largest = fetch.largest();
        if (largest != null && (eg > largest.group() || (eg == largest.group() && eo > largest.object() + 1)))
        {
            eg = largest.group(); // nothing past the largest exists yet (FETCH_OK's End Location says so too)
            eo = largest.object() + 1;
        }
        long count = Math.max(1, eg - startGroup + 1);
        final int max = fetch.maxGroups();
        boolean below = false;
        if (count > max)
        {
            if (descending)
            {
                below = true;
            }
            else
            {
                eg = startGroup + max - 1;
                eo = Long.MAX_VALUE;
            }
            count = max;
        }
        this.endGroup = eg;
        this.endObject = eo;
        this.truncatedBelow = below;
        this.okEnd = new Location(eg, eo == Long.MAX_VALUE ? 0 : eo);
        this.next = descending ? eg : startGroup;
        this.left = count;
    }

    /** Starts asking; event loop. */
    void send(final String path, final String track)
    {
        this.path = path;
        this.track = track;
        // The requester's cancel (or the relay giving up at its memory bound) resets every open Fetch Stream.
        fetch.onCancel(() -> session.transport.eventLoop().execute(this::cancel));
        advance();
    }

    /** Queues the next groups up to the window, asking the publisher for those the cache does not hold. */
    private void fill()
    {
        while (!done && left > 0 && window.size() < GROUPS_IN_FLIGHT)
        {
            final long g = next;
            next += descending ? -1 : 1;
            left--;
            final Slot s = new Slot(g, g == startGroup ? startObject : 0, g == endGroup ? endObject : Long.MAX_VALUE);
            window.addLast(s);
            if (!fetch.cacheHolds(g, s.firstObject))
            {
                s.ask();
            }
        }
    }

    /** Relays the head group's answer, then the next ones', until one is still to come; ends the fetch after the last. */
    private void advance()
    {
        if (advancing)
        {
            return; // a call from within (a group answered synchronously): the running loop sees it
        }
        advancing = true;
        try
        {
            while (!done)
            {
                fill();
                final Slot head = window.peekFirst();
                if (head == null)
                {
                    finish();
                    return;
                }
                if ((head.reader == null || !head.reader.reading()) && fetch.backlogged())
                {
                    waitForRequester(); // its next group once the requester has taken what is queued
                    return;
                }
                if (head.reader == null)
                {
                    accept();
                    if (fetch.fromCache(head.group, head.firstObject, head.endObject))
                    {
                        if (fetch.cancelled())
                        {
                            return; // over its memory bound: reset, and cancel() resets the open streams
                        }
                        window.pollFirst();
                        continue;
                    }
                    head.ask(); // evicted since it was queued: the publisher is asked after all
                }
                switch (head.state)
                {
                    case PENDING ->
                    {
                        head.reader.read();
                        if (head.state == State.PENDING)
                        {
                            return; // its frames and FIN come as the stream is read
                        }
                    }
                    case COMPLETED, REFUSED -> window.pollFirst();
                    case RESET ->
                    {
                        end(head.resetCode);
                        return;
                    }
                    default -> throw new IllegalStateException(head.state.toString());
                }
            }
        }
        finally
        {
            advancing = false;
        }
    }

    private void waitForRequester()
    {
        if (!waiting)
        {
            waiting = true;
            session.transport.eventLoop().schedule(() ->
            {
                waiting = false;
                advance();
            }, BACKLOG_RECHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void accept()
    {
        if (!accepted)
        {
            accepted = true;
            fetch.accept(false, okEnd, trackProperties);
        }
    }

    /** Every group relayed or left out: the unknown rest of a bounded descending range, then FIN. */
    private void finish()
    {
        done = true;
        if (truncatedBelow)
        {
            accept();
            fetch.endOfRange(startGroup, startObject, true);
        }
        if (accepted)
        {
            fetch.complete();
        }
        else
        {
            fetch.reject(RequestErrorCode.DOES_NOT_EXIST, "the publisher has none of the groups");
        }
    }

    /** The requester's stream is reset with {@code code}, the open Fetch Streams too. */
    private void end(final StreamResetCode code)
    {
        if (!done)
        {
            cancel();
            fetch.reset(code);
        }
    }

    /** The fetch is over (cancelled, or ended by the relay): every open Fetch Stream is reset. */
    private void cancel()
    {
        if (done)
        {
            return;
        }
        done = true;
        for (final Slot s : window)
        {
            if (s.reader != null)
            {
                s.reader.cancel(StreamResetCode.CANCELLED);
            }
        }
        window.clear();
    }

    private enum State
    {
        PENDING,
        COMPLETED,
        REFUSED,
        RESET
    }

    /** One group of the range: from the cache (no reader) or asked of the publisher. */
    private final class Slot implements LiteUpstreamFetch.Outcome
    {
        final long group;
        final long firstObject;
        final long endObject;
        LiteUpstreamFetch reader;
        State state = State.PENDING;
        StreamResetCode resetCode;

        Slot(final long group, final long firstObject, final long endObject)
        {
            this.group = group;
            this.firstObject = firstObject;
            this.endObject = endObject;
        }

        void ask()
        {
            reader = new LiteUpstreamFetch(session, budget, fetch, publisherPriority, group, firstObject, endObject,
                this, false);
            reader.send(path, track);
        }

        @Override
        public void accepted()
        {
            if (done)
            {
                return;
            }
            if (window.peekFirst() != this)
            {
                end(StreamResetCode.INTERNAL_ERROR); // a held stream was read: its objects would go out of order
                return;
            }
            accept();
        }

        @Override
        public void completed()
        {
            state = State.COMPLETED;
            advance();
        }

        @Override
        public void refused(final RequestErrorCode code, final String reason)
        {
            if (code != RequestErrorCode.DOES_NOT_EXIST && !done)
            {
                // The publisher's session is closed: no later group will come either.
                if (accepted)
                {
                    end(StreamResetCode.INTERNAL_ERROR);
                }
                else
                {
                    cancel();
                    fetch.reject(code, reason);
                }
                return;
            }
            state = State.REFUSED;
            advance();
        }

        @Override
        public void reset(final StreamResetCode code)
        {
            state = State.RESET;
            resetCode = code;
            advance();
        }
    }
}
