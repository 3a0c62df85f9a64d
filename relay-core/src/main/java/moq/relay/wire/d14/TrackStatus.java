package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * TRACK_STATUS (0xD, §"TRACK_STATUS"): "identical to the SUBSCRIBE message" on the wire; the receiver
 * answers as it would a SUBSCRIBE but creates no subscription. See {@link Subscribe} for the fields.
 */
public record TrackStatus(
    long requestId,
    TrackNamespace trackNamespace,
    Bytes trackName,
    int subscriberPriority,
    GroupOrder groupOrder,
    boolean forward,
    SubscriptionFilter filter,
    MessageParameters parameters) implements ParameterizedMessage
{
    public TrackStatus
    {
        Fields.varint(requestId, "requestId");
        Fields.namespace(trackNamespace, "trackNamespace");
        Fields.trackName(trackNamespace, trackName);
        Fields.uint8(subscriberPriority, "subscriberPriority");
        Objects.requireNonNull(groupOrder, "groupOrder");
        Objects.requireNonNull(filter, "filter");
        if (filter.start() != null)
        {
            Fields.location(filter.start(), "filter.start");
        }
        Fields.varint(filter.endGroup(), "filter.endGroup");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.TRACK_STATUS);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.TRACK_STATUS;
    }
}
