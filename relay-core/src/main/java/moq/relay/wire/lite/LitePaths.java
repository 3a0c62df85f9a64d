package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The proposed bridge between a moq-lite broadcast path and a MoQT track namespace (package documentation): the path,
 * normalised as {@code @moq/net}'s {@code Path.from} does (empty segments dropped, so no leading, trailing or doubled
 * {@code /}), split at {@code /} into namespace fields. Either direction answers null where there is no counterpart:
 * a path of more than {@link TrackNamespace#MAX_FIELDS} segments; a namespace with an empty field, a field holding
 * {@code /}, or a field that is not UTF-8. Prefix matching then works on whole segments on both sides, as
 * {@code @moq/net}'s {@code Path.hasPrefix} and MoQT's namespace prefixes do.
 */
public final class LitePaths
{
    private LitePaths()
    {
    }

    /** {@code path} normalised: empty segments dropped. */
    public static String normalise(final String path)
    {
        return String.join("/", segments(path));
    }

    /** The namespace of broadcast {@code path}, or null if it has more than 32 segments. */
    public static TrackNamespace toNamespace(final String path)
    {
        final List<String> segments = segments(path);
        if (segments.size() > TrackNamespace.MAX_FIELDS)
        {
            return null;
        }
        final List<Bytes> fields = new ArrayList<>(segments.size());
        for (final String segment : segments)
        {
            fields.add(Bytes.utf8(segment));
        }
        return new TrackNamespace(fields);
    }

    /** The broadcast path of {@code namespace}, or null if it has none (an empty, non-UTF-8 or {@code /} field). */
    public static String toPath(final TrackNamespace namespace)
    {
        final StringBuilder path = new StringBuilder();
        for (final Bytes field : namespace.fields())
        {
            if (field.length() == 0)
            {
                return null;
            }
            final String segment;
            try
            {
                segment = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(field.array()))
                    .toString();
            }
            catch (final CharacterCodingException e)
            {
                return null;
            }
            if (segment.indexOf('/') >= 0)
            {
                return null;
            }
            if (path.length() > 0)
            {
                path.append('/');
            }
            path.append(segment);
        }
        return path.toString();
    }

    private static List<String> segments(final String path)
    {
        final List<String> segments = new ArrayList<>();
        for (final String segment : path.split("/", -1))
        {
            if (!segment.isEmpty())
            {
                segments.add(segment);
            }
        }
        return segments;
    }
}
