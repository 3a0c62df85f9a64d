package moq.relay;

import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * The authorization decision hook of a {@link MoqRelay}: asked once when a session sets up and once per request. The
 * default allows everything; a token scheme (JWT, Common Access Token) implements it, and so can an embedding
 * application with its own rules.
 *
 * <p>Threading: called on the session's event loop; must not block (look keys up ahead of time).
 */
public interface Authorizer
{
    /** Allows every session and request. */
    Authorizer ALLOW_ALL = new Authorizer()
    {
    };

    /**
     * A session's setup: {@code path} is the WebTransport URL's or draft-18 SETUP's PATH with its query (e.g.
     * {@code /moq?jwt=...}), {@code authority} the SETUP's AUTHORITY or the URL's, {@code token} the SETUP's
     * AUTHORIZATION TOKEN value or null. A refusal closes the session (the draft's UNAUTHORIZED code).
     */
    default Decision session(final RelayListener.SessionInfo session, final String path, final String authority,
        final byte[] token)
    {
        return Decision.ALLOW;
    }

    /**
     * One request of an accepted session: {@code namespace} and {@code track} (null for requests about a prefix) are
     * what it names, {@code token} the request's own AUTHORIZATION TOKEN value or null. A refusal answers the request
     * with {@link Decision#error()} and leaves the session open.
     */
    default Decision request(final RelayListener.SessionInfo session, final RequestKind kind,
        final TrackNamespace namespace, final Bytes track, final byte[] token)
    {
        return Decision.ALLOW;
    }

    /**
     * An answer: allowed, or refused with a request error and a reason (sent to the peer: never put a token in it).
     * {@code metricReason} is the short label counted in {@code moq_relay_auth_refusals_total}.
     */
    record Decision(boolean allowed, RequestErrorCode error, String reason, String metricReason)
    {
        public static final Decision ALLOW = new Decision(true, null, "", "");

        public static Decision refuse(final RequestErrorCode error, final String reason, final String metricReason)
        {
            return new Decision(false, error, reason, metricReason);
        }
    }
}
