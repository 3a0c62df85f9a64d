package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * SUBSCRIBE_ERROR (0x5, §"SUBSCRIBE_ERROR"): {@code Request ID (i), Error Code (i), Error Reason (Reason Phrase)}.
 * Codes: {@link RequestErrorCodes.SubscribeError}.
 */
public record SubscribeError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public SubscribeError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_ERROR;
    }
}
