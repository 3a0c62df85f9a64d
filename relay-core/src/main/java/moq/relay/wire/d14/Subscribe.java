package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * SUBSCRIBE (0x3, §"SUBSCRIBE"): {@code Request ID (i), Track Namespace (tuple), Track Name (b),
 * Subscriber Priority (8), Group Order (8), Forward (8), Filter Type (i), [Start Location], [End Group (i)],
 * Number of Parameters (i), Parameters}. Group Order 0 asks for the publisher's order; Forward is 0 or 1.
 */
public record Subscribe(
    long requestId,
    TrackNamespace trackNamespace,
    Bytes trackName,
    int subscriberPriority,
    GroupOrder groupOrder,
    boolean forward,
    SubscriptionFilter filter,
    MessageParameters parameters) implements ParameterizedMessage
{
    public Subscribe
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
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.SUBSCRIBE);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE;
    }
}
