package moq.relay.wire.lite;

import moq.relay.wire.Bytes;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SETUP (lite-05): the only message of each endpoint's unidirectional Setup Stream, advertising its capabilities as
 * parameters ({@code id, length, value}), in the order received. Known ids ({@code @moq/net} 0.3.4): {@link #PROBE}
 * (varint level: 0 none, 1 report, 2 increase), {@link #PATH} (UTF-8, client only, bindings without a request URI),
 * {@link #ROLE} (varint: 0 both, 1 publisher, 2 subscriber), {@link #ORIGIN} (varint hop id). Unknown ids are kept.
 */
public record Setup(List<Parameter> parameters) implements LiteMessage
{
    public static final long PROBE = 0x1;
    public static final long PATH = 0x2;
    public static final long ROLE = 0x3;
    public static final long ORIGIN = 0x5;

    /** One parameter; {@code value} is its raw bytes. */
    public record Parameter(long id, Bytes value)
    {
        public Parameter
        {
            LiteMessage.checkVarint(id, "parameter id");
            if (value == null)
            {
                throw new IllegalArgumentException("value is null");
            }
        }
    }

    public Setup
    {
        parameters = List.copyOf(parameters);
        if (parameters.size() > LiteLimits.MAX_SETUP_PARAMETERS)
        {
            throw new IllegalArgumentException(parameters.size() + " parameters");
        }
        final Set<Long> ids = new HashSet<>();
        for (final Parameter p : parameters)
        {
            if (!ids.add(p.id()))
            {
                throw new IllegalArgumentException("duplicate parameter " + p.id());
            }
        }
    }

    /** The raw value of parameter {@code id}, or null. */
    public Bytes parameter(final long id)
    {
        for (final Parameter p : parameters)
        {
            if (p.id() == id)
            {
                return p.value();
            }
        }
        return null;
    }

    @Override
    public String name()
    {
        return "SETUP";
    }
}
