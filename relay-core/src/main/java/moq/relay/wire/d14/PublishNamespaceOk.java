package moq.relay.wire.d14;

/**
 * PUBLISH_NAMESPACE_OK (0x7, §"PUBLISH_NAMESPACE_OK"): {@code Request ID (i)} of the accepted PUBLISH_NAMESPACE.
 */
public record PublishNamespaceOk(long requestId) implements Draft14Message
{
    public PublishNamespaceOk
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_NAMESPACE_OK;
    }
}
