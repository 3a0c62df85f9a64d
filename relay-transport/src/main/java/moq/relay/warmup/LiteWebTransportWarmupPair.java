package moq.relay.warmup;

import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.client.LiteWebTransportSubscriber;
import moq.relay.session.lite.LiteSessions;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.lite.LiteVersion;

/**
 * The browser call page's default path: moq-lite over WebTransport ({@code @moq/net} offering its moq-lite versions in
 * {@code wt-available-protocols}). A {@link LiteWebTransportSubscriber} subscribes to the video and audio tracks over
 * WebTransport, so the relay's CONNECT with {@code wt-protocol}, its moq-lite session over WebTransport (Announce
 * Stream out, Subscribe Streams in, every Group Stream out with its WebTransport prefix) run; the publisher is a
 * {@link LiteClient} of the same version over raw QUIC, whose ingest is the same code once a stream's prefix is read.
 */
final class LiteWebTransportWarmupPair implements WarmupPair
{
    private static final String PREFIX = "webtransport/";

    private final LiteVersion version;
    private final LiteClient publisher;
    private final LiteWebTransportSubscriber subscriber;
    private final LiteTrackWriter video;
    private final LiteTrackWriter audio;
    private long rounds;

    private LiteWebTransportWarmupPair(final LiteVersion version, final LiteClient publisher,
        final LiteWebTransportSubscriber subscriber, final LiteTrackWriter video, final LiteTrackWriter audio)
    {
        this.version = version;
        this.publisher = publisher;
        this.subscriber = subscriber;
        this.video = video;
        this.audio = audio;
    }

    /**
     * The moq-lite version a browser offering every served one gets over WebTransport from a relay answering
     * {@code webTransportProtocols} and offering {@code alpn}, if the pair can run: the relay serves WebTransport, and
     * that version over raw QUIC too (for the publisher). Null: no pair.
     */
    static LiteVersion version(final List<String> alpn, final List<String> webTransportProtocols)
    {
        if (!alpn.contains(SessionFactories.H3))
        {
            return null;
        }
        for (final String protocol : webTransportProtocols)
        {
            final LiteVersion version = LiteVersion.ofAlpn(protocol);
            if (version != null && LiteSessions.SERVED.contains(version))
            {
                return alpn.contains(version.alpn()) ? version : null;
            }
        }
        return null;
    }

    /** Its name in the report, e.g. {@code webtransport/moq-lite-05}. */
    static String protocol(final LiteVersion version)
    {
        return PREFIX + version.alpn();
    }

    /** The version named by {@link #protocol(LiteVersion)}, or null for another name. */
    static LiteVersion ofProtocol(final String protocol)
    {
        return protocol.startsWith(PREFIX) ? LiteVersion.ofAlpn(protocol.substring(PREFIX.length())) : null;
    }

    /**
     * Connects both clients (the subscriber to the relay's WebTransport {@code path}, offering every served moq-lite
     * version as {@code @moq/net} does, expecting {@code version}) and subscribes, by {@code deadline}
     * ({@link System#nanoTime()}); the clients are closed again if that fails.
     */
    static LiteWebTransportWarmupPair open(final LiteVersion version, final int port, final String path,
        final ClientTrust trust, final EventLoopGroup group, final long deadline) throws Exception
    {
        LiteClient publisher = null;
        LiteWebTransportSubscriber subscriber = null;
        try
        {
            publisher = LiteWarmupPair.connected(version, port, trust, group, deadline);
            subscriber = LiteWebTransportSubscriber.connect("127.0.0.1", port, path, LiteSessions.SERVED, trust,
                group, MoqtWarmupPair.left(deadline));
            if (subscriber.version() != version)
            {
                throw new IllegalStateException("wt-protocol answered " + subscriber.version().alpn() +
                    ", expected " + version.alpn());
            }
            final String broadcast = WarmupTraffic.NAMESPACE + "/" + protocol(version);
            final LiteTrackWriter video = publisher.publish(broadcast, WarmupTraffic.VIDEO, 2);
            final LiteTrackWriter audio = publisher.publish(broadcast, WarmupTraffic.AUDIO, 1);
            publisher.announced(broadcast).get(MoqtWarmupPair.left(deadline), TimeUnit.NANOSECONDS);
            final LiteWebTransportSubscriber subscribing = subscriber;
            for (final String track : new String[] {WarmupTraffic.VIDEO, WarmupTraffic.AUDIO})
            {
                LiteWarmupPair.subscribe(() -> subscribing.subscribe(broadcast, track, 128), deadline);
            }
            video.firstSubscriber().get(MoqtWarmupPair.left(deadline), TimeUnit.NANOSECONDS);
            audio.firstSubscriber().get(MoqtWarmupPair.left(deadline), TimeUnit.NANOSECONDS);
            return new LiteWebTransportWarmupPair(version, publisher, subscriber, video, audio);
        }
        catch (final Exception | Error e)
        {
            WarmupPair.closeQuietly(subscriber);
            WarmupPair.closeQuietly(publisher);
            throw e;
        }
    }

    @Override
    public String protocol()
    {
        return protocol(version);
    }

    @Override
    public void sendRound()
    {
        LiteWarmupPair.sendRound(rounds++, video, audio);
    }

    @Override
    public long roundsSent()
    {
        return rounds;
    }

    @Override
    public long streamObjectsReceived()
    {
        return subscriber.frames();
    }

    @Override
    public long datagramsReceived()
    {
        return 0;
    }

    @Override
    public long bytesReceived()
    {
        return subscriber.bytes();
    }

    @Override
    public void close()
    {
        WarmupPair.closeQuietly(subscriber);
        WarmupPair.closeQuietly(publisher);
    }
}
