package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.transport.ControlBytes;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Draft;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.Setup;
import moq.relay.wire.d18.Subscribe;
import moq.relay.wire.d18.SubscribeOk;
import moq.relay.wire.d18.SubscriptionFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A subscriber whose QUIC connection takes no more bytes while a publisher sends audio as a video call does: one
 * object per group, each group its own stream, 50 a second (issue #16: at 2 calls of 8 participants the relay's
 * connections to the subscribers were held to their congestion windows for seconds, their ACKs late, and frames
 * arrived 6-10 s old). Here the connection's flow-control credit stands for the spent congestion window: the raw QUIC
 * subscriber grants 4 KiB and plenty of streams and reads nothing for two seconds, then reads everything.
 * <p>
 * The relay must shed, not queue. Once the connection takes nothing, a new group's stream cannot send its bytes; the
 * relay must then hold the next groups in its log (where {@code moq.relay.subscriber.backlog.max.delay} bounds their
 * wait, here 200 ms, and the subscription is reset TOO_FAR_BEHIND past it) rather than open a stream per group and
 * queue each group's bytes in it, where no bound applies and every one is delivered, stale, once the subscriber reads
 * again. So the groups published in the second half of the stall never reach the subscriber, the relay counts the
 * subscription as too late, and the groups published once it reads again arrive.
 */
class CongestedSubscriberTest
{
    private static final Bytes AUDIO = Bytes.utf8("audio");
    private static final long STALL_MS = 2000;
    private static final long AFTER_MS = 1000;
    private static final long EVERY_MS = 20;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private QuicTestClient client;

    private final List<SubgroupStreamRecorder.Opened> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<QuicStreamChannel> unread = new ConcurrentLinkedQueue<>();
    private volatile boolean readAll;
    /** Publication time (nanoTime) of each group. */
    private final Map<Long, Long> published = new ConcurrentHashMap<>();

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (relay != null)
        {
            relay.close();
        }
    }

    @Test
    void aSubscriberWhoseConnectionTakesNothingIsShedNotQueuedFor() throws Exception
    {
        relay = new RelayFixture(certDir, Map.of("moq.relay.subscriber.backlog.max.delay", "200ms"));
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher audio = publisher.track(NS, AUDIO, 128);

        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, 4096, 10_000,
            Draft.DRAFT_18.alpn());
        final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false,
            new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel stream)
                {
                    final SubgroupStreamRecorder.Opened r = new SubgroupStreamRecorder.Opened();
                    received.add(r);
                    stream.pipeline().addLast(new SubgroupStreamRecorder(r));
                    if (readAll)
                    {
                        stream.config().setAutoRead(true);
                    }
                    else
                    {
                        unread.add(stream);
                    }
                }
            });
        c.channel().createStream(QuicStreamType.UNIDIRECTIONAL, new ChannelInboundHandlerAdapter())
            .get(5, TimeUnit.SECONDS).writeAndFlush(ControlBytes.draft18(Setup.of()));
        final long alias = subscribe(c, 0, AUDIO);
        audio.firstSubscriber().get(5, TimeUnit.SECONDS);

        final long start = System.nanoTime();
        final Thread media = new Thread(() -> publishAudio(audio, start, STALL_MS + AFTER_MS, published), "audio");
        media.start();
        // While the subscriber reads nothing: how many objects the relay has handed to its streams whose bytes QUIC
        // has not taken (the stall's first half fills the window; the second half is what the relay does then).
        Thread.sleep(STALL_MS / 2);
        long inTransport = 0;
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(STALL_MS))
        {
            inTransport = Math.max(inTransport, relay.relay.egressLoop(0).counters().objectsInTransport());
            Thread.sleep(20);
        }
        final long resume = System.nanoTime();
        readAll = true;
        QuicStreamChannel s;
        while ((s = unread.poll()) != null)
        {
            final QuicStreamChannel stream = s;
            stream.eventLoop().execute(() -> stream.config().setAutoRead(true));
        }
        media.join();
        final long end = start + TimeUnit.MILLISECONDS.toNanos(STALL_MS + AFTER_MS);
        final long lastFrom = end - TimeUnit.MILLISECONDS.toNanos(AFTER_MS / 2);
        final long lastGroups = published.values().stream().filter(t -> t >= lastFrom).count();
        RelayFixture.await(() -> delivered(alias, lastFrom, end) >= lastGroups * 8 / 10,
            () -> "the live edge after the stall: " + delivered(alias, lastFrom, end) + " of the last " + lastGroups
                + " groups");

        final long tooLate = relay.relay.egressLoop(0).counters().tooLateResets();
        System.out.printf("congested subscriber: at most %d objects waited in the relay's streams for QUIC in the "
            + "stall's second half; %d too-late resets; %d groups published%n", inTransport, tooLate, published.size());
        assertThat(inTransport).as("objects the relay handed to the stalled subscriber's streams and QUIC had not "
            + "taken (a stream per group, each queueing its bytes, would be every group of the stall)")
            .isLessThanOrEqualTo(3);
        assertThat(tooLate).as("subscriptions reset as too late (moq.relay.subscriber.backlog.max.delay)")
            .isGreaterThan(0);
    }

    /**
     * One-object groups of 160 B every 20 ms (a call's audio) from {@code start} for {@code millis}, each group's
     * publication time (nanoTime) recorded in {@code published}.
     */
    static void publishAudio(final TrackPublisher audio, final long start, final long millis,
        final Map<Long, Long> published)
    {
        final long end = start + TimeUnit.MILLISECONDS.toNanos(millis);
        long group = 0;
        long next = start;
        while (System.nanoTime() < end)
        {
            published.put(group, System.nanoTime());
            final SubgroupWriter w = audio.openSubgroup(group++, 0);
            w.write(0, Unpooled.wrappedBuffer(new byte[160]));
            w.close();
            next += TimeUnit.MILLISECONDS.toNanos(EVERY_MS);
            try
            {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Groups published in [from, to) whose object the subscriber received. */
    private long delivered(final long alias, final long from, final long to)
    {
        return received.stream().filter(r -> r.alias == alias && r.object).filter(r ->
        {
            final Long at = published.get(r.group);
            return at != null && at >= from && at < to;
        }).count();
    }

    private static long subscribe(final QuicTestClient.Connection c, final long requestId, final Bytes track)
        throws Exception
    {
        final RawPeer.RawBytes answer = new RawPeer.RawBytes();
        c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
            .writeAndFlush(ControlBytes.draft18(new Subscribe(requestId, NS, track, MessageParameters.of(
                new Parameter.Filter(SubscriptionFilter.largestObject())))));
        RelayFixture.await(() -> !answer.decoded().isEmpty(), "SUBSCRIBE_OK");
        final ControlMessage m = answer.decoded().get(0);
        assertThat(m).isInstanceOf(SubscribeOk.class);
        return ((SubscribeOk)m).trackAlias();
    }
}
