package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import moq.relay.engine.GroupOrder;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.RequestKind;
import moq.relay.engine.SubscriptionFilter;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.LocationFilter;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.RangeFilter;
import moq.relay.wire.d20.SubscribeTracks;
import moq.relay.wire.param.AuthToken;
import moq.relay.wire.param.ParameterType;
import org.junit.jupiter.api.Test;

/**
 * How the draft-20 dialect reads a SUBSCRIBE_TRACKS' subscription parameters (draft-21 §9.18.1: "Any Parameter that
 * can be specified on a Subscription ... is valid in SUBSCRIBE_TRACKS ... used by the publisher as the initial
 * Subscription parameters when a PUBLISH is sent as a result"): each as a SUBSCRIBE carrying it would be read, the
 * ones PUBLISH may carry kept to be restated, the AUTHORIZATION TOKEN never (§9.20.3).
 */
class Draft20SubscribeTracksDialectTest
{
    private static final TrackNamespace NS = TrackNamespace.of("ns");

    private static RequestMessage read(final MessageParameters parameters) throws Exception
    {
        return Draft20Dialect.INSTANCE.read(new SubscribeTracks(6, NS, parameters), PeerQuirks.NONE);
    }

    @Test
    void itsParametersAreTheOfferedSubscriptionsAsASubscribeWouldHaveThem() throws Exception
    {
        final RequestMessage r = read(MessageParameters.of(new Parameter.ObjectDeliveryTimeout(250),
            new Parameter.AuthorizationToken(AuthToken.useValue(0x01, Bytes.utf8("token"))),
            new Parameter.SubgroupDeliveryTimeout(500), new Parameter.Forward(false),
            new Parameter.SubscriberPriority(9), new Parameter.LocationFilterParameter(LocationFilter.NEXT_OBJECT),
            new Parameter.Order(moq.relay.wire.param.GroupOrder.DESCENDING),
            new Parameter.Range(RangeFilter.of(ParameterType.OBJECTID_FILTER, 0, 0, new RangeFilter.Range(1, 1))),
            new Parameter.Range(RangeFilter.of(ParameterType.TRACK_PROPERTY_FILTER, 0, 0x30,
                new RangeFilter.Range(1, 1))),
            new Parameter.IncludeProperties(false)));
        assertThat(r).isInstanceOfSatisfying(RequestMessage.SubscribeTracks.class, t ->
        {
            final RequestMessage.Subscribe s = t.subscription();
            assertThat(s.options().forward()).isFalse();
            assertThat(s.options().subscriberPriority()).isEqualTo(9);
            assertThat(s.options().groupOrder()).isEqualTo(GroupOrder.DESCENDING);
            assertThat(s.options().filter()).isEqualTo(SubscriptionFilter.largestObject());
            assertThat(s.objectDeliveryTimeoutMillis()).isEqualTo(250);
            assertThat(s.subgroupDeliveryTimeoutMillis()).isEqualTo(500);
            assertThat(t.objectFilter().terms()).hasSize(1);
            assertThat(t.includeProperties()).isFalse();
            assertThat(t.restated()).extracting(p -> p.type()).containsExactly(
                ParameterType.OBJECT_DELIVERY_TIMEOUT, ParameterType.SUBGROUP_DELIVERY_TIMEOUT,
                ParameterType.FORWARD, ParameterType.SUBSCRIBER_PRIORITY, ParameterType.LOCATION_FILTER,
                ParameterType.GROUP_ORDER, ParameterType.OBJECTID_FILTER);
        });
    }

    @Test
    void withoutParametersTheOfferedSubscriptionHasASubscribesDefaults() throws Exception
    {
        assertThat(read(MessageParameters.EMPTY)).isInstanceOfSatisfying(RequestMessage.SubscribeTracks.class, t ->
        {
            assertThat(t.subscription().options().forward()).isTrue();
            assertThat(t.subscription().options().subscriberPriority()).isEqualTo(128);
            assertThat(t.subscription().options().groupOrder()).isEqualTo(GroupOrder.PUBLISHER);
            assertThat(t.subscription().options().filter()).isEqualTo(SubscriptionFilter.NONE);
            assertThat(t.subscription().fill()).isNotNull().satisfies(f -> assertThat(f.requested()).isFalse());
            assertThat(t.objectFilter()).isNull();
            assertThat(t.includeProperties()).isTrue();
            assertThat(t.restated()).isEmpty();
        });
    }

    @Test
    void aLocationFilterTheRelayDoesNotServeRefusesTheSubscribeTracks() throws Exception
    {
        assertThat(read(MessageParameters.of(new Parameter.LocationFilterParameter(
            LocationFilter.relativeStartGroup(3))))).isInstanceOfSatisfying(RequestMessage.Refused.class, e ->
            {
                assertThat(e.kind()).isEqualTo(RequestKind.SUBSCRIBE_TRACKS);
                assertThat(e.code()).isEqualTo(RequestErrorCode.NOT_SUPPORTED);
                assertThat(e.requestId()).isEqualTo(6);
            });
    }
}
