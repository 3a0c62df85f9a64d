package moq.relay.wire;

/**
 * A decoded control message of one draft. Each draft's messages are records in that draft's package
 * ({@code moq.relay.wire.d18}, {@code moq.relay.wire.d14}); session adapters map them onto the
 * version-neutral engine.
 */
public interface ControlMessage
{
    /** The message type code on the wire. */
    long type();
}
