package moq.relay.wire.d14;

import moq.relay.wire.TrackNamespace;

/** PUBLISH_NAMESPACE_DONE (0x9, §"PUBLISH_NAMESPACE_DONE"): {@code Track Namespace (tuple)}; no Request ID in -14. */
public record PublishNamespaceDone(TrackNamespace trackNamespace) implements Draft14Message
{
    public PublishNamespaceDone
    {
        Fields.namespace(trackNamespace, "trackNamespace");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_NAMESPACE_DONE;
    }
}
