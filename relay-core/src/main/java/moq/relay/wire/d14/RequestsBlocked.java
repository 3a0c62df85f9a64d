package moq.relay.wire.d14;

/** REQUESTS_BLOCKED (0x1A, §"REQUESTS_BLOCKED"): {@code Maximum Request ID (i)} the sender is blocked on. */
public record RequestsBlocked(long maximumRequestId) implements Draft14Message
{
    public RequestsBlocked
    {
        Fields.varint(maximumRequestId, "maximumRequestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.REQUESTS_BLOCKED;
    }
}
