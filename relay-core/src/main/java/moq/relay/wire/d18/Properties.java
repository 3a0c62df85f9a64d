package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

/**
 * Track or Object Properties (§"Properties"): delta-coded Key-Value-Pairs that a relay forwards and caches
 * unmodified, unknown types included. Both the pairs and the exact bytes they came in are kept, so a relay
 * re-emits what it received byte for byte, even where the peer used non-minimal varints.
 *
 * <p>Track Properties end a message and run to its end (no length); Object Properties carry a length in front,
 * which the data plane reads before handing the block here.
 */
public record Properties(List<KeyValuePair> pairs, Bytes encoded)
{
    public static final Properties EMPTY = new Properties(List.of(), Bytes.EMPTY);

    /** Checks that {@code encoded} is exactly the encoding of {@code pairs}; use {@link #of} to build one. */
    public Properties
    {
        pairs = List.copyOf(pairs);
        List<KeyValuePair> parsed = List.of();
        try
        {
            parsed = parse(Names.require(encoded, "encoded"));
        }
        catch (final WireException e)
        {
            throw new IllegalArgumentException("encoded properties are malformed: " + e.getMessage());
        }
        if (!parsed.equals(pairs))
        {
            throw new IllegalArgumentException("encoded properties do not match the pairs");
        }
    }

    /** Properties built locally, in ascending type order, encoded minimally. */
    public static Properties of(final List<KeyValuePair> pairs)
    {
        final WireWriter writer = new WireWriter(MoqtVarint.INSTANCE);
        KeyValuePairs.write(writer, pairs, true);
        return new Properties(pairs, Bytes.wrap(writer.toByteArray(0)));
    }

    public static Properties of(final KeyValuePair... pairs)
    {
        return of(List.of(pairs));
    }

    /** Track Properties: every byte left in {@code reader}. */
    public static Properties readToEnd(final WireReader reader) throws WireException
    {
        if (!reader.hasRemaining())
        {
            return EMPTY;
        }
        final int start = reader.position();
        final List<KeyValuePair> pairs = KeyValuePairs.readToEnd(reader, true);
        final byte[] raw = new byte[reader.position() - start];
        reader.buffer().getBytes(start, raw);
        return new Properties(pairs, Bytes.wrap(raw));
    }

    /** Object Properties: a block of {@code length} bytes, the length already read (and bounded) by the caller. */
    public static Properties read(final WireReader reader, final int length) throws WireException
    {
        final Bytes raw = reader.bytes(length);
        return new Properties(parse(raw), raw);
    }

    private static List<KeyValuePair> parse(final Bytes raw) throws WireException
    {
        if (raw.length() == 0)
        {
            return List.of();
        }
        final WireReader reader = new WireReader(MoqtVarint.INSTANCE).wrap(new UnsafeBuffer(raw.array()), 0, raw.length());
        return KeyValuePairs.readToEnd(reader, true);
    }

    public boolean isEmpty()
    {
        return pairs.isEmpty();
    }

    /** The first pair of {@code type}, or null. */
    public KeyValuePair find(final long type)
    {
        for (final KeyValuePair p : pairs)
        {
            if (p.type() == type)
            {
                return p;
            }
        }
        return null;
    }

    /** Writes the exact bytes received (or built). */
    public void write(final WireWriter writer)
    {
        writer.bytes(encoded);
    }
}
