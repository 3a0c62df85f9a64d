package moq.relay.engine;

/**
 * The answer to a request that carries no data: REQUEST_OK or REQUEST_ERROR (PUBLISH_NAMESPACE, SUBSCRIBE_NAMESPACE,
 * SUBSCRIBE_TRACKS, REQUEST_UPDATE). Called exactly once, before any notification the request causes.
 * <p>
 * Every engine callback may be invoked on any thread (the caller's, or the one completing an upstream request) while
 * the engine's control lock is held: implementations must not block, and hand the work to their own event loop.
 */
public interface RequestCallback
{
    void ok();

    void error(RequestErrorCode code, String reason);
}
