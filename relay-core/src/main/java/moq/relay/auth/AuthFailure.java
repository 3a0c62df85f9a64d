package moq.relay.auth;

import moq.relay.wire.Draft;
import moq.relay.wire.SessionError;

/**
 * Why authorization failed, with the code each draft prescribes for it. The first three refuse one request (or, at
 * SETUP, the session); the alias-cache ones always close the session, since the drafts give them only as session
 * termination codes.
 *
 * <table>
 *   <caption>Codes</caption>
 *   <tr><th>failure</th><th>session close (d14 = d18)</th><th>REQUEST_ERROR d18</th><th>*_ERROR d14</th></tr>
 *   <tr><td>UNAUTHORIZED</td><td>0x2</td><td>0x1</td><td>0x1</td></tr>
 *   <tr><td>MALFORMED_AUTH_TOKEN</td><td>0x16</td><td>0x4</td><td>0x10 (PUBLISH_ERROR: UNAUTHORIZED 0x1)</td></tr>
 *   <tr><td>EXPIRED_AUTH_TOKEN</td><td>0x18</td><td>0x5</td><td>0x12 (PUBLISH_ERROR: UNAUTHORIZED 0x1)</td></tr>
 *   <tr><td>UNKNOWN_AUTH_TOKEN_ALIAS</td><td>0x17</td><td colspan="2">session only</td></tr>
 *   <tr><td>DUPLICATE_AUTH_TOKEN_ALIAS</td><td>0x14</td><td colspan="2">session only</td></tr>
 *   <tr><td>AUTH_TOKEN_CACHE_OVERFLOW</td><td>0x13</td><td colspan="2">session only</td></tr>
 * </table>
 */
public enum AuthFailure
{
    UNAUTHORIZED(SessionError.UNAUTHORIZED, 0x1, 0x1, false),
    MALFORMED_AUTH_TOKEN(SessionError.MALFORMED_AUTH_TOKEN, 0x4, 0x10, false),
    EXPIRED_AUTH_TOKEN(SessionError.EXPIRED_AUTH_TOKEN, 0x5, 0x12, false),
    UNKNOWN_AUTH_TOKEN_ALIAS(SessionError.UNKNOWN_AUTH_TOKEN_ALIAS, -1, -1, true),
    DUPLICATE_AUTH_TOKEN_ALIAS(SessionError.DUPLICATE_AUTH_TOKEN_ALIAS, -1, -1, true),
    AUTH_TOKEN_CACHE_OVERFLOW(SessionError.AUTH_TOKEN_CACHE_OVERFLOW, -1, -1, true);

    /** draft-18 PUBLISH_DONE UNAUTHORIZED (0x1), the same value in draft-14: a grant ended mid-request. */
    public static final long PUBLISH_DONE_UNAUTHORIZED = 0x1;
    /** draft-18 stream reset EXPIRED_AUTH_TOKEN (0x7): a subgroup stream ended by its grant's expiry. */
    public static final long D18_RESET_EXPIRED_AUTH_TOKEN = 0x7;
    /** draft-14 has no expiry reset code; its CANCELLED (0x1) is the closest. */
    public static final long D14_RESET_CANCELLED = 0x1;

    private final SessionError sessionError;
    private final long d18RequestCode;
    private final long d14RequestCode;
    private final boolean sessionFatal;

    AuthFailure(final SessionError sessionError, final long d18RequestCode, final long d14RequestCode,
        final boolean sessionFatal)
    {
        this.sessionError = sessionError;
        this.d18RequestCode = d18RequestCode;
        this.d14RequestCode = d14RequestCode;
        this.sessionFatal = sessionFatal;
    }

    /** The session termination code when this failure closes the session (always, at SETUP). */
    public SessionError sessionError()
    {
        return sessionError;
    }

    /** True when the drafts leave no way to refuse just the request: the session closes. */
    public boolean sessionFatal()
    {
        return sessionFatal;
    }

    /**
     * The error code refusing one request in {@code draft}; {@code publish} says the answer is a draft-14
     * PUBLISH_ERROR, whose table has no token codes (UNAUTHORIZED stands in). Session-fatal failures have none.
     */
    public long requestErrorCode(final Draft draft, final boolean publish)
    {
        if (sessionFatal)
        {
            throw new IllegalStateException(this + " closes the session");
        }
        if (draft == Draft.DRAFT_14)
        {
            return publish ? UNAUTHORIZED.d14RequestCode : d14RequestCode;
        }
        return d18RequestCode;
    }

    /** The reset code for a subgroup stream whose grant expired. */
    public static long expiredStreamResetCode(final Draft draft)
    {
        return draft == Draft.DRAFT_14 ? D14_RESET_CANCELLED : D18_RESET_EXPIRED_AUTH_TOKEN;
    }
}
