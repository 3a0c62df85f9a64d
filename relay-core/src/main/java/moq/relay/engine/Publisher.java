package moq.relay.engine;

/**
 * The upstream side of a session that publishes to the relay (PUBLISH_NAMESPACE or PUBLISH): the engine asks it to
 * subscribe, update and unsubscribe upstream. Implemented by the transport's session, by fake publishers in tests.
 * Calls come with the engine's control lock held: do not block; send the message from the session's own loop.
 */
public interface Publisher
{
    /**
     * Send SUBSCRIBE upstream for {@code subscription.track()} with the Largest Object filter and
     * {@code subscription.forward()}, then report the answer with {@link UpstreamSubscription#accept} or
     * {@link UpstreamSubscription#reject}, and objects through {@link UpstreamSubscription#ingest()}.
     */
    void subscribe(UpstreamSubscription subscription);

    /** Send REQUEST_UPDATE (or the PUBLISH_OK forward state) with the new forward state. */
    void updateForward(UpstreamSubscription subscription, boolean forward);

    /** Cancel the upstream subscription: no downstream subscriber remains. */
    void unsubscribe(UpstreamSubscription subscription);

    /**
     * A track this publisher PUBLISHed ({@link Session#publish}) has no downstream subscription left, forwarding or
     * not (after {@link #updateForward} false if it was forwarded). Called under the control lock: do not block.
     */
    default void released(final UpstreamSubscription subscription)
    {
    }

    /**
     * Whether requests of {@code requester} may be routed to this publisher, and its namespaces and published tracks
     * announced to it. A cluster peer (another relay) answers false for another relay's session whose request already
     * crossed that peer or this relay, or crossed the hop bound, so a request never comes back to a relay on its path
     * (docs/cluster.md "Loops").
     */
    default boolean serves(final Session requester)
    {
        return true;
    }

    /**
     * TRACK_STATUS for a track the relay knows nothing of: ask upstream and answer {@code callback} (once, from any
     * thread), returning true; or return false when this publisher cannot be asked (the relay then answers
     * NOT_SUPPORTED). Called under the control lock: do not block.
     */
    default boolean trackStatus(final FullTrackName track, final TrackStatusCallback callback)
    {
        return false;
    }

    /** {@link #trackStatus(FullTrackName, TrackStatusCallback)} asked by {@code requester} (a cluster peer's path). */
    default boolean trackStatus(final FullTrackName track, final Session requester, final TrackStatusCallback callback)
    {
        return trackStatus(track, callback);
    }

    /**
     * FETCH upstream (the relay's cache does not hold the range): send {@code fetch} as this publisher's draft does,
     * report FETCH_OK or the error with {@link UpstreamFetch#accept} / {@link UpstreamFetch#reject} and the fetch
     * stream with its object, range and end calls, and cancel upstream when {@link UpstreamFetch#onCancel} says so.
     * Return false when this publisher cannot be asked (the next one is, else the cache answers). Called under the
     * control lock: do not block.
     */
    default boolean fetch(final UpstreamFetch fetch)
    {
        return false;
    }

    /**
     * Whether this publisher's {@link #fetch} serves descending FETCHes (it sends the groups in the requested order:
     * a moq-lite publisher, asked group by group); others are not asked for one, the cache answers it.
     */
    default boolean fetchesDescending()
    {
        return false;
    }

    /**
     * A SUBSCRIBE_NAMESPACE ({@code tracks} false) or SUBSCRIBE_TRACKS of {@code requester} for {@code prefix} that
     * this fallback publisher (a static upstream relay) serves and whose namespace overlaps {@code prefix}: ask
     * upstream too, and publish what it answers in the engine (namespaces, PUBLISH-ed tracks) so the engine announces
     * them. Returns what ends that when the request ends (run once, under the control lock: do not block), or null
     * when this publisher cannot be asked. Called under the control lock after the request is answered: do not block
     * or call back into the engine from this thread.
     */
    default Runnable discover(final Session requester, final moq.relay.wire.TrackNamespace prefix,
        final boolean tracks)
    {
        return null;
    }

    /**
     * A fallback publisher (a static upstream relay) is asked only when no other publisher matches the namespace,
     * and its namespace is never announced (SUBSCRIBE_NAMESPACE).
     */
    default boolean fallback()
    {
        return false;
    }
}
