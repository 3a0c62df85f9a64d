package moq.relay.cluster;

import java.util.List;

import moq.relay.engine.FullTrackName;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;

/**
 * Where the relays of a cluster record which relay originates (has the local publisher of) each namespace, and each
 * track published with PUBLISH (which SUBSCRIBE_TRACKS offers, with or without a PUBLISH_NAMESPACE). This
 * relay registers its own and is told of the others'. Calls never block (they hand work to the directory's thread);
 * listener calls come from that one thread, in order.
 */
interface OriginDirectory extends AutoCloseable
{
    /** What the directory reports about other relays' namespaces. */
    interface Listener
    {
        /** {@code relay} originates {@code namespace} (possibly again: callers ignore repeats). */
        void originUp(TrackNamespace namespace, RelayUrl relay);

        /** {@code relay} no longer originates {@code namespace} (withdrawn, or its registration expired). */
        void originDown(TrackNamespace namespace, RelayUrl relay);

        /**
         * A local publisher of {@code relay} published {@code track} with PUBLISH (possibly again), with these Track
         * Properties.
         */
        void trackUp(FullTrackName track, RelayUrl relay, List<KeyValuePair> properties);

        /** {@code relay} no longer has a publisher of {@code track} (or its registration expired). */
        void trackDown(FullTrackName track, RelayUrl relay);
    }

    void start(Listener listener);

    /** This relay originates {@code namespace} now (a local PUBLISH_NAMESPACE). */
    void register(TrackNamespace namespace);

    /** This relay no longer originates {@code namespace} (PUBLISH_NAMESPACE_DONE, session end). */
    void unregister(TrackNamespace namespace);

    /** A local publisher published {@code track} with PUBLISH (the first one here), with these Track Properties. */
    void registerTrack(FullTrackName track, List<KeyValuePair> properties);

    /** The last local publisher of {@code track} left. */
    void unregisterTrack(FullTrackName track);

    @Override
    void close();

    /** Stops without withdrawing this relay's registrations (they expire within the TTL): tests of a crash. */
    default void abandon()
    {
        close();
    }
}
