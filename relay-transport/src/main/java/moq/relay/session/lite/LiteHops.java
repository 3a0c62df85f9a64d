package moq.relay.session.lite;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import moq.relay.wire.TrackNamespace;

/**
 * The hop chain (moq-lite Hop IDs, origin first, ending with the hop that announced it to this relay) of each
 * namespace a moq-lite publisher announced here, shared by the relay's moq-lite sessions: an Announce Stream to a
 * subscriber forwards the chain (the relay's own hop after it) and honours the subscriber's Exclude Hop against it, so
 * relays in a cluster do not route a broadcast back in a loop (lite-04+ ANNOUNCE_PLEASE, lite-05 ANNOUNCE_OK). A
 * namespace a MoQT session publishes has no chain (the relay is its first hop). Bounded by the publishers' broadcast
 * caps ({@code moq.relay.lite.max.broadcasts} per session, at most 32 hops each). Any thread: sessions run on several
 * event loops.
 */
final class LiteHops
{
    private final ConcurrentHashMap<TrackNamespace, List<Long>> chains = new ConcurrentHashMap<>();

    /** {@code namespace} was announced with {@code chain} (immutable), replacing what it had. */
    void put(final TrackNamespace namespace, final List<Long> chain)
    {
        chains.put(namespace, chain);
    }

    /** The announcement that set {@code chain} ended (a newer one's chain stays). */
    void remove(final TrackNamespace namespace, final List<Long> chain)
    {
        chains.remove(namespace, chain);
    }

    /** The hop chain of {@code namespace}, empty when no moq-lite publisher announced it. */
    List<Long> of(final TrackNamespace namespace)
    {
        return chains.getOrDefault(namespace, List.of());
    }
}
