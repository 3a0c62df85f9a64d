package moq.relay.cluster;

import java.net.URI;
import java.net.URISyntaxException;

import moq.relay.wire.Draft;

/**
 * A relay's address, {@code moqt://host:port[/path][?draft=14]} (raw QUIC, draft 18 unless {@code draft=14} names a
 * static upstream that speaks draft 14 only), as advertised in the cluster.
 *
 * @param text the URL without its {@code draft} parameter: the relay's name on relay paths (docs/cluster.md "Loops")
 * @param path the PATH setup option to send, "/" when the URL has none.
 * @param draft the draft this relay is spoken to in
 */
public record RelayUrl(String text, String host, int port, String path, Draft draft)
{
    /** Parses {@code text}; throws IllegalArgumentException with the reason. */
    public static RelayUrl parse(final String text)
    {
        final URI uri;
        try
        {
            uri = new URI(text.trim());
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalArgumentException("relay URL " + text + ": " + e.getMessage());
        }
        if (!"moqt".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 1)
        {
            throw new IllegalArgumentException("relay URL " + text + ": expected moqt://host:port[/path]");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String name = text.trim();
        Draft draft = Draft.DRAFT_18;
        final String query = uri.getRawQuery();
        if (query != null)
        {
            final StringBuilder rest = new StringBuilder();
            for (final String parameter : query.split("&"))
            {
                if (parameter.startsWith("draft="))
                {
                    draft = switch (parameter.substring("draft=".length()))
                    {
                        case "14" -> Draft.DRAFT_14;
                        case "18" -> Draft.DRAFT_18;
                        default -> throw new IllegalArgumentException("relay URL " + text + ": draft=14 or draft=18");
                    };
                }
                else
                {
                    rest.append(rest.length() == 0 ? "" : "&").append(parameter);
                }
            }
            name = name.substring(0, name.indexOf('?')) + (rest.length() == 0 ? "" : "?" + rest) +
                (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
        }
        return new RelayUrl(name, host, uri.getPort(), path, draft);
    }

    @Override
    public String toString()
    {
        return text;
    }
}
