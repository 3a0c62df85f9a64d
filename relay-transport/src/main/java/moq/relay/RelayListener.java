package moq.relay;

import moq.relay.engine.FullTrackName;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.wire.TrackNamespace;

/**
 * What an embedding application hears from a {@link MoqRelay}: sessions opening and closing, and what they publish
 * and subscribe. Every method has an empty default.
 *
 * <p>Threading: called on the relay's threads, mostly with the engine's control lock held: return quickly, never
 * block, never call back into the relay from the callback (hand the event to your own executor instead).
 */
public interface RelayListener
{
    /** Hears nothing. */
    RelayListener NONE = new RelayListener()
    {
    };

    default void sessionOpened(final SessionInfo session)
    {
    }

    /** {@code session}'s connection is gone and the relay released what it held. */
    default void sessionClosed(final SessionInfo session)
    {
    }

    /** {@code session} published a namespace (PUBLISH_NAMESPACE accepted). */
    default void namespacePublished(final SessionInfo session, final TrackNamespace namespace)
    {
    }

    /** {@code session} published a track (PUBLISH accepted). */
    default void trackPublished(final SessionInfo session, final FullTrackName track)
    {
    }

    /** {@code session} subscribed to a track (SUBSCRIBE_OK sent). */
    default void subscribed(final SessionInfo session, final FullTrackName track)
    {
    }

    /**
     * A request of {@code session} was refused with {@code error} (draft-18 code point; the session's draft carries
     * its own encoding). {@code track} is null for requests about a namespace or prefix; {@code namespace} is null for
     * REQUEST_UPDATE and some FETCHes.
     */
    default void requestRefused(final SessionInfo session, final RequestKind kind, final TrackNamespace namespace,
        final moq.relay.wire.Bytes track, final RequestErrorCode error)
    {
    }

    /**
     * A session as listeners see it.
     *
     * @param id        unique in the relay, in opening order
     * @param name      the relay's name for it (kind and peer address)
     * @param draft     "draft-18" or "draft-14"
     * @param transport "quic" (raw QUIC) or "webtransport"
     */
    record SessionInfo(long id, String name, String draft, String transport)
    {
    }
}
