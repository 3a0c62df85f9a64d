package moq.relay.session.request;

import moq.relay.engine.RequestErrorCode;

/**
 * The life a request of the peer that the engine answers shares with the others (SUBSCRIBE, FETCH,
 * PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS):
 * <pre>
 * REQUESTED --engine ok--> ACTIVE --its end / peer cancel--> ENDED
 *     +--engine error / peer cancel--> ENDED
 * </pre>
 * ENDED is final: an answer that arrives later changes nothing, and the request leaves its session's table exactly
 * once. Event loop.
 */
public abstract class AnsweredRequest implements PeerRequest
{
    public enum State
    {
        REQUESTED,
        ACTIVE,
        ENDED
    }

    protected final RequestContext session;
    protected final long requestId;
    protected final Replies replies;
    private final Runnable ended;
    private State state = State.REQUESTED;

    /** @param ended told once when the request leaves the session's table (refused, ended, cancelled) */
    protected AnsweredRequest(final RequestContext session, final long requestId, final Replies replies,
        final Runnable ended)
    {
        this.session = session;
        this.requestId = requestId;
        this.replies = replies;
        this.ended = ended;
    }

    public final State state()
    {
        return state;
    }

    public final long requestId()
    {
        return requestId;
    }

    /** The engine accepted the request: REQUESTED becomes ACTIVE; false if it had ended meanwhile. */
    protected final boolean activate()
    {
        if (state != State.REQUESTED)
        {
            return false;
        }
        state = State.ACTIVE;
        return true;
    }

    /** The engine refused the request: its error answer, unless it had ended meanwhile. */
    protected void refused(final RequestErrorCode code, final String reason)
    {
        if (leave())
        {
            replies.error(code, reason);
        }
    }

    /** Moves to ENDED and leaves the session's table; false if the request had ended before. */
    protected final boolean leave()
    {
        if (state == State.ENDED)
        {
            return false;
        }
        state = State.ENDED;
        ended.run();
        return true;
    }

    /** The peer ended the request: the engine releases what it holds for it. */
    @Override
    public void cancel()
    {
        if (leave())
        {
            session.engine().cancel(requestId);
        }
    }
}
