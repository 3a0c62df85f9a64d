package moq.relay.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.engine.FullTrackName;
import moq.relay.wire.Bytes;
import moq.relay.wire.lite.LitePaths;
import moq.relay.wire.lite.LiteVersion;

/**
 * A moq-lite pair over raw QUIC: the publisher's broadcast {@code moq-relay-warmup/ALPN} with a video and an audio
 * track (one Group Stream per group, as moq-dev's libraries send them) and, with an oversized frame in its
 * {@link LargeFrames}, a track for it; the subscriber on all of them. moq-lite carries no object datagrams here, so
 * the round's datagrams are left out.
 */
final class LiteWarmupPair implements WarmupPair
{
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LiteVersion version;
    private final LiteClient publisher;
    private final LiteClient subscriber;
    private final LiteTrackWriter video;
    private final LiteTrackWriter audio;
    /** The oversized frame's track, or null when {@link #large} has none. */
    private final LiteTrackWriter oversized;
    private final ReceivedTally received;
    private final LargeFrames large;
    private long rounds;

    private LiteWarmupPair(final LiteVersion version, final LiteClient publisher, final LiteClient subscriber,
        final LiteTrackWriter video, final LiteTrackWriter audio, final LiteTrackWriter oversized,
        final ReceivedTally received, final LargeFrames large)
    {
        this.version = version;
        this.oversized = oversized;
        this.large = large;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.video = video;
        this.audio = audio;
        this.received = received;
    }

    /**
     * Connects both clients on {@code group} and subscribes, by {@code deadline} ({@link System#nanoTime()}); the
     * clients are closed again if that fails.
     */
    static LiteWarmupPair open(final LiteVersion version, final int port, final ClientTrust trust,
        final EventLoopGroup group, final long deadline, final LargeFrames large) throws Exception
    {
        LiteClient publisher = null;
        LiteClient subscriber = null;
        try
        {
            publisher = connected(version, port, trust, group, deadline);
            subscriber = connected(version, port, trust, group, deadline);
            final String broadcast = WarmupTraffic.NAMESPACE + "/" + version.alpn();
            final LiteTrackWriter video = publisher.publish(broadcast, WarmupTraffic.VIDEO, 2);
            final LiteTrackWriter audio = publisher.publish(broadcast, WarmupTraffic.AUDIO, 1);
            final LiteTrackWriter oversized = large.oversizedBytes() == 0 ? null :
                publisher.publish(broadcast, WarmupTraffic.OVERSIZED, 2);
            publisher.announced(broadcast).get(left(deadline), TimeUnit.NANOSECONDS);
            final ReceivedTally received = new ReceivedTally();
            final LiteClient.FrameListener counting = (g, index, payload) ->
                received.streamObject(payload.readableBytes());
            final LiteClient subscribing = subscriber;
            for (final String track : new String[] {WarmupTraffic.VIDEO, WarmupTraffic.AUDIO})
            {
                subscribe(() -> subscribing.subscribe(broadcast, track, 128, counting), deadline);
            }
            if (oversized != null)
            {
                subscribe(() -> subscribing.subscribe(broadcast, WarmupTraffic.OVERSIZED, 128, counting), deadline);
                oversized.firstSubscriber().get(left(deadline), TimeUnit.NANOSECONDS);
            }
            video.firstSubscriber().get(left(deadline), TimeUnit.NANOSECONDS);
            audio.firstSubscriber().get(left(deadline), TimeUnit.NANOSECONDS);
            return new LiteWarmupPair(version, publisher, subscriber, video, audio, oversized, received, large);
        }
        catch (final Exception | Error e)
        {
            WarmupPair.closeQuietly(subscriber);
            WarmupPair.closeQuietly(publisher);
            throw e;
        }
    }

    /** A client once connected; one that connects after the deadline is closed then. */
    static LiteClient connected(final LiteVersion version, final int port, final ClientTrust trust,
        final EventLoopGroup group, final long deadline) throws Exception
    {
        final CompletableFuture<LiteClient> connecting = LiteClient.connect("127.0.0.1", port, version, trust,
            Duration.ofNanos(Math.max(1_000_000, left(deadline))), group);
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

    /**
     * Subscribes, again while the relay refuses: the publisher's ANNOUNCE counts as done once written, so a SUBSCRIBE
     * can reach the relay before the relay has taken the broadcast in.
     */
    static void subscribe(final Supplier<CompletableFuture<Void>> subscribe, final long deadline) throws Exception
    {
        while (true)
        {
            try
            {
                subscribe.get().get(left(deadline), TimeUnit.NANOSECONDS);
                return;
            }
            catch (final java.util.concurrent.ExecutionException e)
            {
                if (left(deadline) < RETRY_NANOS)
                {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(RETRY_NANOS);
            }
        }
    }

    private static long left(final long deadline)
    {
        return Math.max(0, deadline - System.nanoTime());
    }

    @Override
    public String protocol()
    {
        return version.alpn();
    }

    @Override
    public void sendRound()
    {
        final long round = rounds++;
        sendRound(round, video, audio, large);
        if (large.oversizedIn(round))
        {
            // The relay drops it (and the rest of its Group Stream) as it arrives; nothing else is on that stream.
            oversized.frame(round, WarmupTraffic.payload(large.oversizedBytes()));
            oversized.endGroup(round);
        }
    }

    /**
     * Round {@code round}: one video Group Stream of the round's frames, its key frame sized by {@code large}, then
     * one Group Stream per audio frame.
     */
    static void sendRound(final long round, final LiteTrackWriter video, final LiteTrackWriter audio,
        final LargeFrames large)
    {
        for (int o = 0; o < WarmupTraffic.VIDEO_OBJECTS; o++)
        {
            video.frame(round, WarmupTraffic.payload(WarmupTraffic.videoObjectBytes(round, o, large)));
        }
        video.endGroup(round);
        for (int a = 0; a < WarmupTraffic.AUDIO_GROUPS; a++)
        {
            final long group = round * WarmupTraffic.AUDIO_GROUPS + a;
            final ByteBuf frame = WarmupTraffic.payload(WarmupTraffic.AUDIO_BYTES);
            audio.frame(group, frame);
            audio.endGroup(group);
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
        return 0;
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
        return oversized == null ? null : new FullTrackName(
            LitePaths.toNamespace(WarmupTraffic.NAMESPACE + "/" + version.alpn()), Bytes.utf8(WarmupTraffic.OVERSIZED));
    }

    @Override
    public void close()
    {
        WarmupPair.closeQuietly(subscriber);
        WarmupPair.closeQuietly(publisher);
    }
}
