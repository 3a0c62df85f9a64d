package moq.relay.wire.d14;

import moq.relay.wire.Bytes;

/**
 * TRACK_STATUS_ERROR (0xF, §"TRACK_STATUS_ERROR"): "identical to the SUBSCRIBE_ERROR message"; same codes,
 * {@link RequestErrorCodes.SubscribeError}.
 */
public record TrackStatusError(long requestId, long errorCode, Bytes reason) implements RequestErrorMessage
{
    public TrackStatusError
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(errorCode, "errorCode");
        Fields.reason(reason);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.TRACK_STATUS_ERROR;
    }
}
