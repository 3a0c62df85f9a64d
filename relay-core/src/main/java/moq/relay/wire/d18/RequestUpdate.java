package moq.relay.wire.d18;

import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

/**
 * REQUEST_UPDATE (0x2, §"REQUEST_UPDATE"): {@code Request ID, Number of Parameters, Parameters}, sent on the
 * stream of the request it modifies. An absent parameter leaves the value unchanged, so there are no defaults
 * here: read {@link #parameters()}.
 *
 * <p>Decoded against the union of what any REQUEST_UPDATE may carry; the session layer, which knows the
 * request on the stream, calls {@link #validateAs} with the specific context.
 */
public record RequestUpdate(long requestId, MessageParameters parameters)
    implements Draft18Message, Messages.RequestUpdate
{
    public RequestUpdate
    {
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.REQUEST_UPDATE);
    }

    @Override
    public long type()
    {
        return MessageType.REQUEST_UPDATE;
    }

    public static RequestUpdate read(final WireReader reader) throws WireException
    {
        final long requestId = reader.varint();
        return new RequestUpdate(requestId, MessageParameters.read(reader, ParameterContext.REQUEST_UPDATE));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId);
        parameters.write(writer);
    }

    /**
     * PROTOCOL_VIOLATION unless every parameter is allowed for the updated request, e.g.
     * {@link ParameterContext#REQUEST_UPDATE_OF_SUBSCRIPTION} or {@link ParameterContext#REQUEST_UPDATE_OF_FETCH}.
     */
    public void validateAs(final ParameterContext context) throws WireException
    {
        parameters.validateIn(context);
    }
}
