package moq.relay.wire.d14;

/**
 * MAX_REQUEST_ID (0x15, §"MAX_REQUEST_ID"): {@code Request ID (i)}, the new Maximum Request ID plus 1.
 * It must only grow (PROTOCOL_VIOLATION otherwise), which the session checks.
 */
public record MaxRequestId(long requestId) implements Draft14Message
{
    public MaxRequestId
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.MAX_REQUEST_ID;
    }
}
