package moq.relay.wire.d14;

import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * SUBSCRIBE_NAMESPACE (0x11, §"SUBSCRIBE_NAMESPACE"): {@code Request ID (i), Track Namespace Prefix (tuple),
 * Number of Parameters (i), Parameters}. In -14 the prefix, like any namespace, has 1 to 32 fields: "a Track
 * Namespace Prefix tuple with an N of 0 or more than 32" closes the session with PROTOCOL_VIOLATION, so the
 * empty prefix ("everything") of later drafts does not exist here. It is decoded all the same (deployed clients such
 * as @moq/lite send it): the session answers it with SUBSCRIBE_NAMESPACE_ERROR, or serves it for a client known to
 * mean "every namespace", rather than end the call over one request.
 */
public record SubscribeNamespace(long requestId, TrackNamespace trackNamespacePrefix, MessageParameters parameters)
    implements ParameterizedMessage
{
    public SubscribeNamespace
    {
        Fields.varint(requestId, "requestId");
        Fields.prefix(trackNamespacePrefix, "trackNamespacePrefix");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.SUBSCRIBE_NAMESPACE);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_NAMESPACE;
    }
}
