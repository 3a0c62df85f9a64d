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

    /**
     * Whether the draft's rule that a REQUEST_UPDATE this kind cannot take is a PROTOCOL_VIOLATION applies to it (draft
     * 18+: TRACK_STATUS); other kinds that cannot be updated are refused with NOT_SUPPORTED by {@link #update}.
     */
    default boolean updateIsViolation()
    {
        return false;
    }

    /**
     * Stages what a REQUEST_UPDATE carries beyond Forward and Subscriber Priority (draft 20: Range Filters
     * {@code filters}, a fill {@code fill} under the update's {@code updateRequestId}; null for none), applied by the
     * {@link #update} that follows. Returns why the update is INVALID_FILTER, or null; a kind that takes neither
     * ignores them (its {@link #update} refuses the update).
     */
    default String stageUpdate(final long updateRequestId, final RangeFilterUpdate filters, final Fill fill)
    {
        return null;
    }

    /** A REQUEST_UPDATE refused with {@code code} after {@link #stageUpdate} found its problem: answered and ended. */
    default void updateFailed(final moq.relay.engine.RequestErrorCode code, final String reason)
    {
    }

    /**
     * The delivery timeouts an accepted REQUEST_UPDATE carries, in milliseconds (draft 20: OBJECT_DELIVERY_TIMEOUT and
     * SUBGROUP_DELIVERY_TIMEOUT), each -1 when the update leaves it as it is; a kind that delivers no objects ignores
     * them.
     */
    default void deliveryTimeouts(final long objectMillis, final long subgroupMillis)
    {
    }
}
