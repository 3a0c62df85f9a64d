package moq.relay.wire.d18;

import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

import java.util.List;

/**
 * SUBSCRIBE_TRACKS (0x51, §"SUBSCRIBE_TRACKS"): {@code Request ID, Track Namespace Prefix (0..32 fields),
 * Number of Parameters, Parameters}. Answered by REQUEST_OK; PUBLISH messages then arrive on new streams, and
 * PUBLISH_BLOCKED on this one.
 */
public record SubscribeTracks(long requestId, TrackNamespace prefix, MessageParameters parameters)
    implements Draft18Message, Messages.SubscribeTracks
{
    public SubscribeTracks
    {
        Names.requireValid(prefix);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.SUBSCRIBE_TRACKS);
    }

    @Override
    public long type()
    {
        return MessageType.SUBSCRIBE_TRACKS;
    }

    public static SubscribeTracks read(final WireReader reader) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace prefix = reader.namespace(0, true);
        return new SubscribeTracks(requestId, prefix, MessageParameters.read(reader, ParameterContext.SUBSCRIBE_TRACKS));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(prefix);
        parameters.write(writer);
    }

    /** FORWARD, default 1: the value the resulting PUBLISH messages carry. */
    public boolean forward()
    {
        return parameters.forward().orElse(true);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
