package moq.relay.wire.d14;

import moq.relay.wire.Location;

import java.util.Objects;

/**
 * SUBSCRIBE_OK (0x4, §"SUBSCRIBE_OK"): {@code Request ID (i), Track Alias (i), Expires (i), Group Order (8),
 * Content Exists (8), [Largest Location], Number of Parameters (i), Parameters}. {@code largestLocation} is
 * null when Content Exists is 0. Group Order is 1 or 2 here; Expires is in milliseconds, 0 for "never/unknown".
 */
public record SubscribeOk(
    long requestId,
    long trackAlias,
    long expires,
    GroupOrder groupOrder,
    Location largestLocation,
    MessageParameters parameters) implements ParameterizedMessage
{
    public SubscribeOk
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(trackAlias, "trackAlias");
        Fields.varint(expires, "expires");
        Fields.explicitGroupOrder(groupOrder);
        if (largestLocation != null)
        {
            Fields.location(largestLocation, "largestLocation");
        }
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.SUBSCRIBE_OK);
    }

    /** Content Exists: whether any object has been published, i.e. whether Largest Location is on the wire. */
    public boolean contentExists()
    {
        return largestLocation != null;
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.SUBSCRIBE_OK;
    }
}
