package moq.relay.session;

import java.util.Map;
import java.util.function.Consumer;
import moq.relay.engine.UpstreamFetch;
import moq.relay.session.request.RequestContext;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.d14.Fetch;
import moq.relay.wire.d14.FetchCancel;
import moq.relay.wire.d14.FetchError;
import moq.relay.wire.d14.FetchOk;
import moq.relay.wire.d14.GroupOrder;
import moq.relay.wire.d14.MessageParameters;
import moq.relay.wire.d14.StandaloneFetch;

/**
 * The relay's upstream FETCH on a draft-14 session: a standalone FETCH on the control stream (its request id from
 * {@link OwnRequests}), answered by FETCH_OK or FETCH_ERROR there; the objects come on the publisher's fetch stream
 * ({@link moq.relay.session.request.UpstreamFetchStream}, which takes the fetch out of {@code streams} by request id).
 * The engine's cancel is a FETCH_CANCEL. Event loop.
 */
final class Draft14UpstreamFetch
{
    private final RequestContext session;
    private final UpstreamFetch fetch;
    private final Consumer<ControlMessage> control;
    /** The fetches whose answer is awaited, by request id (the session routes FETCH_OK / FETCH_ERROR here). */
    private final Map<Long, Draft14UpstreamFetch> answers;
    /** The fetches whose fetch stream has not begun, by request id. */
    private final Map<Long, UpstreamFetch> streams;
    private long requestId = -1;
    private boolean over;

    Draft14UpstreamFetch(final RequestContext session, final UpstreamFetch fetch,
        final Consumer<ControlMessage> control, final Map<Long, Draft14UpstreamFetch> answers,
        final Map<Long, UpstreamFetch> streams)
    {
        this.session = session;
        this.fetch = fetch;
        this.control = control;
        this.answers = answers;
        this.streams = streams;
    }

    /** Queues the FETCH for a request id; false if too many of the relay's requests wait for one. */
    boolean send(final OwnRequests ownRequests)
    {
        fetch.onCancel(() -> session.onLoop(this::cancel));
        return ownRequests.submit(new OwnRequests.Request()
        {
            @Override
            public boolean obsolete()
            {
                return over || fetch.cancelled();
            }

            @Override
            public void send(final long id)
            {
                requestId = id;
                answers.put(id, Draft14UpstreamFetch.this);
                streams.put(id, fetch);
                control.accept(Fetch.standalone(id, fetch.subscriberPriority(), GroupOrder.ASCENDING,
                    new StandaloneFetch(fetch.track().namespace(), fetch.track().name(), fetch.start(),
                        fetch.end()), MessageParameters.EMPTY));
            }
        });
    }

    void answered(final FetchOk ok)
    {
        answers.remove(requestId);
        fetch.accept(ok.endOfTrack(), ok.endLocation(), java.util.List.of());
    }

    void answered(final FetchError e)
    {
        answers.remove(requestId);
        streams.remove(requestId);
        over = true;
        fetch.reject(Draft14Codes.fromSubscribeError(e.errorCode()), e.reason().toString());
    }

    private void cancel()
    {
        if (over)
        {
            return;
        }
        over = true;
        if (requestId != -1)
        {
            answers.remove(requestId);
            streams.remove(requestId);
            control.accept(new FetchCancel(requestId));
        }
    }
}
