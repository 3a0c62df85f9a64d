package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;
import moq.relay.wire.param.Properties;

import java.util.List;
import java.util.Optional;

/**
 * PUBLISH (0x1D, draft-21 §9.8): {@code Request ID, Track Namespace, Track Name Length, Track Name, Track Alias,
 * Number of Parameters, Parameters, Track Properties} (the properties run to the end of the message). Draft-20 lets
 * it carry the publisher's initial subscription parameters (#1834; see {@link ParameterContext#PUBLISH}); the
 * subscriber changes them with REQUEST_UPDATE, no longer in PUBLISH_OK.
 */
public record Publish(
    long requestId,
    TrackNamespace namespace,
    Bytes trackName,
    long trackAlias,
    MessageParameters parameters,
    Properties trackProperties) implements Draft20Message, Messages.Publish
{
    public Publish
    {
        Names.requireFullTrackName(namespace, trackName);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.PUBLISH);
        Names.require(trackProperties, "track properties");
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH;
    }

    public static Publish read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static Publish read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        final Bytes name = reader.trackName(namespace);
        final long alias = reader.varint();
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.PUBLISH, form);
        return new Publish(requestId, namespace, name, alias, parameters, Properties.readTrackProperties(reader));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(namespace).lengthPrefixed(trackName).varint(trackAlias);
        parameters.write(writer);
        trackProperties.write(writer);
    }

    /** FORWARD, default 1: 0 means no objects until the subscriber sets Forward State 1. */
    public boolean forward()
    {
        return parameters.forward().orElse(true);
    }

    /** GROUP_ORDER; empty means the track's preference. */
    public Optional<GroupOrder> groupOrder()
    {
        return parameters.groupOrder();
    }

    /** LOCATION_FILTER; {@link LocationFilter#NONE} (unfiltered) when absent. */
    public LocationFilter filter()
    {
        return parameters.locationFilter().orElse(LocationFilter.NONE);
    }

    /** EXPIRES in ms; 0 (no known expiry) when absent. */
    public long expiresMillis()
    {
        return parameters.expires().orElse(0);
    }

    /** LARGEST_OBJECT; empty when no object has been published. */
    public Optional<Location> largestObject()
    {
        return parameters.largestObject();
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
