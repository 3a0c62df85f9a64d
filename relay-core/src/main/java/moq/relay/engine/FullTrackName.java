package moq.relay.engine;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/** Namespace plus track name: the key of a track in the relay. */
public record FullTrackName(TrackNamespace namespace, Bytes name)
{
    public static FullTrackName of(final String name, final String... namespace)
    {
        return new FullTrackName(TrackNamespace.of(namespace), Bytes.utf8(name));
    }

    @Override
    public String toString()
    {
        return namespace + "/" + name;
    }
}
