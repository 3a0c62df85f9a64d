package moq.relay.wire.param;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a parameter may appear: each draft's {@code ParameterContext} lists, per message, the types whose definitions
 * name it; anywhere else a parameter is a PROTOCOL_VIOLATION.
 */
public interface ParameterScope
{
    boolean allows(ParameterType type);

    /** The message's name, for error texts. */
    String name();

    /** The set of {@code types}, for a scope's constructor. */
    static Set<ParameterType> setOf(final ParameterType... types)
    {
        final EnumSet<ParameterType> set = EnumSet.noneOf(ParameterType.class);
        for (final ParameterType t : types)
        {
            set.add(t);
        }
        return set;
    }
}
