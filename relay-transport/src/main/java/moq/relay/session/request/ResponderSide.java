package moq.relay.session.request;

/**
 * The side that answers a request of the peer's once, with its OK or an error, and serves it until it ends or the
 * requester cancels it: the relay's answered requests ({@link AnsweredRequest}: the peer's SUBSCRIBE, FETCH,
 * PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS) and the client's answer to its peer's FETCH
 * ({@code moq.relay.client}). One machine for the relay and the client, so which answer counts, that a cancel
 * (FETCH_CANCEL, the request stream's end) stops what is served, and that the request leaves its session's table
 * exactly once land in both.
 * <pre>
 * REQUESTED --OK sent--> ACTIVE --its end (a FETCH's stream written) / the requester's cancel--> ENDED
 *     +--refused (its error sent) / the requester's cancel--> ENDED
 * </pre>
 * ENDED is final: what happens later (an engine's late answer, a cancel after the fetch stream's FIN) changes nothing.
 * The owner does what each transition means to it (the engine's request and its writer for the relay, the
 * application's {@code FetchSource} and the fetch stream for the client). Event loop of the request's session.
 */
public final class ResponderSide
{
    public enum State
    {
        REQUESTED,
        ACTIVE,
        ENDED
    }

    private State state = State.REQUESTED;

    public State state()
    {
        return state;
    }

    /** Whether the request is served (its OK went out, it has not ended). */
    public boolean active()
    {
        return state == State.ACTIVE;
    }

    /** Its OK goes out: REQUESTED becomes ACTIVE; false, and nothing changes, if it had ended meanwhile. */
    public boolean accepted()
    {
        if (state != State.REQUESTED)
        {
            return false;
        }
        state = State.ACTIVE;
        return true;
    }

    /**
     * It ends (refused, finished, or cancelled by the requester): whether it had not ended before, so that the owner
     * frees what it holds, sends a refusal's error or resets a cancelled request's stream exactly once.
     */
    public boolean ended()
    {
        if (state == State.ENDED)
        {
            return false;
        }
        state = State.ENDED;
        return true;
    }
}
