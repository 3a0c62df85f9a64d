package moq.relay.wire.d14;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static moq.relay.wire.d14.MessageType.FETCH;
import static moq.relay.wire.d14.MessageType.FETCH_OK;
import static moq.relay.wire.d14.MessageType.PUBLISH;
import static moq.relay.wire.d14.MessageType.PUBLISH_NAMESPACE;
import static moq.relay.wire.d14.MessageType.PUBLISH_OK;
import static moq.relay.wire.d14.MessageType.SUBSCRIBE;
import static moq.relay.wire.d14.MessageType.SUBSCRIBE_NAMESPACE;
import static moq.relay.wire.d14.MessageType.SUBSCRIBE_OK;
import static moq.relay.wire.d14.MessageType.SUBSCRIBE_UPDATE;
import static moq.relay.wire.d14.MessageType.TRACK_STATUS;
import static moq.relay.wire.d14.MessageType.TRACK_STATUS_OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageParametersTest
{
    private static Set<MessageType> definedFor(final long parameterType)
    {
        final Set<MessageType> s = EnumSet.noneOf(MessageType.class);
        for (final MessageType t : MessageType.values())
        {
            if (MessageParameters.isDefinedFor(parameterType, t))
            {
                s.add(t);
            }
        }
        return s;
    }

    @Test
    void deliveryTimeoutIsDefinedWhereTheDraftSays()
    {
        assertThat(definedFor(MessageParameters.DELIVERY_TIMEOUT)).containsExactlyInAnyOrder(
            TRACK_STATUS, TRACK_STATUS_OK, PUBLISH, PUBLISH_OK, SUBSCRIBE, SUBSCRIBE_OK, SUBSCRIBE_UPDATE);
    }

    @Test
    void authorizationTokenIsDefinedWhereTheDraftSays()
    {
        // CLIENT_SETUP and SERVER_SETUP carry it too, as a setup parameter (SetupParameters).
        assertThat(definedFor(MessageParameters.AUTHORIZATION_TOKEN)).containsExactlyInAnyOrder(
            PUBLISH, SUBSCRIBE, SUBSCRIBE_UPDATE, SUBSCRIBE_NAMESPACE, PUBLISH_NAMESPACE, TRACK_STATUS, FETCH);
    }

    @Test
    void maxCacheDurationIsDefinedWhereTheDraftSays()
    {
        assertThat(definedFor(MessageParameters.MAX_CACHE_DURATION)).containsExactlyInAnyOrder(
            PUBLISH, SUBSCRIBE_OK, FETCH_OK, TRACK_STATUS_OK);
    }

    @Test
    void unknownParameterTypesAreDefinedNowhere()
    {
        assertThat(definedFor(0x01)).isEmpty();
        assertThat(definedFor(0x05)).isEmpty();
        assertThat(definedFor(0x3E)).isEmpty();
    }

    @Test
    void typedAccessorsIgnoreParametersNotDefinedForTheMessage()
    {
        final MessageParameters params = MessageParameters.of(
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 10),
            KeyValuePair.ofVarint(MessageParameters.MAX_CACHE_DURATION, 20),
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, AuthorizationToken.useAlias(3).encode()));

        final SubscribeOk ok = new SubscribeOk(0, 1, 0, GroupOrder.ASCENDING, null, params);
        final PublishOk publishOk = new PublishOk(1, true, 0, GroupOrder.ASCENDING, SubscriptionFilter.largestObject(), params);
        final FetchOk fetchOk = new FetchOk(0, GroupOrder.ASCENDING, false, new Location(0, 0), params);

        assertThat(ok.deliveryTimeout()).hasValue(10);
        assertThat(ok.maxCacheDuration()).hasValue(20);
        assertThat(ok.authorizationTokens()).isEmpty();
        assertThat(publishOk.deliveryTimeout()).hasValue(10);
        assertThat(publishOk.maxCacheDuration()).isEmpty();
        assertThat(fetchOk.deliveryTimeout()).isEmpty();
        assertThat(fetchOk.maxCacheDuration()).hasValue(20);
    }

    @Test
    void locallyBuiltMessageWithARepeatedDefinedParameterIsRefused()
    {
        final MessageParameters twice = MessageParameters.of(
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 1),
            KeyValuePair.ofVarint(MessageParameters.DELIVERY_TIMEOUT, 2));

        assertThatThrownBy(() -> new SubscribeUpdate(0, 0, Location.ZERO, 0, 0, true, twice))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(new PublishNamespace(0, D14Examples.NS, twice).parameters()).isEqualTo(twice);
    }

    @Test
    void locallyBuiltMessageWithAMalformedDefinedTokenIsRefused()
    {
        final MessageParameters bad = MessageParameters.of(
            KeyValuePair.ofBytes(MessageParameters.AUTHORIZATION_TOKEN, Bytes.fromHex("09")));

        assertThatThrownBy(() -> new SubscribeNamespace(0, D14Examples.NS, bad)).isInstanceOf(IllegalArgumentException.class);
    }
}
