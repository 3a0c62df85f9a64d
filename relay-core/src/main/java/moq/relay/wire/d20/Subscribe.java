package moq.relay.wire.d20;

import moq.relay.wire.Bytes;
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
 * SUBSCRIBE (0x3, draft-21 §9.6): {@code Request ID, Track Namespace, Track Name Length, Track Name,
 * Number of Parameters, Parameters}. Accessors apply the draft's defaults for absent parameters. Against draft-18 the
 * layout is the same; the Location Filter, FILL_PARAMETERS (the fill fetch stream that replaced Joining FETCH),
 * the Range Filters and INCLUDE_PROPERTIES are new parameters.
 */
public record Subscribe(long requestId, TrackNamespace namespace, Bytes trackName, MessageParameters parameters)
    implements Draft20Message, Messages.Subscribe
{
    /** SUBSCRIBER_PRIORITY when absent (§9.20.8). */
    public static final int DEFAULT_SUBSCRIBER_PRIORITY = 128;

    public Subscribe
    {
        Names.requireFullTrackName(namespace, trackName);
        Names.require(parameters, "parameters").requireAllowedIn(ParameterContext.SUBSCRIBE);
    }

    @Override
    public long type()
    {
        return MessageType.SUBSCRIBE;
    }

    public static Subscribe read(final WireReader reader) throws WireException
    {
        return read(reader, ParameterForm.DRAFT);
    }

    /** Reads the message with its parameters in {@code form} (a known peer's, see {@link ParameterForm}). */
    public static Subscribe read(final WireReader reader, final ParameterForm form) throws WireException
    {
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        final Bytes name = reader.trackName(namespace);
        return new Subscribe(requestId, namespace, name, MessageParameters.read(reader, ParameterContext.SUBSCRIBE, form));
    }

    @Override
    public void writePayload(final WireWriter writer)
    {
        writer.varint(requestId).namespace(namespace).lengthPrefixed(trackName);
        parameters.write(writer);
    }

    /** FORWARD, default 1. */
    public boolean forward()
    {
        return parameters.forward().orElse(true);
    }

    /** SUBSCRIBER_PRIORITY, default 128. */
    public int subscriberPriority()
    {
        return parameters.subscriberPriority().orElse(DEFAULT_SUBSCRIBER_PRIORITY);
    }

    /** LOCATION_FILTER; {@link LocationFilter#NONE} (unfiltered) when absent. */
    public LocationFilter filter()
    {
        return parameters.locationFilter().orElse(LocationFilter.NONE);
    }

    /** FILL_PARAMETERS: present asks for a fill fetch stream (§3.4), with these overrides of the subscription's. */
    public Optional<MessageParameters> fill()
    {
        return parameters.fillParameters();
    }

    /** INCLUDE_PROPERTIES, default 1: whether SUBSCRIBE_OK should carry Track Properties. */
    public boolean includeProperties()
    {
        return parameters.includeProperties().orElse(true);
    }

    /** The Range Filters (§3.3.2), in wire order. */
    public List<RangeFilter> rangeFilters()
    {
        return parameters.rangeFilters();
    }

    /** GROUP_ORDER; empty means the publisher's preference for the track. */
    public Optional<GroupOrder> groupOrder()
    {
        return parameters.groupOrder();
    }

    /** RENDEZVOUS_TIMEOUT in ms, default 0 (answer DOES_NOT_EXIST at once when no publisher). */
    public long rendezvousTimeoutMillis()
    {
        return parameters.rendezvousTimeout().orElse(0);
    }

    /** OBJECT_DELIVERY_TIMEOUT in ms, 0 (none) when absent. */
    public long objectDeliveryTimeoutMillis()
    {
        return parameters.objectDeliveryTimeout().orElse(0);
    }

    /** SUBGROUP_DELIVERY_TIMEOUT in ms, 0 (none) when absent. */
    public long subgroupDeliveryTimeoutMillis()
    {
        return parameters.subgroupDeliveryTimeout().orElse(0);
    }

    public List<AuthToken> authorizationTokens()
    {
        return parameters.authorizationTokens();
    }
}
