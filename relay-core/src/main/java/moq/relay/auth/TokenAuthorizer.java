package moq.relay.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * The token scheme, the relay's {@link Authorizer} when {@code moq.relay.auth.enabled} is on: JWTs with moq-dev's
 * claims and Common Access Tokens, verified with the configured keys, plus anonymous prefixes.
 *
 * <p>At SETUP, a session presenting no token opens only when anonymous prefixes are configured (it may then use only
 * those); one presenting tokens opens when every token verifies and at least one allows CLIENT_SETUP (any valid JWT
 * with a permission left at the connection path; a CAT whose {@code moqt} scopes list action 0). A token that fails
 * refuses the session with its code, even when anonymous access would have sufficed: bad credentials are never
 * silently downgraded.
 *
 * <p>Per request: the request's own tokens are verified first (one that fails refuses the request with its code);
 * the request is allowed by the first grant that permits it, looking at the request's tokens, then the session's
 * (ones already expired skipped), then the anonymous prefixes. Nothing permits: UNAUTHORIZED, or EXPIRED_AUTH_TOKEN
 * when an expired session token would have. The returned grant's expiry is when the request must end. Discovery
 * (SUBSCRIBE_NAMESPACE) gets the union of every grant that permits its prefix, so it reveals what any of them may
 * {@code get}; it ends at the earliest expiry among them.
 */
public final class TokenAuthorizer implements Authorizer
{
    private final JwtVerifier jwt;
    private final CatToken cat;
    private final Grant anonymous;
    private final boolean hasAnonymous;
    private final int maxTokenBytes;
    private final Clock clock;

    public TokenAuthorizer(final KeySet keys, final List<String> publicPut, final List<String> publicGet,
        final int maxTokenBytes, final Clock clock)
    {
        this.jwt = new JwtVerifier(keys);
        this.cat = new CatToken(keys);
        this.hasAnonymous = !publicPut.isEmpty() || !publicGet.isEmpty();
        this.anonymous = hasAnonymous ? new PathGrant(publicPut, publicGet, Grant.NEVER) : Grant.NONE;
        this.maxTokenBytes = maxTokenBytes;
        this.clock = clock;
    }

    /** The relay's authorizer for {@code config}: {@link NoAuth} unless {@code moq.relay.auth.enabled}. */
    public static Authorizer fromConfiguration(final RelayConfiguration config) throws IOException
    {
        if (!config.authEnabled())
        {
            return NoAuth.INSTANCE;
        }
        return new TokenAuthorizer(KeySet.load(config.authKeys()), config.authPublicPut(), config.authPublicGet(),
            config.authMaxTokenBytes(), Clock.systemUTC());
    }

    /** A new session's alias cache, sized by the configuration (MAX_AUTH_TOKEN_CACHE_SIZE to advertise). */
    public static TokenCache tokenCache(final RelayConfiguration config)
    {
        return new TokenCache(config.authTokenCacheBytes(), config.authMaxTokenBytes());
    }

    @Override
    public SessionAuthorization openSession(final SessionCredentials credentials) throws AuthException
    {
        final long now = clock.millis();
        if (credentials.tokens().isEmpty())
        {
            if (!hasAnonymous)
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "a token is required");
            }
            return new Session(credentials.path(), List.of());
        }
        final List<Grant> grants = verifyAll(credentials.tokens(), credentials.path(), now);
        for (final Grant g : grants)
        {
            if (g.permits(Action.CLIENT_SETUP, TrackNamespace.EMPTY, null))
            {
                return new Session(credentials.path(), grants);
            }
        }
        throw new AuthException(AuthFailure.UNAUTHORIZED, "no token allows CLIENT_SETUP");
    }

    /** Verifies one token for a session at {@code connectionPath}. */
    public Grant verify(final Credential credential, final String connectionPath, final long nowMillis)
        throws AuthException
    {
        final Bytes value = credential.value();
        if (value.length() > maxTokenBytes)
        {
            throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, "token longer than " + maxTokenBytes + " bytes");
        }
        if (credential.tokenType() == Credential.TYPE_CAT)
        {
            return cat.verify(value.toByteArray(), nowMillis);
        }
        if (!value.isPrintableAscii())
        {
            throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, "token type 0x" +
                Long.toHexString(credential.tokenType()) + " is not a compact JWT");
        }
        return jwt.verify(new String(value.array(), 0, value.length(), StandardCharsets.US_ASCII), connectionPath,
            nowMillis);
    }

    private List<Grant> verifyAll(final List<Credential> tokens, final String path, final long now)
        throws AuthException
    {
        final List<Grant> grants = new ArrayList<>(tokens.size());
        for (final Credential c : tokens)
        {
            grants.add(verify(c, path, now));
        }
        return grants;
    }

    private final class Session implements SessionAuthorization
    {
        private final String path;
        private final List<Grant> grants;
        private final Grant sessionGrant;

        Session(final String path, final List<Grant> grants)
        {
            this.path = path;
            this.grants = grants;
            final List<Grant> all = new ArrayList<>(grants);
            all.add(anonymous);
            this.sessionGrant = new UnionGrant(all);
        }

        @Override
        public Grant sessionGrant()
        {
            return sessionGrant;
        }

        @Override
        public Grant authorize(final AuthRequest request, final List<Credential> tokens) throws AuthException
        {
            final long now = clock.millis();
            final List<Grant> candidates = new ArrayList<>(tokens.size() + grants.size() + 1);
            candidates.addAll(verifyAll(tokens, path, now));
            boolean expiredWouldPermit = false;
            for (final Grant g : grants)
            {
                if (!g.expiredAt(now))
                {
                    candidates.add(g);
                }
                else if (permits(g, request))
                {
                    expiredWouldPermit = true;
                }
            }
            candidates.add(anonymous);
            if (request.action() == Action.SUBSCRIBE_NAMESPACE)
            {
                final List<Grant> permitting = new ArrayList<>(candidates.size());
                for (final Grant g : candidates)
                {
                    if (permits(g, request))
                    {
                        permitting.add(g);
                    }
                }
                if (!permitting.isEmpty())
                {
                    return permitting.size() == 1 ? permitting.get(0) : new UnionGrant(permitting);
                }
            }
            else
            {
                for (final Grant g : candidates)
                {
                    if (permits(g, request))
                    {
                        return g;
                    }
                }
            }
            throw expiredWouldPermit ?
                new AuthException(AuthFailure.EXPIRED_AUTH_TOKEN, "the session's token expired") :
                new AuthException(AuthFailure.UNAUTHORIZED, request.action() + " " + request.namespace() +
                    " is outside every grant");
        }

        private boolean permits(final Grant g, final AuthRequest request)
        {
            return g.permits(request.action(), request.namespace(), request.track());
        }
    }

    /** Permits what any part permits; ends at the earliest expiry among its parts that expire. */
    static final class UnionGrant implements Grant
    {
        private final List<Grant> parts;
        private final long expiresAtMillis;

        UnionGrant(final List<Grant> parts)
        {
            this.parts = List.copyOf(parts);
            long earliest = NEVER;
            for (final Grant g : parts)
            {
                earliest = Math.min(earliest, g.expiresAtMillis());
            }
            this.expiresAtMillis = earliest;
        }

        @Override
        public boolean permits(final Action action, final TrackNamespace namespace, final Bytes track)
        {
            for (final Grant g : parts)
            {
                if (g.permits(action, namespace, track))
                {
                    return true;
                }
            }
            return false;
        }

        @Override
        public long expiresAtMillis()
        {
            return expiresAtMillis;
        }
    }
}
