package moq.relay.engine;

/**
 * One entry of a {@link Session}'s request table, keyed by the session's request id. Each kind knows what cancelling
 * it undoes, so the relay dispatches on the entry, never on its type. Guarded by the engine's control lock.
 */
sealed interface SessionRequest permits Relay.Subscribed, Relay.Published, Relay.NamespaceRegistration,
    Relay.NamespaceSubscription, Relay.TracksSubscription, Relay.FetchHandle, Relay.Rendezvous, Relay.PendingFetch,
    Relay.PendingSubscribe, UpstreamFetch, FetchedRanges.Replay
{
    /** Undoes the request, already removed from its session's table. */
    void cancel(Relay relay);

    /** The established subscription this entry is (the target of REQUEST_UPDATE and of a joining FETCH), or null. */
    default DownstreamSubscription subscription()
    {
        return null;
    }

    /** The subscription this entry is while it waits for its upstream (a joining FETCH waits with it), or null. */
    default Relay.PendingSubscribe pendingSubscribe()
    {
        return null;
    }

    /** A fetch whose delivery finished: dropped before the table is counted against the request limit. */
    default boolean finished()
    {
        return false;
    }

    /** A track the session PUBLISHes: its close ends it with the session's upstream links, not as a cancel. */
    default boolean published()
    {
        return false;
    }

    /** The upstream a track the session PUBLISHes feeds, or null when this entry is not such a track. */
    default UpstreamSubscription publishedUpstream()
    {
        return null;
    }
}
