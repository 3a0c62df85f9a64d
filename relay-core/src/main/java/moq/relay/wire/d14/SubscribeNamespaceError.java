package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * SUBSCRIBE_NAMESPACE_ERROR (0x13, §"SUBSCRIBE_NAMESPACE_ERROR"): {@code Request ID (i), Error Code (i),
 * Error Reason (Reason Phrase)}. Codes: {@link RequestErrorCodes.SubscribeNamespaceError}.
 */
public record SubscribeNamespaceError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public SubscribeNamespaceError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_NAMESPACE_ERROR;
    }
}
