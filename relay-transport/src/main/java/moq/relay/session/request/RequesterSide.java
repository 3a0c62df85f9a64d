package moq.relay.session.request;

/**
 * The side that sent a request answered once, with its OK or an error, and ended by either side later: a FETCH (the
 * relay's upstream FETCH on either draft shape, the client's FETCH) or a PUBLISH_NAMESPACE (the relay's own for a
 * draft-14 peer's SUBSCRIBE_NAMESPACE, the client's). One machine for the relay and the client
 * ({@code moq.relay.client}), so a fix to which answer counts and what a cancel or a lost request means lands in both.
 * <pre>
 * QUEUED --sent--> REQUESTED --OK (FETCH_OK, REQUEST_OK)--> ACCEPTED --our cancel / the peer's end--> ENDED
 *    |                 +--error / its request stream ended unanswered / our cancel--> ENDED
 *    +--our cancel--> ENDED (nothing was sent: nothing to tell)
 * </pre>
 * A draft-14 request waits QUEUED for a request id the peer's MAX_REQUEST_ID allows; a request stream's until its
 * stream opened. Only the first answer counts; our cancel (FETCH_CANCEL, PUBLISH_NAMESPACE_DONE, a stream reset) is
 * owed only for a request that went out and had not ended. Event loop of the request's session.
 */
public final class RequesterSide
{
    public enum State
    {
        QUEUED,
        REQUESTED,
        ACCEPTED,
        ENDED
    }

    private State state = State.QUEUED;

    public State state()
    {
        return state;
    }

    /** The request went out; false, and nothing changes, once it was cancelled meanwhile. */
    public boolean sent()
    {
        if (state != State.QUEUED)
        {
            return false;
        }
        state = State.REQUESTED;
        return true;
    }

    /** Its OK: false, and ignored, unless it is the first answer. */
    public boolean accepted()
    {
        if (state != State.REQUESTED)
        {
            return false;
        }
        state = State.ACCEPTED;
        return true;
    }

    /** Its error: false, and ignored, unless it is the first answer. */
    public boolean rejected()
    {
        if (state != State.REQUESTED)
        {
            return false;
        }
        state = State.ENDED;
        return true;
    }

    /**
     * Its request stream ended (drafts 18, 20): true when it ended unanswered, which fails the request (the owner
     * rejects it); after the OK it changes nothing here.
     */
    public boolean lostUnanswered()
    {
        return rejected();
    }

    /** We end the request (cancel a FETCH, withdraw a namespace): whether the peer must be told. */
    public boolean cancelled()
    {
        final boolean told = state == State.REQUESTED || state == State.ACCEPTED;
        state = State.ENDED;
        return told;
    }

    /**
     * The peer ended the request after its OK (PUBLISH_NAMESPACE_CANCEL, draft 18: the request stream's end): false if
     * it had ended before.
     */
    public boolean endedByPeer()
    {
        if (state == State.ENDED)
        {
            return false;
        }
        state = State.ENDED;
        return true;
    }
}
