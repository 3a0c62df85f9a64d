package moq.relay.session;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;

/**
 * HostilePeersIT's defect-3 load: a publisher and a subscriber of one track through the relay, and a burst of three
 * groups of large objects (1 MiB and 2 MiB on group 0, 6 MiB, above the suite's 4 MiB store maximum, on group 1, 1 MiB
 * on group 2), compared byte for byte on arrival without copying (a copy costs the JVM that runs the healthy pairs 1-2
 * MiB humongous allocations). {@link #burst} may run many times; each uses the next three group ids.
 */
final class BigObjects implements AutoCloseable
{
    private final byte[] one = new byte[1 << 20];
    private final byte[] two = new byte[2 << 20];
    private final byte[] six = new byte[6 << 20];
    private final MoqClient publisher;
    private final MoqClient subscriber;
    private final TrackPublisher track;
    /** group/object of every NORMAL object received, and whether its payload matched. */
    final Map<String, Boolean> got = new ConcurrentHashMap<>();
    private long nextGroup;

    BigObjects(final InetSocketAddress relay, final TrackNamespace ns) throws Exception
    {
        final Random random = new Random(3);
        random.nextBytes(one);
        random.nextBytes(two);
        random.nextBytes(six);
        publisher = HealthyPair.connect(relay);
        subscriber = HealthyPair.connect(relay);
        publisher.publishNamespace(ns).get(5, TimeUnit.SECONDS);
        track = publisher.track(ns, Bytes.utf8("t"), 128);
        subscriber.subscribe(ns, Bytes.utf8("t"), SubscribeOptions.LATEST, new SubscriptionListener()
        {
            @Override
            public void onObject(final ReceivedObject o)
            {
                if (o.status() == ObjectStatus.NORMAL)
                {
                    final long g = o.groupId() % 3;
                    final byte[] expected = g == 0 && o.objectId() == 1 ? two : g == 1 ? six : one;
                    got.put(o.groupId() + "/" + o.objectId(), ByteBufUtil.equals(Unpooled.wrappedBuffer(expected),
                        o.payload()));
                }
            }
        }).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
    }

    /** The group ids the next {@link #burst} uses start here. */
    long nextGroup()
    {
        return nextGroup;
    }

    /** Writes the three groups without waiting (the publisher's client slices nothing: QUIC takes what it can). */
    void burst()
    {
        final long g = nextGroup;
        nextGroup += 3;
        final SubgroupWriter g0 = track.openSubgroup(g, 0);
        g0.write(0, Unpooled.wrappedBuffer(one));
        g0.write(1, Unpooled.wrappedBuffer(two));
        g0.endGroup(2);
        final SubgroupWriter g1 = track.openSubgroup(g + 1, 0);
        g1.write(0, Unpooled.wrappedBuffer(six));
        g1.endGroup(1);
        final SubgroupWriter g2 = track.openSubgroup(g + 2, 0);
        g2.write(0, Unpooled.wrappedBuffer(one));
        g2.endGroup(1);
    }

    /** The objects of the burst that started at group {@code g} that arrived so far (three expected). */
    int arrived(final long g)
    {
        return (got.containsKey(g + "/0") ? 1 : 0) + (got.containsKey(g + "/1") ? 1 : 0) +
            (got.containsKey((g + 2) + "/0") ? 1 : 0);
    }

    @Override
    public void close()
    {
        subscriber.close();
        publisher.close();
    }
}
