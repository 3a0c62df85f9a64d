package moq.relay.session.request;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import moq.relay.auth.AuthException;
import moq.relay.auth.AuthFailure;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Authorizer;
import moq.relay.auth.Credential;
import moq.relay.auth.Grant;
import moq.relay.auth.TokenCache;
import moq.relay.auth.TokenRef;
import moq.relay.engine.RequestErrorCode;
import moq.relay.transport.session.PathQuery;
import moq.relay.engine.RequestKind;
import moq.relay.wire.WireException;

/**
 * One session's authorization (docs/auth.md, "Hooks the session layer calls"): its AUTHORIZATION TOKEN alias cache,
 * the {@link Authorizer.SessionAuthorization} its SETUP opened, and the expiry timers of the grants its requests
 * rely on. Both drafts' sessions and every request machine go through it, so the rules are written once. The
 * {@link Authorizer} is the relay's (the token scheme, {@code NoAuth}, or an embedder's). Tokens never reach a log:
 * only {@link AuthException} messages, which hold none. Event-loop confined.
 */
public final class SessionAuth
{
    private final Authorizer authorizer;
    private final TokenCache cache;
    private final long advertisedCacheBytes;
    private final EventExecutor loop;
    private final Consumer<WireException> closeSession;
    private final Consumer<String> refusals;
    /** Told each request refused here, by kind and code (the request counts; the engine never saw it). */
    private final BiConsumer<RequestKind, RequestErrorCode> requestRefusals;
    private Authorizer.SessionAuthorization session;

    /**
     * @param cacheBytes   the MAX_AUTH_TOKEN_CACHE_SIZE the relay advertises (and the cache holds)
     * @param closeSession closes the session with a failure's code (alias misuse)
     * @param refusals     told each refusal's failure, lower-cased (a metrics label; never a token)
     */
    public SessionAuth(final Authorizer authorizer, final long cacheBytes, final int maxTokenBytes,
        final EventExecutor loop, final Consumer<WireException> closeSession, final Consumer<String> refusals)
    {
        this(authorizer, cacheBytes, maxTokenBytes, loop, closeSession, refusals, (kind, code) -> { });
    }

    /** As above; {@code requestRefusals} is told each refused request's kind and code (e.g. the engine session's). */
    public SessionAuth(final Authorizer authorizer, final long cacheBytes, final int maxTokenBytes,
        final EventExecutor loop, final Consumer<WireException> closeSession, final Consumer<String> refusals,
        final BiConsumer<RequestKind, RequestErrorCode> requestRefusals)
    {
        this.refusals = refusals;
        this.requestRefusals = requestRefusals;
        this.authorizer = authorizer;
        this.cache = new TokenCache(cacheBytes, maxTokenBytes);
        this.advertisedCacheBytes = cacheBytes;
        this.loop = loop;
        this.closeSession = closeSession;
    }

    /** A draft-18 message's or SETUP's AUTHORIZATION TOKENs, for the cache. */
    public static List<TokenRef> draft18(final List<moq.relay.wire.param.AuthToken> tokens)
    {
        return tokens.isEmpty() ? List.of() : tokens.stream().map(TokenRef::of).toList();
    }

    /** A draft-14 message's or CLIENT_SETUP's AUTHORIZATION TOKENs, for the cache. */
    public static List<TokenRef> draft14(final List<moq.relay.wire.d14.AuthorizationToken> tokens)
    {
        return tokens.isEmpty() ? List.of() : tokens.stream().map(TokenRef::of).toList();
    }

    /** MAX_AUTH_TOKEN_CACHE_SIZE, for the relay's SETUP / SERVER_SETUP. */
    public long advertisedCacheBytes()
    {
        return advertisedCacheBytes;
    }

    /**
     * SETUP: opens the session's authorization from its connection path (the path below the relay's WebTransport
     * path, without query; "" for none) and credentials: the path's {@code jwt} query parameter, then the SETUP's
     * AUTHORIZATION TOKENs through the cache.
     *
     * @param pathAndQuery the WebTransport CONNECT {@code :path} or the SETUP PATH; null when there is none
     * @param mountPath    the relay's WebTransport path ({@code moq.relay.webtransport.path}), stripped when it
     *                     prefixes the path, so one URL means the same over WebTransport and raw QUIC
     * @throws WireException with the refusal's session code
     */
    public void open(final String pathAndQuery, final String mountPath, final List<TokenRef> setupTokens)
        throws WireException
    {
        final List<Credential> credentials = new ArrayList<>(setupTokens.size() + 1);
        final String full = pathAndQuery == null ? "" : pathAndQuery;
        String path = PathQuery.withoutQuery(full);
        if (mountPath != null && !mountPath.isEmpty() && (path.equals(mountPath) || path.startsWith(mountPath + "/")))
        {
            path = path.substring(mountPath.length());
        }
        while (path.startsWith("/"))
        {
            path = path.substring(1); // "room/123", as SessionCredentials and moq-dev's paths have it
        }
        // a malformed escape makes no token: the session then opens without it (and the authorizer decides)
        final String jwt = PathQuery.parameter(full, "jwt", null);
        if (jwt != null && !jwt.isEmpty())
        {
            credentials.add(Credential.jwt(jwt));
        }
        try
        {
            for (final TokenRef ref : setupTokens)
            {
                final Credential c = cache.resolveInSetup(ref);
                if (c != null)
                {
                    credentials.add(c);
                }
            }
            session = authorizer.openSession(new Authorizer.SessionCredentials(path, credentials));
        }
        catch (final AuthException e)
        {
            refused(e.failure());
            throw new WireException(e.failure().sessionError(), "authorization: " + e.getMessage());
        }
    }

