package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.KeyValuePairs;
import moq.relay.wire.MoqtVarint;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.PropertyType;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Track or Object Properties (§"Properties"): delta-coded Key-Value-Pairs that a relay forwards and caches
 * unmodified, unknown types included. Both the pairs and the exact bytes they came in are kept, so a relay
 * re-emits what it received byte for byte, even where the peer used non-minimal varints.
 *
 * <p>Track Properties end a message and run to its end (no length); Object Properties carry a length in front,
 * which the data plane reads before handing the block here.
 *
 * <p>Typed lookups search the mutable pairs first, then the contents of IMMUTABLE_PROPERTIES, as §"Immutable
 * Properties" requires. Immutable Properties that cannot be parsed make the track malformed (a MALFORMED_TRACK
 * matter for the relay, not a session error): they are kept as bytes, reported by
 * {@link #hasMalformedImmutableProperties()}, and skipped by the lookups.
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

    /**
     * Track Properties running to the end of the message, with the values of the track properties draft-18
     * defines checked: DEFAULT_PUBLISHER_GROUP_ORDER other than 1/2 and DYNAMIC_GROUPS above 1 are
     * PROTOCOL_VIOLATIONs (the draft says so); DEFAULT_PUBLISHER_PRIORITY above 255 is "invalid" with no code
     * named, and we use PROTOCOL_VIOLATION too.
     */
    public static Properties readTrackProperties(final WireReader reader) throws WireException
    {
        final Properties properties = readToEnd(reader);
        properties.validateTrackValues();
        return properties;
    }

    /** Checks the values of known track properties, in the mutable list and inside Immutable Properties. */
    public void validateTrackValues() throws WireException
    {
        validateTrackValues(pairs);
        final List<KeyValuePair> nested = immutablePairsOrNull();
        if (nested != null)
        {
            validateTrackValues(nested);
        }
    }

    private static void validateTrackValues(final List<KeyValuePair> pairs) throws WireException
    {
        for (final KeyValuePair p : pairs)
        {
            if (p.type() == PropertyType.DEFAULT_PUBLISHER_GROUP_ORDER && (p.intValue() < 1 || p.intValue() > 2))
            {
                throw WireException.protocolViolation("DEFAULT_PUBLISHER_GROUP_ORDER " +
                    Long.toUnsignedString(p.intValue()));
            }
            if (p.type() == PropertyType.DYNAMIC_GROUPS && Long.compareUnsigned(p.intValue(), 1) > 0)
            {
                throw WireException.protocolViolation("DYNAMIC_GROUPS " + Long.toUnsignedString(p.intValue()));
            }
            if (p.type() == PropertyType.DEFAULT_PUBLISHER_PRIORITY && Long.compareUnsigned(p.intValue(), 255) > 0)
            {
                throw WireException.protocolViolation("DEFAULT_PUBLISHER_PRIORITY " +
                    Long.toUnsignedString(p.intValue()));
            }
        }
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

    /** The pairs inside IMMUTABLE_PROPERTIES; empty when absent or malformed. */
    public Properties immutable()
    {
        final KeyValuePair p = find(PropertyType.IMMUTABLE_PROPERTIES);
        if (p == null)
        {
            return EMPTY;
        }
        try
        {
            return new Properties(parse(p.bytesValue()), p.bytesValue());
        }
        catch (final WireException e)
        {
            return EMPTY;
        }
    }

    /** True when IMMUTABLE_PROPERTIES is present but its Key-Value-Pairs cannot be parsed (a malformed track). */
    public boolean hasMalformedImmutableProperties()
    {
        return find(PropertyType.IMMUTABLE_PROPERTIES) != null && immutablePairsOrNull() == null;
    }

    private List<KeyValuePair> immutablePairsOrNull()
    {
        final KeyValuePair p = find(PropertyType.IMMUTABLE_PROPERTIES);
        if (p == null)
        {
            return null;
        }
        try
        {
            return parse(p.bytesValue());
        }
        catch (final WireException e)
        {
            return null;
        }
    }

    /** {@code type} in the mutable pairs, else inside Immutable Properties; null if in neither. */
    public KeyValuePair lookup(final long type)
    {
        final KeyValuePair p = find(type);
        if (p != null)
        {
            return p;
        }
        final List<KeyValuePair> nested = immutablePairsOrNull();
        if (nested != null)
        {
            for (final KeyValuePair n : nested)
            {
                if (n.type() == type)
                {
                    return n;
                }
            }
        }
        return null;
    }

    private OptionalLong varintLookup(final long type)
    {
        final KeyValuePair p = lookup(type);
        return p == null || p.isBytes() ? OptionalLong.empty() : OptionalLong.of(p.intValue());
    }

    /** DEFAULT_PUBLISHER_PRIORITY, 128 when absent. */
    public int defaultPublisherPriority()
    {
        return (int)varintLookup(PropertyType.DEFAULT_PUBLISHER_PRIORITY).orElse(128);
    }

    /** DEFAULT_PUBLISHER_GROUP_ORDER, Ascending when absent. */
    public GroupOrder defaultPublisherGroupOrder()
    {
        return varintLookup(PropertyType.DEFAULT_PUBLISHER_GROUP_ORDER).orElse(1) == 2 ?
            GroupOrder.DESCENDING : GroupOrder.ASCENDING;
    }

    /** DYNAMIC_GROUPS, false when absent. */
    public boolean dynamicGroups()
    {
        return varintLookup(PropertyType.DYNAMIC_GROUPS).orElse(0) == 1;
    }

    /** MAX_CACHE_DURATION in ms; empty means cache until evicted. */
    public OptionalLong maxCacheDurationMillis()
    {
        return varintLookup(PropertyType.MAX_CACHE_DURATION);
    }

    /** The publisher's OBJECT_DELIVERY_TIMEOUT in ms. */
    public OptionalLong objectDeliveryTimeoutMillis()
    {
        return varintLookup(PropertyType.OBJECT_DELIVERY_TIMEOUT);
    }

    /** The publisher's SUBGROUP_DELIVERY_TIMEOUT in ms. */
    public OptionalLong subgroupDeliveryTimeoutMillis()
    {
        return varintLookup(PropertyType.SUBGROUP_DELIVERY_TIMEOUT);
    }

    /**
     * Mandatory Track Property types (0x4000-0x7FFF) present, mutable or immutable. A receiver that does not
     * understand one must not process or forward the track (UNSUPPORTED_EXTENSION).
     */
    public List<Long> mandatoryTypes()
    {
        final List<Long> types = new ArrayList<>(0);
        for (final KeyValuePair p : pairs)
        {
            if (PropertyType.isMandatory(p.type()))
            {
                types.add(p.type());
            }
        }
        for (final KeyValuePair p : immutable().pairs())
        {
            if (PropertyType.isMandatory(p.type()))
            {
                types.add(p.type());
            }
        }
        return types;
    }

    /** Writes the exact bytes received (or built). */
    public void write(final WireWriter writer)
    {
        writer.bytes(encoded);
    }
}
