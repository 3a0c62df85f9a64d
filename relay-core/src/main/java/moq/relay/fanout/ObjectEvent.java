package moq.relay.fanout;

/**
 * One slot of the fan-out ring: "track {@link #trackId} has records up to {@link #end}, the last one starting at
 * {@link #position}, ingested at {@link #ingestNanos}". Preallocated and reused; no payload, only log positions.
 */
public final class ObjectEvent
{
    public int trackId;
    public long position;
    public long end;
    public long ingestNanos;

    public void set(final int trackId, final long position, final long end, final long ingestNanos)
    {
        this.trackId = trackId;
        this.position = position;
        this.end = end;
        this.ingestNanos = ingestNanos;
    }
}
