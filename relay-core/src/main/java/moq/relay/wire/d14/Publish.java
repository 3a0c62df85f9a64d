package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

import java.util.Objects;

/**
 * PUBLISH (0x1D, §"PUBLISH"): {@code Request ID (i), Track Namespace (tuple), Track Name (b), Track Alias (i),
 * Group Order (8), Content Exists (8), [Largest Location], Forward (8), Number of Parameters (i), Parameters}.
 * {@code largestLocation} is null when Content Exists is 0.
 *
 * <p>Erratum: the -14 diagrams of PUBLISH, PUBLISH_OK and PUBLISH_ERROR show {@code Length (i)}, but
 * §"Control Messages" frames every control message as {@code Message Length (16)} and says the length is set
 * the same way for all; a per-message varint length would make the framing unparseable without knowing the
 * type. We follow the general framing (16 bits), as deployed -14 stacks do.
 */
public record Publish(
    long requestId,
    TrackNamespace trackNamespace,
    Bytes trackName,
    long trackAlias,
    GroupOrder groupOrder,
    Location largestLocation,
    boolean forward,
    MessageParameters parameters) implements ParameterizedMessage
{
    public Publish
    {
        Fields.varint(requestId, "requestId");
        Fields.namespace(trackNamespace, "trackNamespace");
        Fields.trackName(trackNamespace, trackName);
        Fields.varint(trackAlias, "trackAlias");
        Fields.explicitGroupOrder(groupOrder);
        if (largestLocation != null)
        {
            Fields.location(largestLocation, "largestLocation");
        }
        Objects.requireNonNull(parameters, "parameters").requireValidFor(MessageType.PUBLISH);
    }

    /** Content Exists: whether any object has been published, i.e. whether Largest Location is on the wire. */
    public boolean contentExists()
    {
        return largestLocation != null;
    }

    @Override
    public MessageType messageType()
    {
        return MessageType.PUBLISH;
    }
}
