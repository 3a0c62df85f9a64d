package moq.relay.session;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import moq.relay.transport.session.PathQuery;
import moq.relay.wire.Bytes;
import moq.relay.wire.SessionError;
import moq.relay.wire.WireException;

/**
 * What a client's SETUP may name of the moqt URI (draft-18 §"PATH" / §"AUTHORITY", draft-14 the same parameters):
 * neither over WebTransport (the URL's path and authority already chose the session), and on raw QUIC only a path and
 * authority this relay serves. The codec has already rejected malformed values (MALFORMED_PATH / _AUTHORITY); this
 * class decides INVALID_PATH and INVALID_AUTHORITY. Empty lists serve everything.
 */
final class SetupTarget
{
    private final List<String> paths;
    private final List<String> authorities;

    /** @param authorities lower-cased. */
    SetupTarget(final List<String> paths, final List<String> authorities)
    {
        this.paths = List.copyOf(paths);
        this.authorities = List.copyOf(authorities);
    }

    void check(final boolean overWebTransport, final Optional<Bytes> path, final Optional<Bytes> authority)
        throws WireException
    {
        if (path.isPresent())
        {
            if (overWebTransport)
            {
                throw new WireException(SessionError.INVALID_PATH, "PATH in SETUP over WebTransport");
            }
        }
        if (!overWebTransport && !paths.isEmpty())
        {
            final String requested = path.map(Bytes::utf8).map(PathQuery::withoutQuery).orElse("");
            final String normalized = requested.isEmpty() ? "/" : requested;
            if (!paths.contains(normalized))
            {
                throw new WireException(SessionError.INVALID_PATH, "path " + normalized + " is not served here");
            }
        }
        if (authority.isPresent())
        {
            if (overWebTransport)
            {
                throw new WireException(SessionError.INVALID_AUTHORITY, "AUTHORITY in SETUP over WebTransport");
            }
            final String requested = authority.get().utf8().toLowerCase(Locale.ROOT);
            if (!authorities.isEmpty() && !authorities.contains(requested) && !authorities.contains(host(requested)))
            {
                throw new WireException(SessionError.INVALID_AUTHORITY, "authority " + requested +
                    " is not served here");
            }
        }
    }

    /** The host of host[:port] (an IPv6 literal keeps its brackets): a configured name without port allows any port. */
    private static String host(final String authority)
    {
        final int colon = authority.lastIndexOf(':');
        return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
    }
}
