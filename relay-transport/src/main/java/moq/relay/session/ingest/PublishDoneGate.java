package moq.relay.session.ingest;

/**
 * When an upstream PUBLISH_DONE may take effect (draft-18 §PUBLISH_DONE): the message travels on a control stream
 * and overtakes data still in flight or being retransmitted, so it waits until the streams it counts have ended; if
 * some never show up (a stream reset before its header, a wrong count, the unknown count), it stops waiting for them
 * after the grace period, but a stream that did start is still read to its end: "once the timer has expired, the
 * receiver destroys subscription state once all open streams for the subscription have closed". Ending the
 * subscription earlier would reset, downstream, a subgroup whose last objects are merely late. One per upstream
 * subscription, on its session's event loop.
 */
public final class PublishDoneGate
{
    private int streamsStarted;
    private int streamsEnded;
    private long doneStreamCount = -1;
    private boolean graceOver;

    /** A data stream of the subscription started (its header named the subscription's alias). */
    public void streamStarted()
    {
        streamsStarted++;
    }

    /** A started data stream ended (FIN or reset). */
    public void streamEnded()
    {
        streamsEnded++;
    }

    /** PUBLISH_DONE arrived with this Stream Count. */
    public void done(final long streamCount)
    {
        doneStreamCount = streamCount;
    }

    public boolean doneReceived()
    {
        return doneStreamCount >= 0;
    }

    /** Whether the grace timer is still needed: PUBLISH_DONE counts streams that have not ended yet. */
    public boolean waitingForCountedStreams()
    {
        return streamsEnded < doneStreamCount;
    }

    /** The grace period after PUBLISH_DONE is over: streams that have not started are no longer waited for. */
    public void graceOver()
    {
        graceOver = true;
    }

    /** PUBLISH_DONE may take effect now: every stream it counts ended, or the grace is over; no started stream open. */
    public boolean ready()
    {
        return doneReceived() && streamsEnded >= streamsStarted && (graceOver || streamsEnded >= doneStreamCount);
    }
}
