package moq.relay.auth;

import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * Slash-separated paths with the semantics of moq-dev's relay ({@code moq_net::Path}), so that its tokens mean the same
 * here: a path is normalised by dropping empty segments ({@code "/a//b/"} is {@code "a/b"}); a prefix matches on segment
 * boundaries ({@code "foo"} is a prefix of {@code "foo/bar"} but not of {@code "foobar"}); the empty path is a prefix of
 * every path; joining puts one {@code /} between two non-empty paths.
 *
 * <p>A MoQT Track Namespace becomes a path by joining its fields with {@code /} (UTF-8), as moq-dev does for its IETF
 * sessions: {@code ["room", "alice"]} is {@code room/alice}. Grants apply to the namespace (moq-dev's "broadcast"); the
 * track name is not part of the path.
 */
public final class AuthPath
{
    private AuthPath()
    {
    }

    /** Drops empty segments: leading, trailing and doubled slashes. */
    public static String normalize(final String path)
    {
        if (path == null || path.isEmpty())
        {
            return "";
        }
        if (!path.startsWith("/") && !path.endsWith("/") && !path.contains("//"))
        {
            return path;
        }
        final StringBuilder out = new StringBuilder(path.length());
        for (final String segment : path.split("/"))
        {
            if (!segment.isEmpty())
            {
                if (out.length() > 0)
                {
                    out.append('/');
                }
                out.append(segment);
            }
        }
        return out.toString();
    }

    /** Whether normalised {@code path} lies at or below normalised {@code prefix}, on segment boundaries. */
    public static boolean hasPrefix(final String path, final String prefix)
    {
        if (prefix.isEmpty())
        {
            return true;
        }
        if (!path.startsWith(prefix))
        {
            return false;
        }
        return path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }

    /** The two normalised paths joined with one slash (moq-dev's {@code Path::join}). */
    public static String join(final String base, final String suffix)
    {
        final String a = normalize(base);
        final String b = normalize(suffix);
        if (a.isEmpty())
        {
            return b;
        }
        return b.isEmpty() ? a : a + "/" + b;
    }

    /** Whether one of the two paths is a prefix of the other: a subtree of one intersects the other's. */
    public static boolean overlaps(final String a, final String b)
    {
        return hasPrefix(a, b) || hasPrefix(b, a);
    }

    /** The namespace's fields as UTF-8 joined with {@code /}, normalised. */
    public static String of(final TrackNamespace namespace)
    {
        final List<Bytes> fields = namespace.fields();
        if (fields.isEmpty())
        {
            return "";
        }
        final StringBuilder out = new StringBuilder(64);
        for (final Bytes field : fields)
        {
            if (out.length() > 0)
            {
                out.append('/');
            }
            out.append(field.utf8());
        }
        return normalize(out.toString());
    }
}