    /**
     * One request: its tokens through the cache (a REGISTER is kept whatever follows), then the decision.
     *
     * @param refuse how the request is refused (its machine's error answer), with the draft-18 code the engine's
     *               {@link RequestErrorCode} names; the draft's replies map it
     * @return the grant that allows the request, or null once refused (or once alias misuse closed the session)
     */
    public Grant authorize(final AuthRequest request, final List<TokenRef> tokens,
        final BiConsumer<RequestErrorCode, String> refuseRequest)
    {
        final BiConsumer<RequestErrorCode, String> refuse = (code, reason) ->
        {
            requestRefusals.accept(kindOf(request.action()), code);
            refuseRequest.accept(code, reason);
        };
        final List<Credential> credentials = new ArrayList<>(tokens.size());
        try
        {
            for (final TokenRef ref : tokens)
            {
                final Credential c = cache.resolve(ref);
                if (c != null)
                {
                    credentials.add(c);
                }
            }
        }
        catch (final AuthException e)
        {
            refused(e.failure());
            if (e.failure().sessionFatal())
            {
                closeSession.accept(new WireException(e.failure().sessionError(), "authorization: " + e.getMessage()));
                return null;
            }
            refuse.accept(requestCode(e.failure()), "authorization: " + e.getMessage());
            return null;
        }
        if (session == null)
        {
            // Requests wait for SETUP (both drafts), so this is a bug, not a peer's doing: fail closed.
            refuse.accept(RequestErrorCode.UNAUTHORIZED, "no SETUP");
            return null;
        }
        try
        {
            return session.authorize(request, credentials);
        }
        catch (final AuthException e)
        {
            refused(e.failure());
            refuse.accept(requestCode(e.failure()), "authorization: " + e.getMessage());
            return null;
        }
    }

    private void refused(final AuthFailure failure)
    {
        refusals.accept(failure.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The request kind an action is checked for (SUBSCRIBE_TRACKS is authorized, and counted, as SUBSCRIBE_NAMESPACE). */
    static RequestKind kindOf(final moq.relay.auth.Action action)
    {
        switch (action)
        {
            case PUBLISH_NAMESPACE:
                return RequestKind.PUBLISH_NAMESPACE;
            case SUBSCRIBE_NAMESPACE:
                return RequestKind.SUBSCRIBE_NAMESPACE;
            case REQUEST_UPDATE:
                return RequestKind.REQUEST_UPDATE;
            case PUBLISH:
                return RequestKind.PUBLISH;
            case FETCH:
                return RequestKind.FETCH;
            case TRACK_STATUS:
                return RequestKind.TRACK_STATUS;
            default:
                return RequestKind.SUBSCRIBE;
        }
    }

    /** The engine's name for a request refusal's code (the draft's replies write draft 14's value). */
    static RequestErrorCode requestCode(final AuthFailure failure)
    {
        switch (failure)
        {
            case MALFORMED_AUTH_TOKEN:
                return RequestErrorCode.MALFORMED_AUTH_TOKEN;
            case EXPIRED_AUTH_TOKEN:
                return RequestErrorCode.EXPIRED_AUTH_TOKEN;
            default:
                return RequestErrorCode.UNAUTHORIZED;
        }
    }

    /**
     * Runs {@code ended} on the session's event loop when {@code grant} expires; null when it never does. The caller
     * cancels the returned timer when its request ends first.
     */
    public ScheduledFuture<?> atExpiry(final Grant grant, final Runnable ended)
    {
        if (grant.expiresAtMillis() == Grant.NEVER)
        {
            return null;
        }
        final long delay = Math.max(0, grant.expiresAtMillis() - System.currentTimeMillis());
        return loop.schedule(ended, delay, TimeUnit.MILLISECONDS);
    }
}
