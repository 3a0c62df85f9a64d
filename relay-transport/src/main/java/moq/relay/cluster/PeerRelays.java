package moq.relay.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import moq.relay.engine.Session;
import moq.relay.transport.session.PathQuery;
import moq.relay.wire.Bytes;

/**
 * How a relay says, in its SETUP, that it is a relay of the cluster: a query parameter of the PATH setup option,
 * {@code ?moq-relay-peer=ADVERTISED_URL}, which relays outside the cluster ignore (the path they check is the part
 * before the query). The session layer calls {@link #markIfRelay} once SETUP is accepted; the engine then answers that
 * session's requests from local publishers only (docs/cluster.md "Loops").
 */
public final class PeerRelays
{
    static final String QUERY_KEY = "moq-relay-peer";

    private PeerRelays()
    {
    }

    /** The PATH a relay advertised as {@code self} sends to a peer relay whose URL has {@code path}. */
    static String setupPath(final String path, final RelayUrl self)
    {
        return path + "?" + QUERY_KEY + "=" + URLEncoder.encode(self.text(), StandardCharsets.UTF_8);
    }

    /** Marks {@code engine} as another relay's session when the SETUP's PATH carries the peer parameter. */
    public static void markIfRelay(final Session engine, final Optional<Bytes> path)
    {
        if (path.isEmpty())
        {
            return;
        }
        final String relay = peerOf(path.get().utf8());
        if (relay != null)
        {
            engine.markPeerRelay(relay);
        }
    }

    /**
     * The peer relay URL in a PATH value, or null without the parameter. Unlike a token's ({@code SessionAuth}), a
     * value with a malformed escape still marks the session as another relay's ("?"), whatever its URL: the parameter
     * is there (as is the key alone, an empty URL).
     */
    static String peerOf(final String pathAndQuery)
    {
        return PathQuery.parameter(pathAndQuery, QUERY_KEY, "?");
    }
}
