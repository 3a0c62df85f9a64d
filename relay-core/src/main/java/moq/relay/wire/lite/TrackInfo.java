package moq.relay.wire.lite;

/**
 * TRACK_INFO (lite-05, the only reply on a Track Stream): the track's immutable publisher properties, which lite-05
 * moved off SUBSCRIBE_OK.
 *
 * @param timescale frame timestamp units per second; never 0 (every lite-05 frame carries a timestamp).
 */
public record TrackInfo(int priority, boolean ordered, long maxLatencyMs, long timescale) implements LiteMessage
{
    public TrackInfo
    {
        LiteMessage.checkU8(priority, "priority");
        LiteMessage.checkVarint(maxLatencyMs, "max latency");
        LiteMessage.checkVarint(timescale, "timescale");
        if (timescale == 0)
        {
            throw new IllegalArgumentException("timescale 0");
        }
    }

    @Override
    public String name()
    {
        return "TRACK_INFO";
    }
}
