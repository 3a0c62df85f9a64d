package moq.relay.store;

/**
 * A reader of a {@link TrackLog} that may reference log memory from {@link #heldFrom()} on: an egress loop's view of
 * a track (its subscribers' cursors and any payload views their writers still retain), or a fetch.
 * <p>
 * Protocol (Dekker style, both sides use volatile accesses): a reader first publishes a held-from position no greater
 * than what it is about to read, then reads {@link TrackLog#floor()}; positions below the floor are lost and must be
 * skipped. The log first raises the floor, then reads every holder's held-from, and recycles a segment only when no
 * holder is below the segment's end. So a record is never overwritten while a holder may read it.
 */
public interface LogHolder
{
    long NOTHING_HELD = Long.MAX_VALUE;

    /** Lowest log position this holder may still read or have lent to a writer. */
    long heldFrom();

    /** New records were published (called on the ingest thread after the ring event; must be cheap). */
    default void signal()
    {
    }

    /**
     * New records were committed but no ring event could be published for them (the ring is full: some egress loop
     * is behind). The holder must look at the log itself on its next poll. Ingest thread; must not block.
     */
    default void missedEvent()
    {
        signal();
    }
}
