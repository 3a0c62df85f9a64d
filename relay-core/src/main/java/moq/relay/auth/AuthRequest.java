package moq.relay.auth;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * One request to authorize: its action, the Track Namespace it names (the prefix, for SUBSCRIBE_NAMESPACE and
 * SUBSCRIBE_TRACKS; empty for PUBLISH_NAMESPACE-less actions) and its track name (null when it names none).
 */
public record AuthRequest(Action action, TrackNamespace namespace, Bytes track)
{
    public AuthRequest
    {
        namespace = namespace == null ? TrackNamespace.EMPTY : namespace;
    }

    public static AuthRequest of(final Action action, final TrackNamespace namespace, final Bytes track)
    {
        return new AuthRequest(action, namespace, track);
    }
}
