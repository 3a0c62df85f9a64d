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
}
