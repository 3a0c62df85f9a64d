package moq.relay.wire.d14;

/**
 * SUBSCRIBE_NAMESPACE_OK (0x12, §"SUBSCRIBE_NAMESPACE_OK"): {@code Request ID (i)} of the accepted
 * SUBSCRIBE_NAMESPACE.
 */
public record SubscribeNamespaceOk(long requestId) implements Draft14Message
{
    public SubscribeNamespaceOk
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_NAMESPACE_OK;
    }
}
