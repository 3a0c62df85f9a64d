package moq.relay.wire.d14;

/**
 * FETCH_CANCEL (0x17, §"FETCH_CANCEL"): {@code Request ID (i)} of the FETCH to cancel.
 */
public record FetchCancel(long requestId) implements Draft14Message
{
    public FetchCancel
    {
        Fields.varint(requestId, "requestId");
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.FETCH_CANCEL;
    }
}
