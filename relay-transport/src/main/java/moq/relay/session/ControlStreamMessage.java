package moq.relay.session;

import java.util.List;
import moq.relay.auth.TokenRef;
import moq.relay.engine.RequestKind;
import moq.relay.wire.TrackNamespace;

/**
 * A message read on a control-stream draft's control stream (draft 14), described without its draft: what a
 * {@link ControlStreamDialect} decodes the draft's records into and {@link ControlStreamSession} routes by request id or
 * namespace. Requests are the request-stream drafts' {@link RequestMessage.Opening}s; answers to the relay's requests
 * are their {@link RequestMessage}s, addressed by request id.
 */
sealed interface ControlStreamMessage
{
    /**
     * A request of the peer's, whose {@link RequestMessage.Opening#kind} names its answers, with its request id
     * (admitted under MAX_REQUEST_ID before it is served); a {@link RequestMessage.Refused} is answered with that
     * kind's error.
     */
    record Request(RequestMessage.Opening opening) implements ControlStreamMessage
    {
    }

    /**
     * SUBSCRIBE_UPDATE: an update (itself request {@code requestId}) of the peer's subscription
     * {@code subscriptionRequestId}: Forward state and subscriber priority.
     */
    record Update(long requestId, long subscriptionRequestId, boolean forward, int subscriberPriority,
        List<TokenRef> tokens) implements ControlStreamMessage
    {
    }

    /** The peer cancels its request {@code requestId} of {@code kind} (UNSUBSCRIBE, FETCH_CANCEL). */
    record Cancel(RequestKind kind, long requestId) implements ControlStreamMessage
    {
    }

    /**
     * The peer cancels its namespace request of {@code kind} by its namespace (PUBLISH_NAMESPACE_DONE,
     * UNSUBSCRIBE_NAMESPACE).
     */
    record CancelNamespace(RequestKind kind, TrackNamespace namespace) implements ControlStreamMessage
    {
    }

    /**
     * An answer to a request of the relay's ({@link RequestMessage.SubscribeOk}, {@link RequestMessage.Error}) or the
     * end of a subscription the peer serves ({@link RequestMessage.Done}), addressed by request id.
     */
    record Answer(long requestId, RequestMessage answer) implements ControlStreamMessage
    {
    }

    /** MAX_REQUEST_ID: the peer raises the request ids the relay may use. */
    record MaxRequestId(long maxRequestId) implements ControlStreamMessage
    {
    }

    /** The peer's GOAWAY. */
    record Goaway() implements ControlStreamMessage
    {
    }

    /**
     * A message the relay has no use for: an answer to an announcement of its own (one the peer refuses is simply not
     * used), REQUESTS_BLOCKED (the relay raises MAX_REQUEST_ID anyway), or one it does not act on.
     */
    record Ignored(String name) implements ControlStreamMessage
    {
    }
}
