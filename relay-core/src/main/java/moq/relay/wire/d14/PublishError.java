package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * PUBLISH_ERROR (0x1F, §"PUBLISH_ERROR"): {@code Request ID (i), Error Code (i), Error Reason (Reason Phrase)}.
 * Codes: {@link RequestErrorCodes.PublishError}. The diagram shows {@code Length (i)}; see {@link Publish}.
 */
public record PublishError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public PublishError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_ERROR;
    }
}
