package moq.relay.session.request;

/**
 * The publisher side of one subscription, as the relay runs it downstream ({@link DownstreamSubscribe}: the peer's
 * SUBSCRIBE; {@link OfferedTrack}: a track it PUBLISHes to the peer) and as the client runs it for a track it publishes
 * ({@code moq.relay.client}: the relay's SUBSCRIBE, the client's own PUBLISH): one machine, so a fix to when objects
 * may flow, when PUBLISH_DONE goes out and what a subscriber's cancel does lands in both.
 * <pre>
 * REQUESTED --SUBSCRIBE_OK sent--> ACTIVE --PUBLISH_DONE sent--> DONE --subscriber's close--> ENDED
 * OFFERED --PUBLISH_OK--> ACTIVE --subscriber's cancel--> ENDED (its data streams reset)
 *     REQUESTED / OFFERED --refused, REQUEST_ERROR, cancel--> ENDED
 *     REQUESTED / OFFERED --PUBLISH_DONE sent--> DONE
 * </pre>
 * Objects flow only while ACTIVE, so none overtakes the answer. After PUBLISH_DONE the subscriber closing its side is
 * no cancel: the data streams PUBLISH_DONE counted are left to finish. The owner does what each transition means to
 * it (the engine's subscription and writer for the relay, the application's track and futures for the client). Event
 * loop of the subscription's session.
 */
public final class PublisherSide
{
    public enum State
    {
        /** A SUBSCRIBE awaits its answer. */
        REQUESTED,
        /** A PUBLISH of ours awaits PUBLISH_OK. */
        OFFERED,
        /** Objects flow to the subscriber. */
        ACTIVE,
        /** PUBLISH_DONE went out; the last data streams finish. */
        DONE,
        ENDED
    }

    private State state;

    private PublisherSide(final State initial)
    {
        this.state = initial;
    }

    /** The publisher side of the peer's SUBSCRIBE, not yet answered. */
    public static PublisherSide requested()
    {
        return new PublisherSide(State.REQUESTED);
    }

    /** The publisher side of a PUBLISH of ours, not yet answered. */
    public static PublisherSide offered()
    {
        return new PublisherSide(State.OFFERED);
    }

    public State state()
    {
        return state;
    }

    /** Whether objects flow to the subscriber. */
    public boolean active()
    {
        return state == State.ACTIVE;
    }

    /**
     * The SUBSCRIBE is answered with SUBSCRIBE_OK, or the peer's PUBLISH_OK accepted the offer: objects may flow.
     * False, and nothing changes, unless the subscription awaited that answer.
     */
    public boolean accepted()
    {
        if (state != State.REQUESTED && state != State.OFFERED)
        {
            return false;
        }
        state = State.ACTIVE;
        return true;
    }

    /**
     * The SUBSCRIBE is refused, or the peer declined the offer (REQUEST_ERROR): false, and nothing changes, unless the
     * subscription awaited that answer.
     */
    public boolean declined()
    {
        if (state != State.REQUESTED && state != State.OFFERED)
        {
            return false;
        }
        state = State.ENDED;
        return true;
    }

    /**
     * The publisher ends the subscription: whether PUBLISH_DONE goes out, once, and never after a refusal or the
     * subscriber's cancel (the relay's engine may end a subscription whose acceptance has not reached the event loop
     * yet: PUBLISH_DONE then goes out without SUBSCRIBE_OK).
     */
    public boolean done()
    {
        if (state == State.DONE || state == State.ENDED)
        {
            return false;
        }
        state = State.DONE;
        return true;
    }

    /**
     * The subscriber cancelled (its request stream closed, UNSUBSCRIBE): whether that is a cancel, whose data streams
     * are reset. After PUBLISH_DONE it is not (the last streams finish); either way the subscription is ENDED.
     */
    public boolean cancelled()
    {
        final boolean cancel = state != State.DONE && state != State.ENDED;
        state = State.ENDED;
        return cancel;
    }

    /** Whether an update of the subscription (REQUEST_UPDATE, SUBSCRIBE_UPDATE) applies: only while ACTIVE. */
    public boolean updatable()
    {
        return state == State.ACTIVE;
    }
}
