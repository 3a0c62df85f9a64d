package moq.relay.wire.d20;

import moq.relay.wire.WireWriter;
import moq.relay.wire.param.ParameterType;

/**
 * Draft-20's Message Parameters (draft-21 §9.20): the records drafts 18 and 20 share ({@link
 * moq.relay.wire.param.Parameter}, inherited, so {@code Parameter.Forward} names the shared one) and the ones only
 * draft-20 has: the Location Filter, FILL_PARAMETERS, the Range Filters and INCLUDE_PROPERTIES.
 */
public interface Parameter extends moq.relay.wire.param.Parameter
{
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
            moq.relay.wire.param.Parameter.writeLengthPrefixed(writer, filter::write);
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
            moq.relay.wire.param.Parameter.writeLengthPrefixed(writer, parameters::write);
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
            moq.relay.wire.param.Parameter.writeLengthPrefixed(writer, filter::write);
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
}
