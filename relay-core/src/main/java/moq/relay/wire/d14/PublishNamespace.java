package moq.relay.wire.d14;

import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * PUBLISH_NAMESPACE (0x6, §"PUBLISH_NAMESPACE"): {@code Request ID (i), Track Namespace (tuple),
 * Number of Parameters (i), Parameters}.
 */
public record PublishNamespace(long requestId, TrackNamespace trackNamespace, MessageParameters parameters)
    implements ParameterizedMessage
{
    public PublishNamespace
    {
        Fields.varint(requestId, "requestId");
        Fields.namespace(trackNamespace, "trackNamespace");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.PUBLISH_NAMESPACE);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_NAMESPACE;
    }
}
