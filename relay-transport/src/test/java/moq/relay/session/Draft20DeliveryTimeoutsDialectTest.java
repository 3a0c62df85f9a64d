package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.d20.MessageParameters;
import moq.relay.wire.d20.Parameter;
import moq.relay.wire.d20.RequestUpdate;
import moq.relay.wire.d20.Subscribe;
import org.junit.jupiter.api.Test;

/**
 * The draft-20 dialect reads the subscriber's delivery timeouts (draft-21 §9.20.4, §9.20.5) from SUBSCRIBE (absent:
 * 0, none of the subscriber's) and from REQUEST_UPDATE (absent: -1, unchanged); draft 18 gives the relay none.
 */
class Draft20DeliveryTimeoutsDialectTest
{
    private static final TrackNamespace NS = TrackNamespace.of("ns");
    private static final Bytes NAME = Bytes.utf8("t");

    @Test
    void subscribeAndRequestUpdateCarryBothTimeouts() throws Exception
    {
        final RequestMessage r = Draft20Dialect.INSTANCE.read(new Subscribe(2, NS, NAME, MessageParameters.of(
            new Parameter.SubgroupDeliveryTimeout(250), new Parameter.ObjectDeliveryTimeout(40))), PeerQuirks.NONE);
        assertThat(r).isInstanceOfSatisfying(RequestMessage.Subscribe.class, s ->
        {
            assertThat(s.subgroupDeliveryTimeoutMillis()).isEqualTo(250);
            assertThat(s.objectDeliveryTimeoutMillis()).isEqualTo(40);
        });
        assertThat(Draft20Dialect.INSTANCE.read(new Subscribe(4, NS, NAME, MessageParameters.EMPTY), PeerQuirks.NONE))
            .isInstanceOfSatisfying(RequestMessage.Subscribe.class,
                s -> assertThat(s.subgroupDeliveryTimeoutMillis()).isZero());

        assertThat(Draft20Dialect.INSTANCE.subgroupDeliveryTimeoutUpdate(new RequestUpdate(6, MessageParameters.of(
            new Parameter.SubgroupDeliveryTimeout(90))))).isEqualTo(90);
        assertThat(Draft20Dialect.INSTANCE.subgroupDeliveryTimeoutUpdate(new RequestUpdate(8, MessageParameters.of(
            new Parameter.Forward(true))))).isEqualTo(-1);
        assertThat(Draft18Dialect.INSTANCE.subgroupDeliveryTimeoutUpdate(new RequestUpdate(10, MessageParameters.of(
            new Parameter.SubgroupDeliveryTimeout(90))))).as("draft 18: none applied").isEqualTo(-1);
    }
}
