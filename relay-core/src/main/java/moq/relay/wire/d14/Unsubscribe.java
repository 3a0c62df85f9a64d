package moq.relay.wire.d14;

/**
 * UNSUBSCRIBE (0xA, §"UNSUBSCRIBE"): {@code Request ID (i)} of the subscription to end.
 */
public record Unsubscribe(long requestId) implements Draft14Message
{
    public Unsubscribe
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.UNSUBSCRIBE;
    }
}
