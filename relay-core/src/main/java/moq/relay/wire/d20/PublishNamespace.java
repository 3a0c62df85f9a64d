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
 * PUBLISH_NAMESPACE (0x6, draft-21 §9.14): {@code Request ID, Track Namespace, Number of Parameters,
 * Parameters}. Withdrawn by closing its request stream (there is no PUBLISH_NAMESPACE_DONE in draft-20).
 */
public record PublishNamespace(long requestId, TrackNamespace namespace, MessageParameters parameters)
    implements Draft20Message, Messages.PublishNamespace
{
    public PublishNamespace
    {
        Names.requireValid(namespace);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.PUBLISH_NAMESPACE);
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH_NAMESPACE;
    }

    public static PublishNamespace read(final WireReader reader) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        return new PublishNamespace(requestId, namespace,
            MessageParameters.read(reader, ParameterContext.PUBLISH_NAMESPACE));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(namespace);
        parameters.write(writer);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
