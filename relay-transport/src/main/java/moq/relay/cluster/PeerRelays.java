package moq.relay.cluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import moq.relay.engine.Session;
import moq.relay.transport.session.PathQuery;
import moq.relay.wire.Bytes;

/**
 * How a relay says, in its SETUP, that it is a relay of the cluster and which relays the requests it sends crossed:
 * query parameters of the PATH setup option, {@code ?moq-relay-peer=URL&moq-relay-peer=URL...} (advertised URLs, the
 * farthest first, the sending relay last), which relays outside the cluster ignore (the path they check is the part
 * before the query). The session layer calls {@link #markIfRelay} once SETUP is accepted; the engine then keeps the
 * relays in {@link Session#peerRelay()} (joined by spaces) and cluster peers serve that session's requests only off
 * those relays and within the hop bound ({@link #forwardable}; docs/cluster.md "Loops").
 */
public final class PeerRelays
{
    static final String QUERY_KEY = "moq-relay-peer";
    /** Relays kept from one SETUP: a longer path is over any hop bound anyway (and marks the session all the same). */
    static final int MAX_PATH = 16;

    private PeerRelays()
    {
    }

    /** The PATH to send to a peer relay whose URL has {@code path}, for requests that crossed {@code relays}. */
    static String setupPath(final String path, final List<String> relays)
    {
        final StringBuilder out = new StringBuilder(path);
        char sep = '?';
        for (final String relay : relays)
        {
            out.append(sep).append(QUERY_KEY).append('=').append(URLEncoder.encode(relay, StandardCharsets.UTF_8));
            sep = '&';
        }
        return out.toString();
    }

    /** Marks {@code engine} as another relay's session when the SETUP's PATH carries the peer parameter. */
    public static void markIfRelay(final Session engine, final Optional<Bytes> path)
    {
        if (path.isEmpty())
        {
            return;
        }
        final String relays = peerOf(path.get().utf8());
        if (relays != null)
        {
            engine.markPeerRelay(relays);
        }
    }

    /**
     * The relays named in a PATH value, joined by spaces (the farthest first), or null when it names none. Unlike a
     * token's ({@code SessionAuth}), a value with a malformed escape, an empty one (the key alone) or one with a space
     * still marks the session as another relay's ("?"), whatever its URL: the parameter is there.
     */
    static String peerOf(final String pathAndQuery)
    {
        final List<String> relays = new ArrayList<>();
        for (final String relay : PathQuery.parameters(pathAndQuery, QUERY_KEY, "?", MAX_PATH + 1))
        {
            relays.add(relay.isBlank() || relay.contains(" ") ? "?" : relay);
        }
        return relays.isEmpty() ? null : String.join(" ", relays);
    }

    /** The relays a session's requests crossed (empty for a client's session). */
    static List<String> path(final String peerRelay)
    {
        return peerRelay == null ? List.of() : Arrays.asList(peerRelay.split(" "));
    }

    /**
     * Whether this relay ({@code self}) may forward a request of a session whose requests crossed {@code crossed} to
     * {@code peer}: neither is on the path already, and the request then crosses at most {@code maxHops}
     * relay-to-relay hops.
     */
    static boolean forwardable(final String crossed, final RelayUrl self, final RelayUrl peer, final int maxHops)
    {
        final List<String> path = path(crossed);
        return path.size() + 1 <= maxHops && !path.contains(self.text()) && !path.contains(peer.text());
    }

    /** The relays to name to the next relay for a request of a session whose requests crossed {@code crossed}. */
    static List<String> extended(final String crossed, final RelayUrl self)
    {
        final List<String> out = new ArrayList<>(path(crossed));
        out.add(self.text());
        return out;
    }
}
