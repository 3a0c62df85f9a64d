package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * RFC 3986 syntax checks for the PATH and AUTHORITY setup parameters (§"PATH", §"AUTHORITY"), whose
 * violations close the session with MALFORMED_PATH and MALFORMED_AUTHORITY. Purely syntactic: whether this
 * server serves the path or authority is the session's question.
 */
final class UriSyntax
{
    private UriSyntax()
    {
    }

    /** {@code path-abempty [ "?" query ]}: segments each introduced by "/", then an optional query. */
    static boolean isPathAndQuery(final Bytes value)
    {
        final int n = value.length();
        int i = 0;
        while (i < n && value.byteAt(i) != '?')
        {
            if (value.byteAt(i) != '/')
            {
                return false;
            }
            i++;
            while (i < n && value.byteAt(i) != '/' && value.byteAt(i) != '?')
            {
                final int used = pchar(value, i);
                if (used == 0)
                {
                    return false;
                }
                i += used;
            }
        }
        if (i < n)
        {
            i++; // the "?"
            while (i < n)
            {
                final byte b = value.byteAt(i);
                final int used = b == '/' || b == '?' ? 1 : pchar(value, i);
                if (used == 0)
                {
                    return false;
                }
                i += used;
            }
        }
        return true;
    }

    /**
     * {@code [ userinfo "@" ] host [ ":" port ]} with a non-empty host, as the moqt URI scheme requires
     * (§"QUIC": "The authority portion MUST NOT contain an empty host portion").
     */
    static boolean isAuthority(final Bytes value)
    {
        final int n = value.length();
        int at = -1;
        for (int i = 0; i < n; i++)
        {
            if (value.byteAt(i) == '@')
            {
                at = i;
                break;
            }
        }
        int i = 0;
        if (at >= 0)
        {
            while (i < at)
            {
                final int used = value.byteAt(i) == ':' ? 1 : regNameChar(value, i);
                if (used == 0)
                {
                    return false;
                }
                i += used;
            }
            i = at + 1;
        }
        final int hostStart = i;
        if (i < n && value.byteAt(i) == '[')
        {
            // IP-literal: IPv6address or IPvFuture; checked for its character set only.
            i++;
            while (i < n && value.byteAt(i) != ']')
            {
                final byte b = value.byteAt(i);
                if (!(isAlphaNum(b) || b == ':' || b == '.' || isUnreservedOrSubDelim(b)))
                {
                    return false;
                }
                i++;
            }
            if (i >= n || i == hostStart + 1)
            {
                return false;
            }
            i++; // the "]"
        }
        else
        {
            while (i < n && value.byteAt(i) != ':')
            {
                final int used = regNameChar(value, i);
                if (used == 0)
                {
                    return false;
                }
                i += used;
            }
            if (i == hostStart)
            {
                return false;
            }
        }
        if (i < n)
        {
            if (value.byteAt(i) != ':')
            {
                return false;
            }
            for (i++; i < n; i++)
            {
                if (value.byteAt(i) < '0' || value.byteAt(i) > '9')
                {
                    return false;
                }
            }
        }
        return true;
    }

    /** Length of the pchar at {@code i} (1, or 3 for pct-encoded), or 0 if none starts there. */
    private static int pchar(final Bytes value, final int i)
    {
        final byte b = value.byteAt(i);
        return b == ':' || b == '@' ? 1 : regNameChar(value, i);
    }

    /** Length of the unreserved / pct-encoded / sub-delims character at {@code i}, or 0. */
    private static int regNameChar(final Bytes value, final int i)
    {
        final byte b = value.byteAt(i);
        if (b == '%')
        {
            return i + 2 < value.length() && isHex(value.byteAt(i + 1)) && isHex(value.byteAt(i + 2)) ? 3 : 0;
        }
        return isUnreservedOrSubDelim(b) ? 1 : 0;
    }

    private static boolean isUnreservedOrSubDelim(final byte b)
    {
        return isAlphaNum(b) || "-._~!$&'()*+,;=".indexOf(b) >= 0;
    }

    private static boolean isAlphaNum(final byte b)
    {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    }

    private static boolean isHex(final byte b)
    {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
