package moq.relay.transport.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The query of a path with query: SETUP's PATH option, a WebTransport CONNECT {@code :path}. The one place it is split
 * off and its parameters decoded; the query may carry a token ({@code ?jwt=}), so what is logged is
 * {@link #withoutQuery}.
 */
public final class PathQuery
{
    private PathQuery()
    {
    }

    /** {@code pathAndQuery} without its query (which may carry a token: never log it). */
    public static String withoutQuery(final String pathAndQuery)
    {
        final int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    /**
     * The first value of query parameter {@code name} in {@code pathAndQuery}, URL-decoded: empty for the key alone,
     * null when the parameter is absent, and {@code ifMalformed} when its value has a malformed escape (each caller
     * says what such a value means to it).
     */
    public static String parameter(final String pathAndQuery, final String name, final String ifMalformed)
    {
        final List<String> values = parameters(pathAndQuery, name, ifMalformed, 1);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * The values of query parameter {@code name} in {@code pathAndQuery}, in order, at most {@code max}, each as
     * {@link #parameter} reads it (a repeated key is a list: the relays a cluster request crossed).
     */
    public static List<String> parameters(final String pathAndQuery, final String name, final String ifMalformed,
        final int max)
    {
        final int q = pathAndQuery.indexOf('?');
        if (q < 0)
        {
            return List.of();
        }
        final List<String> values = new ArrayList<>();
        for (final String pair : pathAndQuery.substring(q + 1).split("&"))
        {
            final int eq = pair.indexOf('=');
            final String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name) && values.size() < max)
            {
                String value;
                try
                {
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
                catch (final IllegalArgumentException e)
                {
                    value = ifMalformed;
                }
                values.add(value);
            }
        }
        return values;
    }
}
