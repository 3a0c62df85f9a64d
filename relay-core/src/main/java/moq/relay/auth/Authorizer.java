package moq.relay.auth;

import java.util.List;

/**
 * Decides, once per session and once per request, what a peer may do. The relay's default is {@link NoAuth} (every
 * session and request allowed); with {@code moq.relay.auth.enabled} it is {@link TokenAuthorizer}, which verifies JWTs
 * and Common Access Tokens. An embedding application supplies its own implementation to decide by other means.
 *
 * <p>Call order, per session: {@link #openSession} at SETUP, then {@link SessionAuthorization#authorize} for each
 * request, on the session's event loop. Implementations must not block: keys are loaded up front.
 */
@FunctionalInterface
public interface Authorizer
{
    /**
     * Whether a session may open, given what it presented at SETUP.
     *
     * @return the session's authorization, consulted for each of its requests
     * @throws AuthException to refuse the session; it is closed with {@link AuthFailure#sessionError()}
     */
    SessionAuthorization openSession(SessionCredentials credentials) throws AuthException;

    /**
     * What a session presented when it opened.
     *
     * @param path   the connection path: the WebTransport URL's path below the relay's WebTransport path, or
     *               draft-18's SETUP PATH (draft-14's PATH on raw QUIC), without its query; "" when there is none
     * @param tokens the URL's or SETUP PATH's {@code jwt} query parameter first, then the SETUP's AUTHORIZATION
     *               TOKENs resolved through the session's {@link TokenCache}; empty when the peer sent none
     */
    record SessionCredentials(String path, List<Credential> tokens)
    {
        public SessionCredentials
        {
            path = path == null ? "" : path;
            tokens = List.copyOf(tokens);
        }
    }

    /** One session's decisions; owned by the session's event loop. */
    interface SessionAuthorization
    {
        /** What the session may do without per-request tokens (until its expiry). */
        Grant sessionGrant();

        /**
         * Whether {@code request} is allowed, given the AUTHORIZATION TOKENs it carried (resolved through the
         * TokenCache; DELETEs dropped).
         *
         * @return the grant that allows it; the request ends when that grant {@link Grant#expiresAtMillis() expires}
         * @throws AuthException to refuse the request with {@link AuthFailure#requestErrorCode}
         */
        Grant authorize(AuthRequest request, List<Credential> tokens) throws AuthException;
    }
}
