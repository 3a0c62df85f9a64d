package moq.relay.cluster;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A relay's address, {@code moqt://host:port[/path]} (raw QUIC, draft 18), as advertised in the cluster.
 *
 * @param path the PATH setup option to send, "/" when the URL has none.
 */
public record RelayUrl(String text, String host, int port, String path)
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
        return new RelayUrl(text.trim(), host, uri.getPort(), path);
    }

    @Override
    public String toString()
    {
        return text;
    }
}
