package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireWriter;

import java.util.function.Consumer;

/**
 * One decoded Message Parameter, typed by its definition. The records here are the parameters drafts 18 and 20 define
 * alike; each draft's {@code Parameter} adds the ones it alone has (its filters). Each record writes its own value;
 * the draft's {@code MessageParameters} ({@link ParameterBlock}) writes the type deltas and the count.
 */
public interface Parameter
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

    /** Writes what {@code body} writes behind its length (a length-prefixed value); control messages only. */
    static void writeLengthPrefixed(final WireWriter writer, final Consumer<WireWriter> body)
    {
        final WireWriter inner = new WireWriter(writer.varintScheme());
        body.accept(inner);
        writer.lengthPrefixed(Bytes.wrap(inner.toByteArray(0)));
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
            Parameter.writeLengthPrefixed(writer, token::write);
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
     * Not in the drafts: LARGEST_OBJECT (0x09) written like a bytes parameter, a length then the Location, which
     * @moq/net 0.3.4 reads at draft 18 and 20 (it applies the odd-type Key-Value-Pair rule). Sent only to a peer whose
     * MOQT_IMPLEMENTATION is known to need it; decoding never yields it.
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

    /** FILL_TIMEOUT (0x0A), milliseconds a relay may wait upstream while serving a FETCH (or, draft 20, a fill). */
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
