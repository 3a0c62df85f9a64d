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
 * REQUEST_OK (0x7, draft-21 §9.3): {@code Number of Parameters, Parameters, Track Properties}. It answers
 * PUBLISH (PUBLISH_OK), REQUEST_UPDATE, TRACK_STATUS, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS and
 * PUBLISH_NAMESPACE; Track Properties are populated only in TRACK_STATUS_OK. Draft-20's PUBLISH_OK carries no
 * subscription parameters any more (they moved to REQUEST_UPDATE, #1790), so only EXPIRES and LARGEST_OBJECT
 * are left to any REQUEST_OK; 0x1E is reserved, not a PUBLISH_OK.
 *
 * <p>The codec decodes against the union of the REQUEST_OK variants; the session layer, which knows the request,
 * calls {@link #validateAs}.
 */
public record RequestOk(MessageParameters parameters, Properties trackProperties)
    implements Draft20Message, Messages.RequestOk
{
    public static final RequestOk EMPTY = new RequestOk(MessageParameters.EMPTY, Properties.EMPTY);

    public RequestOk
    {
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.REQUEST_OK);
        Names.require(trackProperties, "track properties");
    }

    public RequestOk(final MessageParameters parameters)
    {
        this(parameters, Properties.EMPTY);
    }

    @Override
    public long type()
    {
        return MessageType.REQUEST_OK;
    }

    public static RequestOk read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static RequestOk read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.REQUEST_OK, form);
        return new RequestOk(parameters, Properties.readTrackProperties(reader));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        parameters.write(writer);
        trackProperties.write(writer);
    }

    /**
     * PROTOCOL_VIOLATION unless the parameters fit {@code context} (e.g. {@link ParameterContext#PUBLISH_OK},
     * {@link ParameterContext#TRACK_STATUS_OK}) and Track Properties are empty outside TRACK_STATUS_OK.
     */
    public void validateAs(final ParameterContext context) throws WireException
    {
        parameters.validateIn(context);
        if (!trackProperties.isEmpty() && !context.allowsTrackProperties())
        {
            throw WireException.protocolViolation("track properties in " + context);
        }
    }

    /** LARGEST_OBJECT (REQUEST_UPDATE_OK, TRACK_STATUS_OK); empty when no object exists. */
    public Optional<Location> largestObject()
    {
        return parameters.largestObject();
    }

    /** EXPIRES in ms (PUBLISH_OK, REQUEST_UPDATE_OK); 0 when absent. */
    public long expiresMillis()
    {
        return parameters.expires().orElse(0);
    }

}
