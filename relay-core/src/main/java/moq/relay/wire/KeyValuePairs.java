package moq.relay.wire;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads and writes sequences of {@link KeyValuePair}s. Draft-18 codes each type as a delta from the previous
 * one (§1.4.3); draft-14 writes absolute types. Either way an odd type carries a length (at most 65,535)
 * and bytes, an even type one varint.
 */
public final class KeyValuePairs
{
    /** Upper bound on pairs held from one block, so a peer cannot make us build huge lists (a block is inside a 64 KB message). */
    public static final int MAX_PAIRS = 65_535;

    private KeyValuePairs()
    {
    }

    /** {@code count} pairs, count already read by the caller. */
    public static List<KeyValuePair> read(final WireReader reader, final long count, final boolean deltaCoded)
        throws WireException
    {
        // Each pair takes at least two bytes, so a count above remaining/2 cannot be honest.
        if (Long.compareUnsigned(count, reader.remaining() / 2) > 0)
        {
            throw WireException.protocolViolation("key-value pair count " + Long.toUnsignedString(count) +
                " exceeds what the message can hold");
        }
        final List<KeyValuePair> pairs = new ArrayList<>((int)count);
        long previous = 0;
        for (long i = 0; i < count; i++)
        {
            final KeyValuePair pair = readOne(reader, previous, deltaCoded);
            previous = pair.type();
            pairs.add(pair);
        }
        return Collections.unmodifiableList(pairs);
    }

    /** Pairs up to the end of the reader's bound (draft-18 setup options, track properties, object properties). */
    public static List<KeyValuePair> readToEnd(final WireReader reader, final boolean deltaCoded) throws WireException
    {
        if (!reader.hasRemaining())
        {
            return List.of();
        }
        final List<KeyValuePair> pairs = new ArrayList<>();
        long previous = 0;
        while (reader.hasRemaining())
        {
            final KeyValuePair pair = readOne(reader, previous, deltaCoded);
            previous = pair.type();
            pairs.add(pair);
        }
        return Collections.unmodifiableList(pairs);
    }

    private static KeyValuePair readOne(final WireReader reader, final long previous, final boolean deltaCoded)
        throws WireException
    {
        final long raw = reader.varint();
        final long type;
        if (deltaCoded)
        {
            type = previous + raw;
            if (Long.compareUnsigned(type, previous) < 0)
            {
                throw WireException.protocolViolation("key-value delta type overflows 2^64-1");
            }
        }
        else
        {
            type = raw;
        }
        if (KeyValuePair.isBytesType(type))
        {
            final long length = reader.varint();
            if (Long.compareUnsigned(length, KeyValuePair.MAX_VALUE_LENGTH) > 0)
            {
                throw WireException.protocolViolation("key-value length " + Long.toUnsignedString(length) +
                    " exceeds " + KeyValuePair.MAX_VALUE_LENGTH);
            }
            if (length > reader.remaining())
            {
                throw WireException.kvpFormatting("key-value length " + length + " runs past its block");
            }
            return KeyValuePair.ofBytes(type, reader.bytes((int)length));
        }
        return KeyValuePair.ofVarint(type, reader.varint());
    }

    /** Writes the pairs (no count); with delta coding they must be in ascending type order. */
    public static void write(final WireWriter writer, final List<KeyValuePair> pairs, final boolean deltaCoded)
    {
        long previous = 0;
        for (final KeyValuePair pair : pairs)
        {
            if (deltaCoded)
            {
                if (Long.compareUnsigned(pair.type(), previous) < 0)
                {
                    throw new IllegalArgumentException("delta-coded pairs must ascend by type: " + pairs);
                }
                writer.varint(pair.type() - previous);
                previous = pair.type();
            }
            else
            {
                writer.varint(pair.type());
            }
            if (pair.isBytes())
            {
                writer.lengthPrefixed(pair.bytesValue());
            }
            else
            {
                writer.varint(pair.intValue());
            }
        }
    }

    /** Encoded size of the pairs, for length prefixes written before them. */
    public static int encodedLength(final Varint varint, final List<KeyValuePair> pairs, final boolean deltaCoded)
    {
        int n = 0;
        long previous = 0;
        for (final KeyValuePair pair : pairs)
        {
            n += varint.encodedLength(deltaCoded ? pair.type() - previous : pair.type());
            previous = pair.type();
            if (pair.isBytes())
            {
                n += varint.encodedLength(pair.bytesValue().length()) + pair.bytesValue().length();
            }
            else
            {
                n += varint.encodedLength(pair.intValue());
            }
        }
        return n;
    }
}
