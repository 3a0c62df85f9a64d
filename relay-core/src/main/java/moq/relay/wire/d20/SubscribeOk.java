package moq.relay.wire.d20;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;
import moq.relay.wire.param.Properties;

import java.util.Optional;

/**
 * SUBSCRIBE_OK (0x4, draft-21 §9.7): {@code Track Alias, Number of Parameters, Parameters, Track Properties}
 * (the properties run to the end of the message).
 */
public record SubscribeOk(long trackAlias, MessageParameters parameters, Properties trackProperties)
    implements Draft20Message, Messages.SubscribeOk
{
    public SubscribeOk
    {
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.SUBSCRIBE_OK);
        Names.require(trackProperties, "track properties");
    }

    @Override
    public long type()
    {
        return MessageType.SUBSCRIBE_OK;
    }

    public static SubscribeOk read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static SubscribeOk read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long alias = reader.varint();
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.SUBSCRIBE_OK, form);
        return new SubscribeOk(alias, parameters, Properties.readTrackProperties(reader));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(trackAlias);
        parameters.write(writer);
        trackProperties.write(writer);
    }

    /** EXPIRES in ms; 0 (no known expiry) when absent. */
    public long expiresMillis()
    {
        return parameters.expires().orElse(0);
    }

    /** LARGEST_OBJECT; empty when the publisher has seen no object. */
    public Optional<Location> largestObject()
    {
        return parameters.largestObject();
    }
}
