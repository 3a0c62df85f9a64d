package moq.relay.wire.d14;

import moq.relay.wire.Location;

import java.util.Objects;

/**
 * TRACK_STATUS_OK (0xE, §"TRACK_STATUS_OK"): "identical to the SUBSCRIBE_OK message" on the wire, with
 * Track Alias set to 0 by the sender (not checked on receipt: the draft attaches no error to it). See
 * {@link SubscribeOk} for the fields.
 */
public record TrackStatusOk(
    long requestId,
    long trackAlias,
    long expires,
    GroupOrder groupOrder,
    Location largestLocation,
    MessageParameters parameters) implements ParameterizedMessage
{
    public TrackStatusOk
    {
        Fields.varint(requestId, "requestId");
        Fields.varint(trackAlias, "trackAlias");
        Fields.varint(expires, "expires");
        Fields.explicitGroupOrder(groupOrder);
        if (largestLocation != null)
        {
            Fields.location(largestLocation, "largestLocation");
        }
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.TRACK_STATUS_OK);
    }

    /** Content Exists: whether any object has been published, i.e. whether Largest Location is on the wire. */
    public boolean contentExists()
    {
        return largestLocation != null;
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.TRACK_STATUS_OK;
    }
}
