package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.d18.AuthToken;
import moq.relay.wire.d18.GroupOrder;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireWriter;

/**
 * One decoded draft-20 Message Parameter (draft-21 §9.20), typed by its definition. Each record writes its own
 * value; {@link MessageParameters} writes the type deltas and the count.
 */
public sealed interface Parameter
{
    ParameterType type();

    /** Writes the value only, in the parameter type's encoding. */
    void writeValue(WireWriter writer);

    /**
     * The parameter's draft name, e.g. "EXPIRES". Bean-named on purpose: JSON views built by reflection on the
     * records (the decode CLI) then label each entry, whose own components ("millis", "location") do not say which
     * parameter they are.
     */
    default String getName()
    {
        return type().name();
    }

    /** OBJECT_DELIVERY_TIMEOUT (0x02), milliseconds; 0 means no timeout. */
    record ObjectDeliveryTimeout(long millis) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.OBJECT_DELIVERY_TIMEOUT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(millis);
        }
    }

    /** AUTHORIZATION_TOKEN (0x03): a length-prefixed Token; may repeat. */
    record AuthorizationToken(AuthToken token) implements Parameter
    {
        public AuthorizationToken
        {
            if (token == null)
            {
                throw new IllegalArgumentException("token required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.AUTHORIZATION_TOKEN;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            final WireWriter inner = new WireWriter(writer.varintScheme());
            token.write(inner);
            writer.lengthPrefixed(Bytes.wrap(inner.toByteArray(0)));
        }
    }

    /** RENDEZVOUS_TIMEOUT (0x04), milliseconds to wait for a publisher; absent means 0. */
    record RendezvousTimeout(long millis) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.RENDEZVOUS_TIMEOUT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(millis);
        }
    }

    /** SUBGROUP_DELIVERY_TIMEOUT (0x06), milliseconds; 0 means no timeout. */
    record SubgroupDeliveryTimeout(long millis) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.SUBGROUP_DELIVERY_TIMEOUT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(millis);
        }
    }

    /** EXPIRES (0x08), milliseconds; 0 or absent means no known expiry. */
    record Expires(long millis) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.EXPIRES;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(millis);
        }
    }

    /** LARGEST_OBJECT (0x09): a Location; absent means no object has been seen. */
    record LargestObject(Location location) implements Parameter
    {
        public LargestObject
        {
            if (location == null)
            {
                throw new IllegalArgumentException("location required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.LARGEST_OBJECT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.location(location);
        }
    }

    /**
     * Not draft-20: LARGEST_OBJECT (0x09) written like a bytes parameter, a length then the Location, which
     * @moq/net 0.3.4 reads and writes at draft-20 as at draft-18 (it applies the odd-type Key-Value-Pair rule). For
     * a dialect to send only to a peer whose MOQT_IMPLEMENTATION is known to need it; decoding yields it only in
     * {@link ParameterForm#ODD_TYPES_LENGTH_PREFIXED}.
     */
    record LengthPrefixedLargestObject(Location location) implements Parameter
    {
        public LengthPrefixedLargestObject
        {
            if (location == null)
            {
                throw new IllegalArgumentException("location required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.LARGEST_OBJECT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(writer.varintScheme().encodedLength(location.group()) +
                writer.varintScheme().encodedLength(location.object()));
            writer.location(location);
        }
    }

    /** FILL_TIMEOUT (0x0A), milliseconds a relay may wait upstream while serving a FETCH or a fill. */
    record FillTimeout(long millis) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.FILL_TIMEOUT;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(millis);
        }
    }

    /** FORWARD (0x10): uint8 0 or 1, any other value a PROTOCOL_VIOLATION. */
    record Forward(boolean forward) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.FORWARD;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.uint8(forward ? 1 : 0);
        }
    }

    /** SUBSCRIBER_PRIORITY (0x20): uint8, lower is more important. */
    record SubscriberPriority(int priority) implements Parameter
    {
        public SubscriberPriority
        {
            if (priority < 0 || priority > 255)
            {
                throw new IllegalArgumentException("priority " + priority + " is not a uint8");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.SUBSCRIBER_PRIORITY;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.uint8(priority);
        }
    }

    /** LOCATION_FILTER (0x21): a length-prefixed Location Filter (§9.20.10); length 0 means no filter. */
    record LocationFilterParameter(LocationFilter filter) implements Parameter
    {
        public LocationFilterParameter
        {
            if (filter == null)
            {
                throw new IllegalArgumentException("filter required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.LOCATION_FILTER;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            final WireWriter inner = new WireWriter(writer.varintScheme());
            filter.write(inner);
            writer.lengthPrefixed(Bytes.wrap(inner.toByteArray(0)));
        }
    }

    /** GROUP_ORDER (0x22): uint8 1 (ascending) or 2 (descending). */
    record Order(GroupOrder order) implements Parameter
    {
        public Order
        {
            if (order == null)
            {
                throw new IllegalArgumentException("order required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.GROUP_ORDER;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.uint8(order.code());
        }
    }

    /**
     * FILL_PARAMETERS (0x23, §9.20.16): length-prefixed, a parameter block of its own scope ({@link
     * ParameterContext#FILL}) for the fill fetch stream; its presence is what asks for a fill. The block is written
     * "as if they were Parameters for a separate message", so with its Number of Parameters.
     */
    record FillParameters(MessageParameters parameters) implements Parameter
    {
        public FillParameters
        {
            if (parameters == null)
            {
                throw new IllegalArgumentException("parameters required");
            }
            parameters.requireAllowedIn(ParameterContext.FILL);
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.FILL_PARAMETERS;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            final WireWriter inner = new WireWriter(writer.varintScheme());
            parameters.write(inner);
            writer.lengthPrefixed(Bytes.wrap(inner.toByteArray(0)));
        }
    }

    /** One of the Range Filters (0x25-0x29, §3.3.2): length-prefixed; may repeat. */
    record Range(RangeFilter filter) implements Parameter
    {
        public Range
        {
            if (filter == null)
            {
                throw new IllegalArgumentException("filter required");
            }
        }

        @Override
        public ParameterType type()
        {
            return filter.filterType();
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            final WireWriter inner = new WireWriter(writer.varintScheme());
            filter.write(inner);
            writer.lengthPrefixed(Bytes.wrap(inner.toByteArray(0)));
        }
    }

    /** NEW_GROUP_REQUEST (0x32): the largest Group ID the subscriber knows plus 1; 0 = none known. */
    record NewGroupRequest(long value) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.NEW_GROUP_REQUEST;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(value);
        }
    }

    /** INCLUDE_PROPERTIES (0x35, §9.20.22): uint8 0 or 1 (default 1), any other value a PROTOCOL_VIOLATION. */
    record IncludeProperties(boolean include) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.INCLUDE_PROPERTIES;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.uint8(include ? 1 : 0);
        }
    }

    /**
     * Not draft-20: INCLUDE_PROPERTIES (0x35) with a length prefix, {@code 01} then the uint8, as @moq/net 0.3.4 writes
     * and reads it ("0x35 is odd, so the Key-Value-Pair rule length prefixes it"). Decoded only in {@link
     * ParameterForm#ODD_TYPES_LENGTH_PREFIXED}, so that a message re-encodes to the bytes that peer sent.
     */
    record LengthPrefixedIncludeProperties(boolean include) implements Parameter
    {
        @Override
        public ParameterType type()
        {
            return ParameterType.INCLUDE_PROPERTIES;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.varint(1);
            writer.uint8(include ? 1 : 0);
        }
    }

    /** TRACK_NAMESPACE_PREFIX (0x34): a Track Namespace (not length-prefixed), 0 to 32 fields. */
    record TrackNamespacePrefix(TrackNamespace prefix) implements Parameter
    {
        public TrackNamespacePrefix
        {
            if (prefix == null)
            {
                throw new IllegalArgumentException("prefix required");
            }
        }

        @Override
        public ParameterType type()
        {
            return ParameterType.TRACK_NAMESPACE_PREFIX;
        }

        @Override
        public void writeValue(final WireWriter writer)
        {
            writer.namespace(prefix);
        }
    }
}
