package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

import java.util.List;

/**
 * TRACK_STATUS (0xD, draft-21 §9.13): the SUBSCRIBE layout. Delivery parameters are not included; of the
 * parameter definitions only AUTHORIZATION_TOKEN and INCLUDE_PROPERTIES name TRACK_STATUS.
 * Answered by REQUEST_OK (TRACK_STATUS_OK) carrying LARGEST_OBJECT and Track Properties.
 */
public record TrackStatus(long requestId, TrackNamespace namespace, Bytes trackName, MessageParameters parameters)
    implements Draft20Message, Messages.TrackStatus
{
    public TrackStatus
    {
        Names.requireFullTrackName(namespace, trackName);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.TRACK_STATUS);
    }

    @Override
    public long type()
    {
        return MessageType.TRACK_STATUS;
    }

    public static TrackStatus read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static TrackStatus read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        final Bytes name = reader.trackName(namespace);
        return new TrackStatus(requestId, namespace, name,
            MessageParameters.read(reader, ParameterContext.TRACK_STATUS, form));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(namespace).lengthPrefixed(trackName);
        parameters.write(writer);
    }

    /** INCLUDE_PROPERTIES, default 1: whether TRACK_STATUS_OK should carry Track Properties. */
    public boolean includeProperties()
    {
        return parameters.includeProperties().orElse(true);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
