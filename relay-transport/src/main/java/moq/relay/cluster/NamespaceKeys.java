package moq.relay.cluster;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * A track namespace as text for Redis keys and messages: fields joined by '/', each percent-encoded outside
 * {@code [A-Za-z0-9-_.~]}, so {@code live/room%201} stays readable for operators and any bytes round-trip.
 */
final class NamespaceKeys
{
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private NamespaceKeys()
    {
    }

    static String encode(final TrackNamespace ns)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < ns.size(); i++)
        {
            if (i > 0)
            {
                out.append('/');
            }
            for (final byte b : ns.fields().get(i).toByteArray())
            {
                final char c = (char)(b & 0xff);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.' || c == '~')
                {
                    out.append(c);
                }
                else
                {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
        }
        return out.toString();
    }

    /** Decodes {@link #encode}'s text; throws IllegalArgumentException on malformed text. */
    static TrackNamespace decode(final String text)
    {
        final List<Bytes> fields = new ArrayList<>();
        for (final String field : text.split("/", -1))
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
            for (int i = 0; i < field.length(); i++)
            {
                final char c = field.charAt(i);
                if (c == '%')
                {
                    if (i + 2 >= field.length())
                    {
                        throw new IllegalArgumentException("truncated escape in " + text);
                    }
                    bytes.write(Integer.parseInt(field.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                else
                {
                    bytes.write(c);
                }
            }
            fields.add(Bytes.wrap(bytes.toByteArray()));
        }
        return new TrackNamespace(fields);
    }
}
