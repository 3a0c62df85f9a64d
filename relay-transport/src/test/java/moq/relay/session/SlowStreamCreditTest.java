package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * A subscriber that grants unidirectional stream credit slowly, as a CPU-starved browser does, while the publisher
 * sends what a video call sends: audio as one-object groups at 50 a second (each its own stream) and video as one
 * group a second of 15 objects. The raw QUIC subscriber allows 10 uni streams and reads (so gives back the credit of)
 * one stream every 100 ms for four seconds, then reads everything. Draft 18 §"Priorities": video is subscribed with a
 * higher subscriber priority than audio.
 * <p>
 * The relay must keep its queue of waiting stream opens bounded and fresh: an open superseded by a newer group of its
 * subscription gives up its place (counted as a skipped subgroup, never opened), and the rest are served by priority.
 * So what opens is recent (its group published shortly before), video is not starved by the audio flood, the delivered
 * groups are at the live edge once credit returns (no backlog of stale streams), and every subgroup is either opened
 * or counted as skipped.
 */
class SlowStreamCreditTest
{
    private static final Bytes AUDIO = Bytes.utf8("audio");
    private static final Bytes VIDEO = Bytes.utf8("video");
    private static final long SLOW_MS = 4000;
    private static final long FAST_MS = 2000;
    private static final long READ_EVERY_MS = 100;

    @TempDir
    static Path certDir;

    private RelayFixture relay;
    private QuicTestClient client;

    private final List<SubgroupStreamRecorder.Opened> opened = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<QuicStreamChannel> unread = new ConcurrentLinkedQueue<>();
    private volatile boolean readAll;
    /** Publication time (nanoTime) of each group, by track. */
    private final Map<Long, Long> audioPublished = new ConcurrentHashMap<>();
    private final Map<Long, Long> videoPublished = new ConcurrentHashMap<>();

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
    void aSlowSubscriberGetsTheNewestGroupsByPriorityAndTheSkipsAreCounted() throws Exception
    {
        relay = new RelayFixture(certDir, Map.of());
        final MoqClient publisher = relay.connect(Draft.DRAFT_18);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher audio = publisher.track(NS, AUDIO, 128);
        final TrackPublisher video = publisher.track(NS, VIDEO, 128);

        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 10_000, Draft.DRAFT_18.alpn());
        final QuicTestClient.Connection c = client.connect(relay.server.localAddress(), false,
            new ChannelInitializer<QuicStreamChannel>()
            {
                @Override
                protected void initChannel(final QuicStreamChannel stream)
                {
                    final SubgroupStreamRecorder.Opened o = new SubgroupStreamRecorder.Opened();
                    opened.add(o);
                    stream.pipeline().addLast(new SubgroupStreamRecorder(o));
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
        final long videoAlias = subscribe(c, 0, VIDEO, 1);
        final long audioAlias = subscribe(c, 2, AUDIO, 200);
        audio.firstSubscriber().get(5, TimeUnit.SECONDS);
        video.firstSubscriber().get(5, TimeUnit.SECONDS);

        final Thread media = new Thread(() -> publish(audio, video), "media");
        final long start = System.nanoTime();
        media.start();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(SLOW_MS))
        {
            readOne();
            Thread.sleep(READ_EVERY_MS);
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
        final long subgroups = audioPublished.size() + videoPublished.size();
        RelayFixture.await(() -> opened.stream().allMatch(o -> o.group >= 0 || o.alias == -2) &&
            delivered(audioAlias, videoAlias) + skipped() >= subgroups, "every subgroup opened and read, or skipped");
        final long skipped = skipped();

        final long slowEnd = resume;
        System.out.printf("slow credit: audio open lag (ms) while slow %s; video %s; with credit back %s; " +
                "skipped %d of %d subgroups%n", lagsMs(audioAlias, audioPublished, start, slowEnd),
            lagsMs(videoAlias, videoPublished, start, Long.MAX_VALUE),
            lagsMs(audioAlias, audioPublished, resume, Long.MAX_VALUE), skipped, subgroups);
        final long secondHalf = start + TimeUnit.MILLISECONDS.toNanos(SLOW_MS / 2);
        // Fresh while starved: streams the relay opened in the second half of the slow phase carry recent groups
        // (a first-in-first-out queue of opens would be seconds behind by then, and growing).
        final List<Long> audioLagsMs = lagsMs(audioAlias, audioPublished, secondHalf, slowEnd);
        assertThat(audioLagsMs).as("audio streams opened while credit was slow").hasSizeGreaterThan(5);
        assertThat(median(audioLagsMs)).as("median ms from an audio group's publication to its stream's open, " +
            "while credit was slow: " + audioLagsMs).isLessThan(400);

        // Not starved by the audio flood: each video group of the slow phase opened soon after it started.
        final List<Long> videoLagsMs = lagsMs(videoAlias, videoPublished, start, slowEnd);
        assertThat(videoLagsMs).as("video groups opened while credit was slow").hasSizeGreaterThanOrEqualTo(2);
        assertThat(videoLagsMs).as("ms from a video group's start to its stream's open, while credit was slow")
            .allMatch(ms -> ms < 1000);

        // Caught up once credit returned: hardly any stream of a group published before that, then the live edge.
        final long stale = opened.stream().filter(o -> o.openedAt >= resume && o.alias == audioAlias &&
            audioPublished.getOrDefault(o.group, Long.MAX_VALUE) < resume).count();
        assertThat(stale).as("audio streams of groups published before the credit returned, opened after it")
            .isLessThan(6);
        final List<Long> caughtUpMs = lagsMs(audioAlias, audioPublished, resume + TimeUnit.MILLISECONDS.toNanos(500),
            Long.MAX_VALUE);
        assertThat(caughtUpMs).as("audio streams opened with credit back").hasSizeGreaterThan(20);
        assertThat(median(caughtUpMs)).as("median open lag with credit back: " + caughtUpMs).isLessThan(100);

        // Every subgroup is opened or counted as skipped.
        final long delivered = delivered(audioAlias, videoAlias);
        assertThat(skipped).as("subgroups skipped").isGreaterThan(50);
        assertThat(delivered + skipped).as("streams opened (" + delivered + ") + skipped (" + skipped +
            ") against subgroups published (" + subgroups + ")").isEqualTo(subgroups);
    }

    /** Audio: a one-object group every 20 ms; video: an object every 66 ms, a new group every 15 objects. */
    private void publish(final TrackPublisher audio, final TrackPublisher video)
    {
        final long start = System.nanoTime();
        final long end = start + TimeUnit.MILLISECONDS.toNanos(SLOW_MS + FAST_MS);
        long audioGroup = 0;
        long videoObject = 0;
        SubgroupWriter videoGroup = null;
        long nextAudio = start;
        long nextVideo = start;
        while (true)
        {
            final long now = System.nanoTime();
            if (now >= end)
            {
                break;
            }
            if (now >= nextAudio)
            {
                audioPublished.put(audioGroup, now);
                final SubgroupWriter w = audio.openSubgroup(audioGroup++, 0);
                w.write(0, Unpooled.wrappedBuffer(new byte[120]));
                w.close();
                nextAudio += TimeUnit.MILLISECONDS.toNanos(20);
            }
            if (now >= nextVideo)
            {
                if (videoObject % 15 == 0)
                {
                    if (videoGroup != null)
                    {
                        videoGroup.close();
                    }
                    final long g = videoObject / 15;
                    videoPublished.put(g, now);
                    videoGroup = video.openSubgroup(g, 0);
                }
                videoGroup.write(videoObject % 15, Unpooled.wrappedBuffer(new byte[videoObject % 15 == 0 ? 4000 : 800]));
                videoObject++;
                nextVideo += TimeUnit.MILLISECONDS.toNanos(66);
            }
            try
            {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nextAudio, nextVideo) - now)));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (videoGroup != null)
        {
            videoGroup.close();
        }
    }

