package moq.relay.session.request;

import java.util.concurrent.TimeUnit;
import moq.relay.session.ingest.PublishDoneGate;
import io.netty.channel.EventLoop;

/**
 * The subscriber side of one subscription, as the relay runs it upstream ({@link UpstreamTrack}: its SUBSCRIBE, or a
 * track a peer PUBLISHes to it) and as the client runs it for an application ({@code moq.relay.client}): one machine,
 * so a fix to when a subscription is established, ends or is lost lands in both.
 * <pre>
 * REQUESTED --SUBSCRIBE_OK (or the peer's PUBLISH)--> ESTABLISHED --PUBLISH_DONE, its streams ended--> ENDED
 *     +--REQUEST_ERROR / request lost / cancelled--> ENDED
 * </pre>
 * PUBLISH_DONE takes effect once every data stream it counts has ended (data may trail the message), or, when some
 * never show up, after the grace period; either way not before every stream that started has ended
 * ({@link PublishDoneGate}). The owner says what each outcome means to it. Event loop of the subscription's session.
 */
public final class SubscriberSide
{
    public enum State
    {
        REQUESTED,
        ESTABLISHED,
        ENDED
    }

    /** What the subscription's request ended with when its stream or session was lost ({@link #lost}). */
    public enum Loss
    {
        /** Nothing to do: already ended, or the session is closing (its close ends everything). */
        NONE,
        /** Lost before any answer: the request failed. */
        UNANSWERED,
        /** Lost after SUBSCRIBE_OK and before any PUBLISH_DONE: the publisher cancelled it. */
        WITHOUT_PUBLISH_DONE
    }

    /** What the owner supplies and is told. */
    public interface Owner
    {
        EventLoop eventLoop();

        long publishDoneGraceMillis();

        /** Whether the session is closed or closing: timers then do nothing. */
        boolean closed();

        /** The PUBLISH_DONE received takes effect now; the machine is ENDED. */
        void publishDoneTakesEffect();
    }

    private final Owner owner;
    private PublishDoneGate doneGate;
    private State state = State.REQUESTED;
    private boolean graceScheduled;

    public SubscriberSide(final Owner owner)
    {
        this.owner = owner;
        this.doneGate = new PublishDoneGate();
    }

    public State state()
    {
        return state;
    }

    /** SUBSCRIBE_OK, or the peer's PUBLISH: the track is established. */
    public void established()
    {
        if (state == State.REQUESTED)
        {
            state = State.ESTABLISHED;
        }
    }

    /**
     * SUBSCRIBE_OK, {@code streams} counting the subscription's data streams that started (and ended) before its alias
     * was known (the client's case; the relay holds such streams until the alias is known).
     */
    public void established(final PublishDoneGate streams)
    {
        if (state == State.REQUESTED)
        {
            doneGate = streams;
            state = State.ESTABLISHED;
        }
    }

    /** Ends the subscription (an error, a cancel, the outcome of PUBLISH_DONE); ENDED is final. */
    public void end()
    {
        state = State.ENDED;
    }

    /**
     * PUBLISH_DONE with {@code streamCount}: false, and ignored, unless the subscription is established and had none
     * yet; otherwise it takes effect ({@link Owner#publishDoneTakesEffect}) now or once its streams ended.
     */
    public boolean publishDone(final long streamCount)
    {
        if (state != State.ESTABLISHED || doneGate.doneReceived())
        {
            return false;
        }
        doneGate.done(streamCount);
        maybeDone();
        return true;
    }

    public boolean publishDoneReceived()
    {
        return doneGate.doneReceived();
    }

    /** A data stream of the subscription started (its header named the alias). */
    public void streamStarted()
    {
        doneGate.streamStarted();
    }

    /** A started data stream ended (FIN or reset). */
    public void streamEnded()
    {
        doneGate.streamEnded();
        maybeDone();
    }

    /**
     * The request (its stream) ended without an answer or PUBLISH_DONE: what that means, and the machine ENDED for
     * anything but {@link Loss#NONE}. Not once the session closed: its close ends every subscription.
     */
    public Loss lost(final boolean sessionClosing)
    {
        if (state == State.ENDED || sessionClosing)
        {
            return Loss.NONE;
        }
        if (state == State.REQUESTED)
        {
            state = State.ENDED;
            return Loss.UNANSWERED;
        }
        if (!doneGate.doneReceived())
        {
            state = State.ENDED;
            return Loss.WITHOUT_PUBLISH_DONE;
        }
        return Loss.NONE;
    }

    private void maybeDone()
    {
        if (state != State.ESTABLISHED || !doneGate.doneReceived())
        {
            return;
        }
        if (doneGate.waitingForCountedStreams() && !graceScheduled)
        {
            graceScheduled = true;
            owner.eventLoop().schedule(() ->
            {
                if (state == State.ESTABLISHED && !owner.closed())
                {
                    doneGate.graceOver();
                    maybeDone();
                }
            }, owner.publishDoneGraceMillis(), TimeUnit.MILLISECONDS);
        }
        if (doneGate.ready())
        {
            state = State.ENDED;
            owner.publishDoneTakesEffect();
        }
    }
}
