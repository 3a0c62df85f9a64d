package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * Checks on locally built names, mirroring what decoding enforces (draft-18 §"Track Naming", draft-21 §8.7: the
 * rule did not change), for the records of both request-stream drafts.
 */
public final class Names
{
    private Names()
    {
    }

    /** Drafts 18 and 20 forbid zero-length namespace fields. */
    public static TrackNamespace requireValid(final TrackNamespace namespace)
    {
        if (namespace == null)
        {
            throw new IllegalArgumentException("namespace required");
        }
        for (final Bytes f : namespace.fields())
        {
            if (f.length() == 0)
            {
                throw new IllegalArgumentException("empty namespace field in " + namespace);
            }
        }
        if (namespace.byteLength() > TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH)
        {
            throw new IllegalArgumentException("namespace longer than " + TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH);
        }
        return namespace;
    }

    /** Namespace plus track name at most 4,096 bytes. */
    public static void requireFullTrackName(final TrackNamespace namespace, final Bytes trackName)
    {
        requireValid(namespace);
        if (trackName == null)
        {
            throw new IllegalArgumentException("track name required");
        }
        if (namespace.byteLength() + trackName.length() > TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH)
        {
            throw new IllegalArgumentException("full track name longer than " +
                TrackNamespace.MAX_FULL_TRACK_NAME_LENGTH);
        }
    }

    public static <T> T require(final T value, final String what)
    {
        if (value == null)
        {
            throw new IllegalArgumentException(what + " required");
        }
        return value;
    }
}
