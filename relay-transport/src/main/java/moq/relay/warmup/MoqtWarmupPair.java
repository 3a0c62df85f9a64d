package moq.relay.warmup;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.engine.FullTrackName;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;

/**
 * A MoQT pair (draft 18, 20 or 14 over raw QUIC): the publisher announces {@code moq-relay-warmup/ALPN} and publishes
 * three tracks, video and audio on subgroup streams and one of object datagrams (and, with an oversized object in its
 * {@link LargeFrames}, a fourth for it); the subscriber subscribes to all of them, so the relay's ingest, cache,
 * fan-out and egress of each kind run.
 */
final class MoqtWarmupPair implements WarmupPair
{
    /** QUIC idle timeout of the warm-up's clients: longer than any pause of a warm-up on a busy box. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final Draft draft;
    private final MoqClient publisher;
    private final MoqClient subscriber;
    private final TrackPublisher video;
    private final TrackPublisher audio;
    private final TrackPublisher datagrams;
    /** The oversized object's track, or null when {@link #large} has none. */
    private final TrackPublisher oversized;
    private final ReceivedTally received;
    private final LargeFrames large;
    private long rounds;

    private MoqtWarmupPair(final Draft draft, final MoqClient publisher, final MoqClient subscriber,
        final TrackPublisher video, final TrackPublisher audio, final TrackPublisher datagrams,
        final TrackPublisher oversized, final ReceivedTally received, final LargeFrames large)
    {
        this.draft = draft;
        this.large = large;
        this.oversized = oversized;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.video = video;
        this.audio = audio;
        this.datagrams = datagrams;
        this.received = received;
    }

