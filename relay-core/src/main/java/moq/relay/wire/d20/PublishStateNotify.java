package moq.relay.wire.d20;

import moq.relay.wire.Location;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.Names;

import java.util.Optional;

/**
 * PUBLISH_STATE_NOTIFY (0x22, draft-21 §9.10), new in draft-20: {@code Number of Parameters, Parameters}. Sent by
 * the publisher on a subscription's stream when the subscription's state changed other than by the subscriber's
 * REQUEST_UPDATE; never answered, and not counted against MAX_REQUEST_UPDATES. Absent parameters are unchanged.
 * The parameters naming it: LOCATION_FILTER (the filter now in effect), FORWARD (the Forward State now in effect)
 * and LARGEST_OBJECT (where the change took effect; MUST be included when known).
 *
 * <p>Received from a subscriber, or on a stream that is not a subscription's, it is a PROTOCOL_VIOLATION the session
 * layer raises ({@link MessageType} cannot tell the stream).
 */
public record PublishStateNotify(MessageParameters parameters) implements Draft20Message
{
    public PublishStateNotify
    {
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.PUBLISH_STATE_NOTIFY);
    }

    @Override
    public long type()
    {
        return MessageType.PUBLISH_STATE_NOTIFY;
    }

    public static PublishStateNotify read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static PublishStateNotify read(final WireReader reader, final ParameterForm form) throws WireException
    {
        return new PublishStateNotify(MessageParameters.read(reader, ParameterContext.PUBLISH_STATE_NOTIFY, form));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        parameters.write(writer);
    }

    /** The Location Filter now in effect; empty when unchanged. */
    public Optional<LocationFilter> filter()
    {
        return parameters.locationFilter();
    }

    /** The Forward State now in effect; empty when unchanged. */
    public Optional<Boolean> forward()
    {
        return parameters.forward();
    }

    public Optional<Location> largestObject()
    {
        return parameters.largestObject();
    }
}
