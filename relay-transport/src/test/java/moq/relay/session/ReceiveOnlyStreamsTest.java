package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.Unpooled;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.quic.ReceiveOnlyStreams;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A publisher's subgroup streams, each one object and End of Group then FIN (the call's audio shape), are closed by
 * the relay without netty's attempt to send a FIN on them ({@link ReceiveOnlyStreams}), and closing them still gives
 * each stream's credit back: with a window of 16 unidirectional streams the publisher opens 200 of them one after
 * another, and every object arrives.
 */
class ReceiveOnlyStreamsTest
{
    private static final TrackNamespace NS = TrackNamespace.of("audio", "room");
    private static final Bytes TRACK = Bytes.utf8("audio");
    private static final int STREAM_CREDIT = 16;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withSettings(Map.of(
        RelayConfiguration.QUIC_INITIAL_MAX_STREAMS_UNI_PROP_NAME, Integer.toString(STREAM_CREDIT)));

    @Test
    void aPeersStreamsClosedAtTheirFinGiveTheirCreditBack() throws Exception
    {
        assertThat(ReceiveOnlyStreams.supported()).as("netty's finSent field found (else the FIN attempt stays)")
            .isTrue();
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Set<Long> frames = ConcurrentHashMap.newKeySet();
        final MoqClient subscriber = relay.connect(Draft.DRAFT_18);
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                if (o.status() == ObjectStatus.NORMAL)
                {
                    frames.add(o.groupId());
                }
            }
        }).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final int groups = STREAM_CREDIT * 12 + 8;
        for (int g = 0; g < groups; g++)
        {
            final SubgroupWriter w = track.openSubgroup(g, 0);
            w.write(0, Unpooled.wrappedBuffer(new byte[] {(byte)g}));
            w.endGroup(1);
        }
        RelayFixture.await(() -> frames.size() == groups, "every group's frame through 16 streams of credit");
    }
}
