package moq.relay.auth;

import java.util.HashMap;
import java.util.Map;

/**
 * One session's AUTHORIZATION TOKEN alias cache, as drafts 14 and 18 specify it (§"AUTHORIZATION TOKEN"): the peer
 * REGISTERs a token under an alias, refers to it with USE_ALIAS, retires it with DELETE, or sends it once with
 * USE_VALUE. Registered tokens count 16 bytes plus their value against the MAX_AUTH_TOKEN_CACHE_SIZE this relay
 * advertised; the cache holds no more than that, so a peer cannot make it grow.
 *
 * <ul>
 *   <li>REGISTER of an alias in use: DUPLICATE_AUTH_TOKEN_ALIAS (session).</li>
 *   <li>REGISTER past the size: AUTH_TOKEN_CACHE_OVERFLOW (session), except in SETUP, where it is used as USE_VALUE
 *   and not kept ({@link #resolveInSetup}). The default size 0 prohibits aliases.</li>
 *   <li>USE_ALIAS or DELETE of an alias not registered: UNKNOWN_AUTH_TOKEN_ALIAS. The drafts say "reject the
 *   message" but define that code only for session termination, so the session closes.</li>
 *   <li>A Token Value longer than {@code maxTokenBytes}: the request fails with MALFORMED_AUTH_TOKEN ("well-formed
 *   Token structure but otherwise invalid"); registered, it is kept as that error (the drafts allow storing an error
 *   in place of the token, and its size still counts) so a later USE_ALIAS fails the same way.</li>
 * </ul>
 *
 * <p>Expiry is the verifier's business: a USE_ALIAS of an expired token resolves to it and then fails verification
 * with EXPIRED_AUTH_TOKEN, as the drafts require; the alias stays registered until DELETE.
 *
 * <p>Not thread-safe: a session's event loop owns it.
 */
public final class TokenCache
{
    private static final Object OVERSIZED = new Object();

    private final long maxBytes;
    private final int maxTokenBytes;
    private final Map<Long, Entry> entries = new HashMap<>();
    private long usedBytes;

    private record Entry(Object tokenOrError, long size)
    {
    }

    /**
     * @param maxBytes      the MAX_AUTH_TOKEN_CACHE_SIZE this side advertised in SETUP (0: no aliases)
     * @param maxTokenBytes longest Token Value accepted; longer ones are MALFORMED_AUTH_TOKEN
     */
    public TokenCache(final long maxBytes, final int maxTokenBytes)
    {
        if (maxBytes < 0 || maxTokenBytes < 1)
        {
            throw new IllegalArgumentException("maxBytes " + maxBytes + ", maxTokenBytes " + maxTokenBytes);
        }
        this.maxBytes = maxBytes;
        this.maxTokenBytes = maxTokenBytes;
    }

    /**
     * A token from a request message: the credential to verify, or null for DELETE (which authorizes nothing).
     *
     * @throws AuthException with a {@link AuthFailure#sessionFatal() session-fatal} failure for alias misuse and
     *                       overflow, or MALFORMED_AUTH_TOKEN (this request only) for an oversized value
     */
    public Credential resolve(final TokenRef ref) throws AuthException
    {
        return resolve(ref, false);
    }

    /** As {@link #resolve}, for a token in SETUP: a REGISTER that does not fit is used as USE_VALUE. */
    public Credential resolveInSetup(final TokenRef ref) throws AuthException
    {
        return resolve(ref, true);
    }

    private Credential resolve(final TokenRef ref, final boolean inSetup) throws AuthException
    {
        switch (ref.kind())
        {
            case USE_VALUE:
                return checked(ref);
            case REGISTER:
                return register(ref, inSetup);
            case USE_ALIAS:
            {
                final Entry entry = entries.get(ref.alias());
                if (entry == null)
                {
                    throw new AuthException(AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS,
                        "alias " + Long.toUnsignedString(ref.alias()) + " is not registered");
                }
                if (entry.tokenOrError == OVERSIZED)
                {
                    throw oversized();
                }
                return (Credential)entry.tokenOrError;
            }
            default:
            {
                final Entry entry = entries.remove(ref.alias());
                if (entry == null)
                {
                    throw new AuthException(AuthFailure.UNKNOWN_AUTH_TOKEN_ALIAS,
                        "DELETE of alias " + Long.toUnsignedString(ref.alias()) + ", which is not registered");
                }
                usedBytes -= entry.size;
                return null;
            }
        }
    }

    private Credential register(final TokenRef ref, final boolean inSetup) throws AuthException
    {
        if (entries.containsKey(ref.alias()))
        {
            throw new AuthException(AuthFailure.DUPLICATE_AUTH_TOKEN_ALIAS,
                "alias " + Long.toUnsignedString(ref.alias()) + " is already registered");
        }
        final long size = ref.cacheSize();
        if (size > maxBytes - usedBytes)
        {
            if (inSetup)
            {
                return checked(ref);
            }
            throw new AuthException(AuthFailure.AUTH_TOKEN_CACHE_OVERFLOW, "registering " + size +
                " bytes would exceed MAX_AUTH_TOKEN_CACHE_SIZE " + maxBytes + " (" + usedBytes + " in use)");
        }
        final boolean tooLong = ref.value().length() > maxTokenBytes;
        final Credential credential = tooLong ? null : new Credential(ref.tokenType(), ref.value());
        entries.put(ref.alias(), new Entry(tooLong ? OVERSIZED : credential, size));
        usedBytes += size;
        if (tooLong)
        {
            throw oversized();
        }
        return credential;
    }

    private Credential checked(final TokenRef ref) throws AuthException
    {
        if (ref.value().length() > maxTokenBytes)
        {
            throw oversized();
        }
        return new Credential(ref.tokenType(), ref.value());
    }

    private AuthException oversized()
    {
        return new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, "token longer than " + maxTokenBytes + " bytes");
    }

    /** Bytes registered, as MAX_AUTH_TOKEN_CACHE_SIZE counts them. */
    public long usedBytes()
    {
        return usedBytes;
    }

    public int registeredAliases()
    {
        return entries.size();
    }
}
