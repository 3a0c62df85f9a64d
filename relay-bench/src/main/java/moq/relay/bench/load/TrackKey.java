package moq.relay.bench.load;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/** Track {@code spec} of publisher {@code publisher}: namespace {@code bench/p<publisher>}, track name the spec's. */
public record TrackKey(int publisher, TrackSpec spec)
{
    public TrackNamespace namespace()
    {
        return namespace(publisher);
    }

    public static TrackNamespace namespace(final int publisher)
    {
        return TrackNamespace.of("bench", "p" + publisher);
    }

    public Bytes trackName()
    {
        return Bytes.utf8(spec.name());
    }

    /** {@code p<publisher>/<name>}: how results and the ceiling's stdout name the track. */
    public String label()
    {
        return "p" + publisher + "/" + spec.name();
    }
}
