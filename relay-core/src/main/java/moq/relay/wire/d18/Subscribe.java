package moq.relay.wire.d18;

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
 * SUBSCRIBE (0x3, §"SUBSCRIBE"): {@code Request ID, Track Namespace, Track Name Length, Track Name,
 * Number of Parameters, Parameters}. Accessors apply the draft's defaults for absent parameters.
 */
public record Subscribe(long requestId, TrackNamespace namespace, Bytes trackName, MessageParameters parameters)
    implements Draft18Message, Messages.Subscribe
{
    /** SUBSCRIBER_PRIORITY when absent (§"SUBSCRIBER PRIORITY Parameter"). */
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
        final long requestId = reader.varint();
        final TrackNamespace namespace = reader.namespace(0, true);
        final Bytes name = reader.trackName(namespace);
        return new Subscribe(requestId, namespace, name, MessageParameters.read(reader, ParameterContext.SUBSCRIBE));
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

    /** SUBSCRIPTION_FILTER; empty means unfiltered. */
    public Optional<SubscriptionFilter> filter()
    {
        return parameters.subscriptionFilter();
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
