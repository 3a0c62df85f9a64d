package moq.relay.wire.d14;

/**
 * UNSUBSCRIBE_NAMESPACE (0x14) in the form of the drafts after 14: {@code Request ID (i)}, naming the
 * SUBSCRIBE_NAMESPACE to end. Not draft-14 (whose message carries the prefix, {@link UnsubscribeNamespace}); only
 * {@link Draft14ControlCodec#REQUEST_ID_UNSUBSCRIBE_NAMESPACE} decodes it, for a peer known to write it (@moq/lite
 * 0.2.2 on draft 14). Any codec encodes it, as that peer would.
 */
public record UnsubscribeNamespaceRequest(long requestId) implements Draft14Message
{
    public UnsubscribeNamespaceRequest
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.UNSUBSCRIBE_NAMESPACE;
    }
}
