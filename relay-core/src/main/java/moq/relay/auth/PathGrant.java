package moq.relay.auth;

import java.util.ArrayList;
import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * A moq-dev style grant: absolute path prefixes the holder may publish below ({@code put}) and subscribe below
 * ({@code get}), until {@code expiresAtMillis}. An empty prefix covers every namespace; an empty list grants nothing.
 *
 * <p>Publishing (PUBLISH_NAMESPACE, PUBLISH) needs the namespace at or below a {@code put} prefix; SUBSCRIBE, FETCH
 * and TRACK_STATUS at or below a {@code get} prefix. SUBSCRIBE_NAMESPACE of prefix P is allowed when P and some
 * {@code get} prefix overlap (one is a prefix of the other, as moq-dev's announcement filter does), and then
 * {@link #reveals} shows only namespaces below a {@code get} prefix.
 */
public final class PathGrant implements Grant
{
    private final List<String> put;
    private final List<String> get;
    private final long expiresAtMillis;

    /** {@code put} and {@code get} are absolute prefixes; they are normalised here. */
    public PathGrant(final List<String> put, final List<String> get, final long expiresAtMillis)
    {
        this.put = normalized(put);
        this.get = normalized(get);
        this.expiresAtMillis = expiresAtMillis;
    }

    private static List<String> normalized(final List<String> paths)
    {
        final List<String> out = new ArrayList<>(paths.size());
        for (final String p : paths)
        {
            out.add(AuthPath.normalize(p));
        }
        return List.copyOf(out);
    }

    /**
     * The grant of moq-dev claims ({@code root}, {@code put}, {@code get}) for a session connected at {@code
     * connectionPath}, reduced exactly as moq-dev's relay does ({@code Auth::finalize}): the connection path and the
     * root must overlap, else {@link AuthFailure#UNAUTHORIZED} ("incorrect root"); each permission {@code root/p} is
     * kept when it lies below the connection path, becomes the connection path when it lies above it, and is dropped
     * otherwise; a token left with no permission at all is refused the same way.
     *
     * <p>moq-dev then scopes every broadcast of the session below the connection path. This relay's namespaces are
     * absolute, so the reduced prefixes are kept absolute ({@code connectionPath/remaining}); the meaning is the same.
     */
    public static PathGrant fromClaims(final String connectionPath, final String root, final List<String> put,
        final List<String> get, final long expiresAtMillis) throws AuthException
    {
        final String connection = AuthPath.normalize(connectionPath);
        final String tokenRoot = AuthPath.normalize(root);
        if (!AuthPath.overlaps(connection, tokenRoot))
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "the connection path does not match the token's root");
        }
        final List<String> reducedPut = reduce(connection, tokenRoot, put);
        final List<String> reducedGet = reduce(connection, tokenRoot, get);
        if (reducedPut.isEmpty() && reducedGet.isEmpty())
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "the token grants nothing at the connection path");
        }
        return new PathGrant(reducedPut, reducedGet, expiresAtMillis);
    }

    private static List<String> reduce(final String connection, final String root, final List<String> suffixes)
    {
        final List<String> out = new ArrayList<>(suffixes.size());
        for (final String suffix : suffixes)
        {
            final String absolute = AuthPath.join(root, suffix);
            if (AuthPath.hasPrefix(absolute, connection))
            {
                out.add(absolute);
            }
            else if (AuthPath.hasPrefix(connection, absolute))
            {
                out.add(connection);
            }
        }
        return out;
    }

    public List<String> put()
    {
        return put;
    }

    public List<String> get()
    {
        return get;
    }

    @Override
    public boolean permits(final Action action, final TrackNamespace namespace, final Bytes track)
    {
        final String path = AuthPath.of(namespace);
        if (action == Action.CLIENT_SETUP)
        {
            return !put.isEmpty() || !get.isEmpty();
        }
        if (action.isPublish())
        {
            return below(path, put);
        }
        if (action == Action.SUBSCRIBE_NAMESPACE)
        {
            for (final String prefix : get)
            {
                if (AuthPath.overlaps(path, prefix))
                {
                    return true;
                }
            }
            return false;
        }
        return below(path, get);
    }

    private static boolean below(final String path, final List<String> prefixes)
    {
        for (final String prefix : prefixes)
        {
            if (AuthPath.hasPrefix(path, prefix))
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

    @Override
    public String toString()
    {
        return "PathGrant{put=" + put + ", get=" + get + ", expiresAt=" + expiresAtMillis + "}";
    }
}
