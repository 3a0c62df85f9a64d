package moq.relay.wire.param;

/**
 * Where a parameter may appear: each draft's {@code ParameterContext} lists, per message, the types whose definitions
 * name it; anywhere else a parameter is a PROTOCOL_VIOLATION.
 */
public interface ParameterScope
{
    boolean allows(ParameterType type);

    /** The message's name, for error texts. */
    String name();
}
