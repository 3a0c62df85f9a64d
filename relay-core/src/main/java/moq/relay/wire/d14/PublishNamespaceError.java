package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * PUBLISH_NAMESPACE_ERROR (0x8, §"PUBLISH_NAMESPACE_ERROR"): {@code Request ID (i), Error Code (i),
 * Error Reason (Reason Phrase)}. Codes: {@link RequestErrorCodes.PublishNamespaceError}.
 */
public record PublishNamespaceError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public PublishNamespaceError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_NAMESPACE_ERROR;
    }
}
