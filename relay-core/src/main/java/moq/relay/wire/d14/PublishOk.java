package moq.relay.wire.d14;

import java.util.Objects;

/**
 * PUBLISH_OK (0x1E, §"PUBLISH_OK"): {@code Request ID (i), Forward (8), Subscriber Priority (8),
 * Group Order (8), Filter Type (i), [Start Location], [End Group (i)], Number of Parameters (i), Parameters}.
 * Group Order is 1 or 2 here (0 is a protocol error) and overrides the one in PUBLISH; the filter is
 * SUBSCRIBE's. Length field: see the erratum on {@link Publish}.
 */
public record PublishOk(
    long requestId,
    boolean forward,
    int subscriberPriority,
    GroupOrder groupOrder,
    SubscriptionFilter filter,
    MessageParameters parameters) implements ParameterizedMessage
{
    public PublishOk
    {
        Fields.varint(requestId, "requestId");
        Fields.uint8(subscriberPriority, "subscriberPriority");
        Fields.explicitGroupOrder(groupOrder);
        Objects.requireNonNull(filter, "filter");
        if (filter.start() != null)
        {
            Fields.location(filter.start(), "filter.start");
        }
        Fields.varint(filter.endGroup(), "filter.endGroup");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.PUBLISH_OK);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH_OK;
    }
}
