package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * FETCH_ERROR (0x19, §"FETCH_ERROR"): {@code Request ID (i), Error Code (i), Error Reason (Reason Phrase)}.
 * Codes: {@link RequestErrorCodes.FetchError}.
 */
public record FetchError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public FetchError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.FETCH_ERROR;
    }
}
