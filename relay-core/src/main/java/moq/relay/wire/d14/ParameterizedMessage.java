package moq.relay.wire.d14;

import java.util.List;
import java.util.OptionalLong;

/**
 * A draft-14 message with a Parameters field. The typed accessors return a parameter only where the draft
 * defines it for this message type; elsewhere it is ignored, as §"Version Specific Parameters" requires.
 */
public interface ParameterizedMessage extends Draft14Message
{
    MessageParameters parameters();

    /** DELIVERY TIMEOUT in milliseconds; empty when absent (no timeout) or not defined for this message. */
    default OptionalLong deliveryTimeout()
    {
        return parameters().varint(MessageParameters.DELIVERY_TIMEOUT, messageType());
    }

    /** MAX CACHE DURATION in milliseconds; empty when absent (no limit) or not defined for this message. */
    default OptionalLong maxCacheDuration()
    {
        return parameters().varint(MessageParameters.MAX_CACHE_DURATION, messageType());
    }

    /** AUTHORIZATION TOKEN parameters in wire order; empty when none or not defined for this message. */
    default List<AuthorizationToken> authorizationTokens()
    {
        return parameters().authorizationTokens(messageType());
    }
}
