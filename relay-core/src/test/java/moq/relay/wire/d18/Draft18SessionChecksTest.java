package moq.relay.wire.d18;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.SessionError;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.GroupOrder;
import moq.relay.wire.param.Properties;
import moq.relay.wire.param.PropertyType;
import moq.relay.wire.param.Redirect;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checks that need the context the codec cannot see (which request a REQUEST_OK answers, who sent a SETUP), and
 * the draft defaults the accessors apply.
 */
class Draft18SessionChecksTest
{
    private static void assertRejected(final ThrowableAssert.ThrowingCallable call, final SessionError error)
    {
        assertThatThrownBy(call).isInstanceOf(WireException.class)
            .satisfies(e -> assertThat(((WireException)e).error()).isEqualTo(error));
    }

    @Test
    void trackPropertiesAreAllowedOnlyInTrackStatusOk()
    {
        final RequestOk withProperties = new RequestOk(MessageParameters.EMPTY, Examples.PROPS);

        assertThatCode(() -> withProperties.validateAs(ParameterContext.TRACK_STATUS_OK)).doesNotThrowAnyException();
        assertRejected(() -> withProperties.validateAs(ParameterContext.PUBLISH_OK), SessionError.PROTOCOL_VIOLATION);
        assertRejected(() -> withProperties.validateAs(ParameterContext.REQUEST_UPDATE_OK),
            SessionError.PROTOCOL_VIOLATION);
        assertRejected(() -> withProperties.validateAs(ParameterContext.NAMESPACE_REQUEST_OK),
            SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void requestOkParametersAreCheckedAgainstTheRequestTheyAnswer()
    {
        final RequestOk largest = new RequestOk(MessageParameters.of(new Parameter.LargestObject(new Location(1, 2))));
        final RequestOk forward = new RequestOk(MessageParameters.of(new Parameter.Forward(false)));

        assertThatCode(() -> largest.validateAs(ParameterContext.TRACK_STATUS_OK)).doesNotThrowAnyException();
        assertThatCode(() -> largest.validateAs(ParameterContext.REQUEST_UPDATE_OK)).doesNotThrowAnyException();
        assertRejected(() -> largest.validateAs(ParameterContext.PUBLISH_OK), SessionError.PROTOCOL_VIOLATION);
        assertThatCode(() -> forward.validateAs(ParameterContext.PUBLISH_OK)).doesNotThrowAnyException();
        assertRejected(() -> forward.validateAs(ParameterContext.TRACK_STATUS_OK), SessionError.PROTOCOL_VIOLATION);
        assertRejected(() -> forward.validateAs(ParameterContext.NAMESPACE_REQUEST_OK), SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void requestUpdateParametersAreCheckedAgainstTheUpdatedRequest()
    {
        final RequestUpdate prefix = new RequestUpdate(2, MessageParameters.of(
            new Parameter.TrackNamespacePrefix(TrackNamespace.of("a"))));
        final RequestUpdate filter = new RequestUpdate(2, MessageParameters.of(
            new Parameter.Filter(SubscriptionFilter.largestObject())));
        final RequestUpdate priority = new RequestUpdate(2, MessageParameters.of(new Parameter.SubscriberPriority(3)));

        assertThatCode(() -> prefix.validateAs(ParameterContext.REQUEST_UPDATE_OF_NAMESPACE_SUBSCRIPTION))
            .doesNotThrowAnyException();
        assertRejected(() -> prefix.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIPTION),
            SessionError.PROTOCOL_VIOLATION);
        assertThatCode(() -> filter.validateAs(ParameterContext.REQUEST_UPDATE_OF_SUBSCRIPTION))
            .doesNotThrowAnyException();
        assertRejected(() -> filter.validateAs(ParameterContext.REQUEST_UPDATE_OF_FETCH), SessionError.PROTOCOL_VIOLATION);
        assertThatCode(() -> priority.validateAs(ParameterContext.REQUEST_UPDATE_OF_FETCH)).doesNotThrowAnyException();
        assertRejected(() -> priority.validateAs(ParameterContext.REQUEST_UPDATE_OF_PUBLISH_NAMESPACE),
            SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void serverRejectsSetupTokensThatDeleteOrUseAnAlias()
    {
        final Setup delete = Setup.of(KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN,
            Examples.tokenBytes(AuthToken.delete(1))));
        final Setup useAlias = Setup.of(KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN,
            Examples.tokenBytes(AuthToken.useAlias(1))));
        final Setup register = Setup.of(KeyValuePair.ofBytes(SetupOption.AUTHORIZATION_TOKEN,
            Examples.tokenBytes(AuthToken.register(1, 0, Bytes.utf8("x")))));

        assertRejected(delete::validateReceivedByServer, SessionError.PROTOCOL_VIOLATION);
        assertRejected(useAlias::validateReceivedByServer, SessionError.PROTOCOL_VIOLATION);
        assertThatCode(register::validateReceivedByServer).doesNotThrowAnyException();
    }

    @Test
    void clientRejectsPathOrAuthorityFromAServer()
    {
        final Setup path = Setup.of(KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8("/")));
        final Setup authority = Setup.of(KeyValuePair.ofBytes(SetupOption.AUTHORITY, Bytes.utf8("h")));

        assertRejected(path::validateReceivedByClient, SessionError.INVALID_PATH);
        assertRejected(authority::validateReceivedByClient, SessionError.INVALID_AUTHORITY);
        assertThatCode(Setup.of()::validateReceivedByClient).doesNotThrowAnyException();
    }

    @Test
    void serverRejectsGoawayOrRedirectCarryingAUri()
    {
        assertRejected(Goaway.onControlStream(Bytes.utf8("moqt://x"), 0, 1)::validateReceivedByServer,
            SessionError.PROTOCOL_VIOLATION);
        assertThatCode(Goaway.onControlStream(Bytes.EMPTY, 0, 1)::validateReceivedByServer).doesNotThrowAnyException();
        assertRejected(Redirect.toUri(Bytes.utf8("moqt://x"))::validateReceivedByServer,
            SessionError.PROTOCOL_VIOLATION);
    }

    @Test
    void redirectOfANamespaceRequestMustNotNameATrack()
    {
        final Redirect named = new Redirect(Bytes.EMPTY, TrackNamespace.of("n"), Bytes.utf8("t"));
        final Redirect unnamed = new Redirect(Bytes.EMPTY, TrackNamespace.of("n"), Bytes.EMPTY);

        assertRejected(named::validateForNamespaceRequest, SessionError.PROTOCOL_VIOLATION);
        assertThatCode(unnamed::validateForNamespaceRequest).doesNotThrowAnyException();
        assertThat(Redirect.toUri(Bytes.EMPTY).keepsTrack()).isTrue();
        assertThat(unnamed.keepsTrack()).isFalse();
    }

    @Test
    void absentParametersTakeTheDraftDefaults()
    {
        final Subscribe subscribe = new Subscribe(0, Examples.NS, Examples.NAME, MessageParameters.EMPTY);
        assertThat(subscribe.forward()).isTrue();
        assertThat(subscribe.subscriberPriority()).isEqualTo(128);
        assertThat(subscribe.filter()).isEmpty();
        assertThat(subscribe.groupOrder()).isEmpty();
        assertThat(subscribe.rendezvousTimeoutMillis()).isZero();
        assertThat(subscribe.objectDeliveryTimeoutMillis()).isZero();
        assertThat(subscribe.subgroupDeliveryTimeoutMillis()).isZero();

        final Fetch fetch = Fetch.relativeJoining(0, 2, 1, MessageParameters.EMPTY);
        assertThat(fetch.groupOrder()).isEqualTo(GroupOrder.ASCENDING);
        assertThat(fetch.subscriberPriority()).isEqualTo(128);

        assertThat(new Publish(1, Examples.NS, Examples.NAME, 0, MessageParameters.EMPTY, Properties.EMPTY).forward())
            .isTrue();
        assertThat(new SubscribeTracks(0, TrackNamespace.EMPTY, MessageParameters.EMPTY).forward()).isTrue();
        assertThat(RequestOk.EMPTY.subscriberPriority()).isEqualTo(128);
        assertThat(new SubscribeOk(0, MessageParameters.EMPTY, Properties.EMPTY).largestObject()).isEmpty();
        assertThat(Setup.of().maxAuthTokenCacheSize()).isZero();
    }

    @Test
    void presentParametersOverrideTheDefaults()
    {
        final Subscribe subscribe = (Subscribe)Examples.all().get("SUBSCRIBE every parameter");
        assertThat(subscribe.forward()).isFalse();
        assertThat(subscribe.subscriberPriority()).isZero();
        assertThat(subscribe.groupOrder()).contains(GroupOrder.DESCENDING);
        assertThat(subscribe.rendezvousTimeoutMillis()).isEqualTo(10_000);
        assertThat(subscribe.objectDeliveryTimeoutMillis()).isEqualTo(250);
        assertThat(subscribe.subgroupDeliveryTimeoutMillis()).isEqualTo(2000);
        assertThat(subscribe.filter()).hasValueSatisfying(f -> assertThat(f.endGroup()).isEqualTo(15));
        assertThat(subscribe.parameters().newGroupRequest()).hasValue(0);
        assertThat(subscribe.authorizationTokens()).hasSize(2);
    }

    @Test
    void trackPropertyLookupsSearchMutableThenImmutableProperties()
    {
        final Properties nested = Properties.of(KeyValuePair.ofVarint(PropertyType.DEFAULT_PUBLISHER_GROUP_ORDER, 2),
            KeyValuePair.ofVarint(PropertyType.DYNAMIC_GROUPS, 1), KeyValuePair.ofVarint(0x4002, 0));
        final Properties properties = Properties.of(
            KeyValuePair.ofVarint(PropertyType.MAX_CACHE_DURATION, 5000),
            KeyValuePair.ofBytes(PropertyType.IMMUTABLE_PROPERTIES, nested.encoded()),
            KeyValuePair.ofVarint(PropertyType.DEFAULT_PUBLISHER_PRIORITY, 3),
            KeyValuePair.ofVarint(PropertyType.DYNAMIC_GROUPS, 0),
            KeyValuePair.ofVarint(0x4000, 9));

        assertThat(properties.defaultPublisherPriority()).isEqualTo(3);
        assertThat(properties.defaultPublisherGroupOrder()).isEqualTo(GroupOrder.DESCENDING);
        assertThat(properties.dynamicGroups()).as("the mutable value is found first").isFalse();
        assertThat(properties.maxCacheDurationMillis()).hasValue(5000);
        assertThat(properties.objectDeliveryTimeoutMillis()).isEmpty();
        assertThat(properties.mandatoryTypes()).containsExactly(0x4000L, 0x4002L);
        assertThat(properties.immutable()).isEqualTo(nested);
        assertThat(properties.hasMalformedImmutableProperties()).isFalse();
    }

    @Test
    void absentTrackPropertiesTakeTheDraftDefaults()
    {
        assertThat(Properties.EMPTY.defaultPublisherPriority()).isEqualTo(128);
        assertThat(Properties.EMPTY.defaultPublisherGroupOrder()).isEqualTo(GroupOrder.ASCENDING);
        assertThat(Properties.EMPTY.dynamicGroups()).isFalse();
        assertThat(Properties.EMPTY.mandatoryTypes()).isEmpty();
    }

    @Test
    void requestErrorRetryIntervalIsMillisecondsPlusOne()
    {
        assertThat(RequestError.of(RequestErrorCode.TIMEOUT, 0, Bytes.EMPTY).retryable()).isFalse();
        assertThat(RequestError.of(RequestErrorCode.TIMEOUT, 1, Bytes.EMPTY).retryDelayMillis()).isZero();
        assertThat(RequestError.of(RequestErrorCode.TIMEOUT, 501, Bytes.EMPTY).retryDelayMillis()).isEqualTo(500);
    }

    @Test
    void tokenCacheSizeIsSixteenBytesPlusTheValue()
    {
        assertThat(AuthToken.register(1, 0, Bytes.utf8("abcd")).cacheSize()).isEqualTo(20);
    }

    @Test
    void locallyBuiltMessagesBreakingTheDraftAreRejectedAsBugs()
    {
        assertThatThrownBy(() -> new Subscribe(0, Examples.NS, Examples.NAME,
            MessageParameters.of(new Parameter.FillTimeout(1)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Subscribe(0, new TrackNamespace(java.util.List.of(Bytes.EMPTY)), Examples.NAME,
            MessageParameters.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageParameters(java.util.List.of(
            new Parameter.Forward(true), new Parameter.Forward(false)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageParameters(java.util.List.of(
            new Parameter.SubscriberPriority(1), new Parameter.Forward(false))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestError(RequestErrorCode.REDIRECT, 0, Bytes.EMPTY, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestError(RequestErrorCode.TIMEOUT, 0, Bytes.EMPTY,
            Redirect.toUri(Bytes.EMPTY))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Fetch(0, Fetch.Type.RELATIVE_JOINING,
            new Fetch.Standalone(Examples.NS, Examples.NAME, Location.ZERO, Location.ZERO), null,
            MessageParameters.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AuthToken(AuthToken.AliasType.USE_VALUE, 5, 0, Bytes.EMPTY))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SubscriptionFilter(SubscriptionFilter.Type.LARGEST_OBJECT, Location.ZERO, 0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Setup.of(KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8("a")),
            KeyValuePair.ofBytes(SetupOption.PATH, Bytes.utf8("b")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Properties(java.util.List.of(KeyValuePair.ofVarint(2, 1)), Bytes.fromHex("0202")))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodingAPayloadOver65535BytesIsRejectedAsABug()
    {
        final KeyValuePair big = KeyValuePair.ofBytes(0x3F, Bytes.wrap(new byte[KeyValuePair.MAX_VALUE_LENGTH]));
        final SubscribeOk ok = new SubscribeOk(0, MessageParameters.EMPTY, Properties.of(big));

        assertThatThrownBy(() -> Wire.encode(ok)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void opensRequestStreamListsTheFirstMessagesOfTheTable()
    {
        assertThat(MessageType.opensRequestStream(MessageType.SUBSCRIBE_TRACKS)).isTrue();
        assertThat(MessageType.opensRequestStream(MessageType.FETCH)).isTrue();
        assertThat(MessageType.opensRequestStream(MessageType.REQUEST_UPDATE)).isFalse();
        assertThat(MessageType.opensRequestStream(MessageType.GOAWAY)).isFalse();
    }
}
