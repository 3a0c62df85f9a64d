package moq.relay.session.request;

import java.util.List;
import moq.relay.auth.TokenRef;

/**
 * A request the peer made of the relay, as its session's table or request stream holds it: every kind can be
 * cancelled by the peer (draft 18: its request stream closes; draft 14: UNSUBSCRIBE, FETCH_CANCEL,
 * PUBLISH_NAMESPACE_DONE, UNSUBSCRIBE_NAMESPACE), and some can be updated. Event loop.
 */
public interface PeerRequest
{
    /** The peer ended the request: what the engine holds for it is released; harmless once the request ended. */
    void cancel();

    /**
     * Whether an update carrying {@code updateTokens} is authorized (see {@link AnsweredRequest#updateAuthorized});
     * a kind without authorization of its own takes every update to {@link #update}.
     */
    default boolean updateAuthorized(final List<TokenRef> updateTokens)
    {
        return true;
    }

    /**
     * REQUEST_UPDATE (draft 14: SUBSCRIBE_UPDATE) of Forward and Subscriber Priority. Returns false for a kind that
     * cannot be updated; the session then refuses the update (draft 18: NOT_SUPPORTED) and the request stays as it was.
     */
    default boolean update(final boolean forward, final int subscriberPriority)
    {
        return false;
    }
}
