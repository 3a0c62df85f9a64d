package moq.relay.wire.d14;

import moq.relay.wire.Location;

import java.util.Objects;

/**
 * FETCH_OK (0x18, §"FETCH_OK"): {@code Request ID (i), Group Order (8), End Of Track (8), End Location,
 * Number of Parameters (i), Parameters}. Group Order is 1 or 2 here. End Of Track is "1 if ..., 0 if not";
 * the section gives no error for other values, so we apply the rule the draft gives every other 0/1 field
 * (Forward, Content Exists): PROTOCOL_VIOLATION. An End Location below the FETCH's start is a
 * PROTOCOL_VIOLATION the session checks, as it needs the request.
 */
public record FetchOk(
    long requestId,
    GroupOrder groupOrder,
    boolean endOfTrack,
    Location endLocation,
    MessageParameters parameters) implements ParameterizedMessage
{
    public FetchOk
    {
        Fields.varint(requestId, "requestId");
        Fields.explicitGroupOrder(groupOrder);
        Fields.location(endLocation, "endLocation");
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.FETCH_OK);
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.FETCH_OK;
    }
}