    private long skipped()
    {
        return relay.relay.egressLoop(0).counters().subgroupsSkipped();
    }

    private long delivered(final long audioAlias, final long videoAlias)
    {
        return opened.stream().filter(o -> o.alias == audioAlias || o.alias == videoAlias).count();
    }

    /** Gives back one stream's credit: reads it to its end. */
    private void readOne()
    {
        final QuicStreamChannel s = unread.poll();
        if (s != null)
        {
            s.eventLoop().execute(() -> s.config().setAutoRead(true));
        }
    }

    private List<Long> lagsMs(final long alias, final Map<Long, Long> published, final long from, final long to)
    {
        final List<Long> lags = new ArrayList<>();
        for (final SubgroupStreamRecorder.Opened o : opened)
        {
            final Long at = published.get(o.group);
            if (o.alias == alias && at != null && o.openedAt >= from && o.openedAt < to)
            {
                lags.add(TimeUnit.NANOSECONDS.toMillis(o.openedAt - at));
            }
        }
        return lags;
    }

    private static long median(final List<Long> values)
    {
        final List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.isEmpty() ? Long.MAX_VALUE : sorted.get(sorted.size() / 2);
    }

    private static long subscribe(final QuicTestClient.Connection c, final long requestId, final Bytes track,
        final int subscriberPriority) throws Exception
    {
        final RawPeer.RawBytes answer = new RawPeer.RawBytes();
        c.channel().createStream(QuicStreamType.BIDIRECTIONAL, answer).get(5, TimeUnit.SECONDS)
            .writeAndFlush(ControlBytes.draft18(new Subscribe(requestId, NS, track, MessageParameters.of(
                new Parameter.Filter(SubscriptionFilter.largestObject()),
                new Parameter.SubscriberPriority(subscriberPriority)))));
        RelayFixture.await(() -> !answer.decoded().isEmpty(), "SUBSCRIBE_OK");
        final ControlMessage m = answer.decoded().get(0);
        assertThat(m).isInstanceOf(SubscribeOk.class);
        return ((SubscribeOk)m).trackAlias();
    }
}
