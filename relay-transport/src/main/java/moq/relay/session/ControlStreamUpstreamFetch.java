package moq.relay.session;

import java.util.Map;
import java.util.function.Consumer;
import moq.relay.engine.UpstreamFetch;
import moq.relay.session.request.RequesterSide;
import moq.relay.session.request.RequestContext;
import moq.relay.wire.ControlMessage;

/**
 * The relay's upstream FETCH on a control-stream session (draft 14): a standalone FETCH on the control stream (its
 * request id from {@link OwnRequests}), answered by FETCH_OK or an error there (read by the dialect into a
 * {@link RequestMessage}); the objects come on the publisher's fetch stream
 * ({@link moq.relay.session.request.UpstreamFetchStream}, which takes the fetch out of {@code streams} by request
 * id). The engine's cancel is the dialect's FETCH_CANCEL. Its life is the {@link RequesterSide} the client's FETCH runs
 * too. Event loop.
 */
final class ControlStreamUpstreamFetch
{
    private final RequestContext session;
    private final ControlStreamDialect dialect;
    private final UpstreamFetch fetch;
    private final Consumer<ControlMessage> control;
    /** The fetches whose answer is awaited, by request id (the session routes their answers here). */
    private final Map<Long, ControlStreamUpstreamFetch> answers;
    /** The fetches whose fetch stream has not begun, by request id. */
    private final Map<Long, UpstreamFetch> streams;
    private long requestId = -1;
    private final RequesterSide side = new RequesterSide();

    ControlStreamUpstreamFetch(final RequestContext session, final ControlStreamDialect dialect,
        final UpstreamFetch fetch, final Consumer<ControlMessage> control,
        final Map<Long, ControlStreamUpstreamFetch> answers, final Map<Long, UpstreamFetch> streams)
    {
        this.session = session;
        this.dialect = dialect;
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
                return side.state() == RequesterSide.State.ENDED || fetch.cancelled();
            }

            @Override
            public void send(final long id)
            {
                requestId = id;
                side.sent();
                answers.put(id, ControlStreamUpstreamFetch.this);
                streams.put(id, fetch);
                control.accept(dialect.fetch(id, fetch));
            }
        });
    }

    /** The peer's answer: FETCH_OK, or an error; anything else for a FETCH is ignored. */
    void answered(final RequestMessage answer)
    {
        if (answer instanceof RequestMessage.FetchOk ok && side.accepted())
        {
            answers.remove(requestId);
            fetch.accept(ok.endOfTrack(), ok.end(), ok.properties());
        }
        else if (answer instanceof RequestMessage.Error e && side.rejected())
        {
            answers.remove(requestId);
            streams.remove(requestId);
            fetch.reject(e.code(), e.reason());
        }
    }

    private void cancel()
    {
        if (side.cancelled())
        {
            answers.remove(requestId);
            streams.remove(requestId);
            control.accept(dialect.fetchCancel(requestId));
        }
    }
}