    /**
     * Connects both clients on {@code group} and subscribes, by {@code deadline} ({@link System#nanoTime()}); the
     * clients are closed again if that fails.
     */
    static MoqtWarmupPair open(final Draft draft, final int port, final ClientTrust trust, final EventLoopGroup group,
        final long deadline, final LargeFrames large) throws Exception
    {
        final ClientConfig config = ClientConfig.of("127.0.0.1", port, draft, trust)
            .withTimeouts(Duration.ofNanos(Math.max(1_000_000, left(deadline))), IDLE_TIMEOUT);
        MoqClient publisher = null;
        MoqClient subscriber = null;
        try
        {
            publisher = connected(MoqClient.connect(config, group), deadline);
            subscriber = connected(MoqClient.connect(config, group), deadline);
            final TrackNamespace namespace = TrackNamespace.of(WarmupTraffic.NAMESPACE, draft.alpn());
            publisher.publishNamespace(namespace).get(left(deadline), TimeUnit.NANOSECONDS);
            final TrackPublisher video = publisher.track(namespace, Bytes.utf8(WarmupTraffic.VIDEO), 2);
            final TrackPublisher audio = publisher.track(namespace, Bytes.utf8(WarmupTraffic.AUDIO), 1);
            final TrackPublisher datagrams = publisher.track(namespace, Bytes.utf8(WarmupTraffic.DATAGRAMS), 1);
            final TrackPublisher oversized = large.oversizedBytes() == 0 ? null :
                publisher.track(namespace, Bytes.utf8(WarmupTraffic.OVERSIZED), 2);
            final ReceivedTally received = new ReceivedTally();
            final SubscriptionListener counting = new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject object)
                {
                    if (object.status() != ObjectStatus.NORMAL)
                    {
                        return;
                    }
                    if (object.datagram())
                    {
                        received.datagram(object.payloadLength());
                    }
                    else
                    {
                        received.streamObject(object.payloadLength());
                    }
                }
            };
            for (final TrackPublisher track : new TrackPublisher[] {video, audio, datagrams, oversized})
            {
                if (track == null)
                {
                    continue;
                }
                subscriber.subscribe(namespace, track.name(), SubscribeOptions.LATEST, counting)
                    .get(left(deadline), TimeUnit.NANOSECONDS);
                track.firstSubscriber().get(left(deadline), TimeUnit.NANOSECONDS);
            }
            return new MoqtWarmupPair(draft, publisher, subscriber, video, audio, datagrams, oversized, received,
                large);
        }
        catch (final Exception | Error e)
        {
            WarmupPair.closeQuietly(subscriber);
            WarmupPair.closeQuietly(publisher);
            throw e;
        }
    }

    /** The client once connected; one that connects after the deadline is closed then. */
    static MoqClient connected(final CompletableFuture<MoqClient> connecting, final long deadline)
        throws Exception
    {
        try
        {
            return connecting.get(left(deadline), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException | InterruptedException e)
        {
            connecting.thenAccept(WarmupPair::closeQuietly);
            throw e;
        }
    }

    static long left(final long deadline)
    {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public String protocol()
    {
        return draft.alpn();
    }

    @Override
    public void sendRound()
    {
        final long round = rounds++;
        sendRound(round, video, audio, datagrams, large);
        if (large.oversizedIn(round) || large.oversizedAgainIn(round))
        {
            // Refused at its header (STOP_SENDING): the publisher sends at most the stream's credit of it.
            final SubgroupWriter over = oversized.openSubgroup(round, 0);
            over.write(0, WarmupTraffic.payload(large.oversizedBytes()));
            over.close();
        }
    }

    /**
     * Publishes round {@code round} of {@link WarmupTraffic} on the three tracks (the WebTransport pair's too), its
     * key frame sized by {@code large}.
     */
    static void sendRound(final long round, final TrackPublisher video, final TrackPublisher audio,
        final TrackPublisher datagrams, final LargeFrames large)
    {
        // A round with large objects carries its second half of delta frames on subgroup 1: the relay then writes two
        // streams of one subscription at once, as for a burst of groups (its per-stream lookup had only ever seen
        // one, and the first burst deoptimised it), while the first half waits behind the large ones' slices.
        final boolean split = large.objectBytes(round, 0) > 0;
        SubgroupWriter frames = video.openSubgroup(round, 0);
        for (int o = 0; o < WarmupTraffic.VIDEO_OBJECTS; o++)
        {
            if (split && o == WarmupTraffic.VIDEO_OBJECTS / 2)
            {
                frames.close();
                frames = video.openSubgroup(round, 1);
            }
            frames.write(o, WarmupTraffic.payload(WarmupTraffic.videoObjectBytes(round, o, large)));
        }
        frames.endGroup(WarmupTraffic.VIDEO_OBJECTS);
        for (int a = 0; a < WarmupTraffic.AUDIO_GROUPS; a++)
        {
            final SubgroupWriter frame = audio.openSubgroup(round * WarmupTraffic.AUDIO_GROUPS + a, 0);
            frame.write(0, WarmupTraffic.payload(WarmupTraffic.AUDIO_BYTES));
            frame.close();
        }
        for (int d = 0; d < WarmupTraffic.DATAGRAM_OBJECTS; d++)
        {
            datagrams.sendDatagram(round * WarmupTraffic.DATAGRAM_OBJECTS + d, 0,
                WarmupTraffic.payload(WarmupTraffic.DATAGRAM_BYTES));
        }
    }

    @Override
    public long roundsSent()
    {
        return rounds;
    }

    @Override
    public long streamObjectsReceived()
    {
        return received.streamObjects();
    }

    @Override
    public long datagramsReceived()
    {
        return received.datagrams();
    }

    @Override
    public long bytesReceived()
    {
        return received.bytes();
    }

    @Override
    public long largeObjectsReceived()
    {
        return received.largeObjects();
    }

    @Override
    public int openingRounds()
    {
        return large.openingRounds();
    }

    @Override
    public boolean sendsLarge(final long round)
    {
        return large.objectBytes(round, 0) > 0;
    }

    @Override
    public FullTrackName oversizedTrack()
    {
        return oversized == null ? null : new FullTrackName(oversized.namespace(), oversized.name());
    }

    @Override
    public void close()
    {
        WarmupPair.closeQuietly(subscriber);
        WarmupPair.closeQuietly(publisher);
    }
}
