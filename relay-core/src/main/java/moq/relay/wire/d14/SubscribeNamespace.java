package moq.relay.wire.d14;

import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * SUBSCRIBE_NAMESPACE (0x11, §"SUBSCRIBE_NAMESPACE"): {@code Request ID (i), Track Namespace Prefix (tuple),
 * Number of Parameters (i), Parameters}. In -14 the prefix, like any namespace, has 1 to 32 fields: "a Track
 * Namespace Prefix tuple with an N of 0 or more than 32" closes the session with PROTOCOL_VIOLATION, so the
 * empty prefix ("everything") of later drafts does not exist here.
 */
public record SubscribeNamespace(long requestId, TrackNamespace trackNamespacePrefix, MessageParameters parameters)
    implements ParameterizedMessage
{
    public SubscribeNamespace
    {
        Fields.varint(requestId, "requestId");
        Fields.namespace(trackNamespacePrefix, "trackNamespacePrefix");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.SUBSCRIBE_NAMESPACE);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_NAMESPACE;
    }
}
