package moq.relay.wire.d20;

import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireReader;
import moq.relay.wire.WireWriter;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Messages;
import moq.relay.wire.param.Names;

import java.util.List;
import java.util.Optional;

/**
 * SUBSCRIBE_TRACKS (0x51, draft-21 §9.18): {@code Request ID, Track Namespace Prefix (0..32 fields),
 * Number of Parameters, Parameters}. Answered by REQUEST_OK; PUBLISH messages then arrive on new streams, and
 * PUBLISH_SKIPPED on this one. Its parameters are the initial ones of each resulting subscription (§9.18.1),
 * GROUP_ORDER included (moved here from PUBLISH_OK, #1777), AUTHORIZATION_TOKEN excepted.
 */
public record SubscribeTracks(long requestId, TrackNamespace prefix, MessageParameters parameters)
    implements Draft20Message, Messages.SubscribeTracks
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
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static SubscribeTracks read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace prefix = reader.namespace(0, true);
        return new SubscribeTracks(requestId, prefix, MessageParameters.read(reader, ParameterContext.SUBSCRIBE_TRACKS, form));
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

    /** GROUP_ORDER for the resulting subscriptions; empty means each track's preference. */
    public Optional<GroupOrder> groupOrder()
    {
        return parameters.groupOrder();
    }

    /** INCLUDE_PROPERTIES, default 1: whether the resulting PUBLISH messages carry Track Properties. */
    public boolean includeProperties()
    {
        return parameters.includeProperties().orElse(true);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
