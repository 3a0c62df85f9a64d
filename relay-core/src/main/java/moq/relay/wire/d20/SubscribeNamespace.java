package moq.relay.wire.d20;

import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

import java.util.List;

/**
 * SUBSCRIBE_NAMESPACE (0x50, draft-21 §9.15): {@code Request ID, Track Namespace Prefix (0..32 fields),
 * Number of Parameters, Parameters}. Answered by REQUEST_OK, then NAMESPACE / NAMESPACE_DONE on the same stream.
 */
public record SubscribeNamespace(long requestId, TrackNamespace prefix, MessageParameters parameters)
    implements Draft20Message, Messages.SubscribeNamespace
{
    public SubscribeNamespace
    {
        Names.requireValid(prefix);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.SUBSCRIBE_NAMESPACE);
    }

    @Override
    public long type()
    {
        return MessageType.SUBSCRIBE_NAMESPACE;
    }

    public static SubscribeNamespace read(final WireReader reader) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace prefix = reader.namespace(0, true);
        return new SubscribeNamespace(requestId, prefix,
            MessageParameters.read(reader, ParameterContext.SUBSCRIBE_NAMESPACE));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(prefix);
        parameters.write(writer);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
