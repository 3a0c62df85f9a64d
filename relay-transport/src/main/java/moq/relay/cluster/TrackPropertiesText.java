package moq.relay.cluster;

import java.util.ArrayList;
import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;

/**
 * A PUBLISH-ed track's Track Properties as text in its Redis registration's value, so that other relays' first
 * SUBSCRIBE_OK of the mirrored track carries them: {@code TYPE=DECIMAL} for a varint, {@code TYPE=xHEX} for bytes,
 * comma-separated, e.g. {@code 2=7,3=x0a0b}. Readable for operators; bounded by the properties PUBLISH carried.
 */
final class TrackPropertiesText
{
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private TrackPropertiesText()
    {
    }

    static String encode(final List<KeyValuePair> properties)
    {
        final StringBuilder out = new StringBuilder();
        for (final KeyValuePair p : properties)
        {
            if (out.length() > 0)
            {
                out.append(',');
            }
            out.append(p.type()).append('=');
            if (p.isBytes())
            {
                out.append('x');
                for (final byte b : p.bytesValue().toByteArray())
                {
                    out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            else
            {
                out.append(Long.toUnsignedString(p.intValue()));
            }
        }
        return out.toString();
    }

    /** Decodes {@link #encode}'s text; throws IllegalArgumentException (NumberFormatException) on malformed text. */
    static List<KeyValuePair> decode(final String text)
    {
        final List<KeyValuePair> out = new ArrayList<>();
        if (text.isEmpty())
        {
            return out;
        }
        for (final String item : text.split(",", -1))
        {
            final int eq = item.indexOf('=');
            if (eq < 0)
            {
                throw new IllegalArgumentException("no '=' in " + item);
            }
            final long type = Long.parseUnsignedLong(item.substring(0, eq));
            final String value = item.substring(eq + 1);
            if (KeyValuePair.isBytesType(type))
            {
                if (!value.startsWith("x"))
                {
                    throw new IllegalArgumentException("bytes without 'x' in " + item);
                }
                out.add(KeyValuePair.ofBytes(type, Bytes.fromHex(value.substring(1))));
            }
            else
            {
                out.add(KeyValuePair.ofVarint(type, Long.parseUnsignedLong(value)));
            }
        }
        return out;
    }
}
