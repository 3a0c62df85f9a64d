package moq.relay.wire.d18;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;
import moq.relay.wire.param.Properties;

import java.util.Optional;

/**
 * REQUEST_OK (0x7, §"REQUEST_OK"): {@code Number of Parameters, Parameters, Track Properties}. It answers
 * PUBLISH (PUBLISH_OK), REQUEST_UPDATE, TRACK_STATUS, SUBSCRIBE_NAMESPACE, SUBSCRIBE_TRACKS and
 * PUBLISH_NAMESPACE; Track Properties are non-empty only in TRACK_STATUS_OK.
 *
 * <p>PUBLISH_OK: the draft-18 type table still lists 0x1E PUBLISH_OK, pointing at the REQUEST_OK section, whose
 * text says PUBLISH_OK is a REQUEST_OK. We decode 0x1E as a REQUEST_OK (a peer following the table is not wrong)
 * and always send 0x7, which every reading accepts; draft-19 reserves 0x1E. So a received 0x1E re-encodes as 0x7.
 *
 * <p>The codec decodes against the union of the REQUEST_OK variants; the session layer, which knows the request,
 * calls {@link #validateAs}.
 */
public record RequestOk(MessageParameters parameters, Properties trackProperties)
    implements Draft18Message, Messages.RequestOk
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
        final MessageParameters parameters = MessageParameters.read(reader, ParameterContext.REQUEST_OK);
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

    /** PUBLISH_OK's FORWARD, default 1. */
    public boolean forward()
    {
        return parameters.forward().orElse(true);
    }

    /** PUBLISH_OK's SUBSCRIBER_PRIORITY, default 128. */
    public int subscriberPriority()
    {
        return parameters.subscriberPriority().orElse(Subscribe.DEFAULT_SUBSCRIBER_PRIORITY);
    }

    /** PUBLISH_OK's SUBSCRIPTION_FILTER; empty means unfiltered. */
    public Optional<SubscriptionFilter> filter()
    {
        return parameters.subscriptionFilter();
    }

    /** PUBLISH_OK's GROUP_ORDER; empty means the track's preference. */
    public Optional<GroupOrder> groupOrder()
    {
        return parameters.groupOrder();
    }
}
