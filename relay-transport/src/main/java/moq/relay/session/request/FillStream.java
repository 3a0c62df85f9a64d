package moq.relay.session.request;

import java.util.List;
import moq.relay.engine.FetchCallback;
import moq.relay.engine.FetchRequest;
import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.fanout.StreamResetCode;
import moq.relay.session.egress.FetchStreamWriter;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;

/**
 * A subscription's fill fetch stream (draft-21 §3.4): opened right after SUBSCRIBE_OK (objects follow once the engine
 * answered, as a relay may start a FETCH's stream before knowing its result, §3.2.1), its FETCH_HEADER carrying the
 * SUBSCRIBE's Request ID, no FETCH_OK. The range is served as a FETCH is (from the cache, else from a publisher by
 * upstream FETCH) and ends at the Largest Object SUBSCRIBE_OK carried, where the subscription's Next Object filter
 * begins: no gap, no duplicate. The fill's Range Filters (the subscription's, those inside FILL_PARAMETERS replacing
 * theirs) apply to what the stream carries. A failure opens the stream and resets it after the header (§3.4.1, there is no error
 * answer); the subscription's cancel resets it; its end does not (the fill finishes). Event loop.
 *
 * <p>The engine knows the fill under a key of its own, {@code -1 - requestId}: the session's request table already
 * holds the subscription under its Request ID, and a peer's Request ID (a varint) is never negative.
 */
public final class FillStream implements FetchStreamWriter.Ended
{
    private final RequestContext session;
    private final long requestId;
    private final Fill fill;
    private FetchStreamWriter writer;
    private boolean open;
    /** The fill's range and request, for serving the rest from the cache when the wait for the publisher ends. */
    private FetchRequest request;
    private java.util.concurrent.ScheduledFuture<?> waitTimer;

    public FillStream(final RequestContext session, final long requestId, final Fill fill)
    {
        this.session = session;
        this.requestId = requestId;
        this.fill = fill;
    }

    /** The engine's key for the fill of subscription {@code requestId}. */
    static long engineKey(final long requestId)
    {
        return -1 - requestId;
    }

    /**
     * SUBSCRIBE_OK went out with {@code largest}: asks the engine for the fill range, if it is not empty. Forward 0
     * opens none (§3.4.1).
     */
    public void start(final FullTrackName track, final Location largest, final boolean forward,
        final moq.relay.fanout.ObjectFilter objectFilter)
    {
        final Location[] range = forward ? fill.range().resolve(largest) : null;
        if (range == null)
        {
            return;
        }
        final Location last = range[1];
        final FetchRequest request = new FetchRequest(FetchRequest.Type.STANDALONE, track, range[0],
            new Location(last.group(), last.object() + 1), -1, 0, fill.subscriberPriority(), fill.order())
            .withObjectFilter(objectFilter);
        this.request = request;
        final FetchStreamWriter w = new FetchStreamWriter(session.transport(), session.engine().egressLoop(),
            session.draft(), requestId, fill.order() == moq.relay.engine.GroupOrder.DESCENDING, this);
        writer = w;
        open = true;
        final boolean cacheOnly = fill.timeoutMillis() == 0;
        if (cacheOnly)
        {
            w.reportUnknownAsTimedOut();
        }
        w.start();
        final FetchCallback answer = new FetchCallback()
        {
            @Override
            public void ok(final boolean endOfTrack, final Location endLocation, final List<KeyValuePair> properties)
            {
                // the stream is open (or opening); the engine's delivery writes once it is writable
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                session.onLoop(() -> w.resetAfterHeader(StreamResetCode.INTERNAL_ERROR.code()));
            }
        };
        // FILL_TIMEOUT 0: "MUST NOT wait for upstream delivery" (§9.20.6).
        if (cacheOnly)
        {
            session.engine().fetchCached(engineKey(requestId), request, w, answer);
        }
        else
        {
            // FILL_TIMEOUT is the most the relay waits for upstream sources (§9.20.6); absent, or above what the
            // relay is willing to wait, the relay's own bound (moq.relay.fill.max.wait).
            final long max = session.engine().fillMaxWaitMillis();
            final long asked = fill.timeoutMillis();
            final long wait = max == 0 ? asked : asked < 0 ? max : Math.min(asked, max);
            session.engine().fetch(engineKey(requestId), request, w, answer);
            if (wait > 0)
            {
                waitTimer = session.transport().eventLoop().schedule(() -> stopWaiting(answer), wait,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * The fill's wait for upstream sources is over and its stream has not ended: the engine's fetch (the publisher's
     * answer still coming) is cancelled, and the rest of the range, from after the last object written, is served
     * from the cache alone: what it lacks is reported as an End of Timed-Out Range, what it holds is delivered
     * (§9.20.6: "reports any remaining unavailable Objects as Timed-Out gaps ... and continues delivering available
     * Objects in the range"). Event loop, which is the fill's egress loop: the writer is quiet meanwhile.
     */
    private void stopWaiting(final FetchCallback answer)
    {
        final FetchStreamWriter w = writer;
        if (w == null || w.isDone() || request.groupOrder() == moq.relay.engine.GroupOrder.DESCENDING)
        {
            return; // ended, or descending: served from the cache already, never upstream
        }
        final Location next = w.resumeFrom(request.start());
        session.engine().cancel(engineKey(requestId));
        w.reportUnknownAsTimedOut();
        final Location end = request.end(); // FETCH encoding: object 0 = the whole end group
        if (end.object() == 0 ? Long.compareUnsigned(next.group(), end.group()) > 0 : next.compareTo(end) >= 0)
        {
            w.end(); // the last object of the range was written: only the FIN was missing
            return;
        }
        session.engine().fetchCached(engineKey(requestId), new FetchRequest(FetchRequest.Type.STANDALONE,
            request.track(), next, request.end(), -1, 0, request.subscriberPriority(), request.groupOrder())
            .withObjectFilter(request.objectFilter()), w, answer);
    }

    /** Whether the fill stream was opened and has ended (FIN or reset): nothing more to cancel. */
    boolean isDone()
    {
        return writer != null && writer.isDone();
    }

    /** Data streams this fill opened, for PUBLISH_DONE's Stream Count: 1 once asked for, else 0. */
    public int streamCount()
    {
        return open ? 1 : 0;
    }

    /** The subscription was cancelled (or its grant expired): the fill stream is reset with {@code code} (§3.4.1). */
    public void cancel(final long code)
    {
        stopTimer();
        if (writer != null)
        {
            writer.cancel(code);
            session.engine().cancel(engineKey(requestId));
        }
    }

    /** The fill stream ended (FIN, or reset): the engine releases the fill. */
    @Override
    public void fetchEnded(final boolean complete)
    {
        stopTimer();
        session.engine().cancel(engineKey(requestId));
    }

    private void stopTimer()
    {
        if (waitTimer != null)
        {
            waitTimer.cancel(false);
            waitTimer = null;
        }
    }
}
