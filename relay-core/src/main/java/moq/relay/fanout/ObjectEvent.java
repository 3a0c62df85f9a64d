package moq.relay.fanout;

/**
 * One slot of the fan-out ring: "track {@link #trackId} has new records, the last one starting at {@link #position},
 * ingested at {@link #ingestNanos}". Preallocated and reused; no payload, only a log position. The fan-out reads the
 * log up to its committed end, which is at least the end of that record.
 */
public final class ObjectEvent
{
    public int trackId;
    public long position;
    public long ingestNanos;

    public void set(final int trackId, final long position, final long ingestNanos)
    {
        this.trackId = trackId;
        this.position = position;
        this.ingestNanos = ingestNanos;
    }
}
