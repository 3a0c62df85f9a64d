package moq.relay.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An ordered tuple of namespace fields. The limits (at most {@link #MAX_FIELDS} fields, each non-empty)
 * are checked when decoding; building one locally with bad values is a bug and throws.
 */
public record TrackNamespace(List<Bytes> fields)
{
    /** Drafts 14 and 18: a namespace has at most 32 fields. */
    public static final int MAX_FIELDS = 32;
    /** Drafts 14 and 18: namespace plus track name is at most 4096 bytes. */
    public static final int MAX_FULL_TRACK_NAME_LENGTH = 4096;

    public static final TrackNamespace EMPTY = new TrackNamespace(List.of());

    public TrackNamespace
    {
        fields = List.copyOf(fields);
        if (fields.size() > MAX_FIELDS)
        {
            throw new IllegalArgumentException("namespace has more than " + MAX_FIELDS + " fields");
        }
    }

    public static TrackNamespace of(final String... fields)
    {
        final List<Bytes> list = new ArrayList<>(fields.length);
        for (final String f : fields)
        {
            list.add(Bytes.utf8(f));
        }
        return new TrackNamespace(list);
    }

    public int size()
    {
        return fields.size();
    }

    /** Sum of the field lengths, the namespace's share of the full track name limit. */
    public int byteLength()
    {
        int n = 0;
        for (final Bytes f : fields)
        {
            n += f.length();
        }
        return n;
    }

    /** True if {@code prefix} matches this namespace field by field (draft-18 §8: whole fields, not bytes). */
    public boolean startsWith(final TrackNamespace prefix)
    {
        if (prefix.fields.size() > fields.size())
        {
            return false;
        }
        for (int i = 0; i < prefix.fields.size(); i++)
        {
            if (!prefix.fields.get(i).equals(fields.get(i)))
            {
                return false;
            }
        }
        return true;
    }

    /** The fields after {@code prefix}, which this namespace must start with. */
    public TrackNamespace suffixAfter(final TrackNamespace prefix)
    {
        if (!startsWith(prefix))
        {
            throw new IllegalArgumentException(prefix + " is not a prefix of " + this);
        }
        return new TrackNamespace(fields.subList(prefix.fields.size(), fields.size()));
    }

    public TrackNamespace append(final TrackNamespace suffix)
    {
        final List<Bytes> all = new ArrayList<>(fields);
        all.addAll(suffix.fields);
        return new TrackNamespace(all);
    }

    @Override
    public String toString()
    {
        return fields.toString();
    }
}
