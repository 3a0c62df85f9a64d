package moq.relay.warmup;

import io.netty.channel.EventLoopGroup;
import java.util.List;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.LiteTrackWriter;
import moq.relay.client.LiteWebTransportSubscriber;
import moq.relay.session.lite.LiteSessions;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.lite.LiteVersion;

/**
 * The browser call page's default path, both ways: moq-lite over WebTransport ({@code @moq/publish} and
 * {@code @moq/watch} through {@code @moq/net}, which offer their moq-lite versions in {@code wt-available-protocols}).
 * The publisher is a {@link LiteClient} over WebTransport ({@link LiteClient#connectWebTransport}), so the relay's
 * ingest of a WebTransport publisher runs: its Announce and Subscribe Streams opened to the client with their
 * WebTransport prefix, the client's Group Streams read behind their {@code 0x54} and session id. A
 * {@link LiteWebTransportSubscriber} subscribes to the video and audio tracks, so the relay's egress over WebTransport
 * runs too (Subscribe Streams in, every Group Stream out with its prefix). Both run the relay's CONNECT with
 * {@code wt-protocol}.
 */
final class LiteWebTransportWarmupPair extends ClientPair
{
    private static final String PREFIX = "webtransport/";

    private final LiteWebTransportSubscriber subscriber;
    private final LiteTrackWriter video;
    private final LiteTrackWriter audio;

    private LiteWebTransportWarmupPair(final LiteVersion version, final LiteClient publisher,
        final LiteWebTransportSubscriber subscriber, final LiteTrackWriter video, final LiteTrackWriter audio)
    {
        super(protocol(version), publisher, subscriber);
        this.subscriber = subscriber;
        this.video = video;
        this.audio = audio;
    }

    /**
     * The moq-lite version a browser offering every served one gets over WebTransport from a relay answering
     * {@code webTransportProtocols} and offering {@code alpn}, if the relay serves WebTransport; null: no pair.
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
                return version;
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
     * Connects both clients to the relay's WebTransport {@code path} (the publisher offering {@code version}, the
     * subscriber every served moq-lite version as {@code @moq/net} does, expecting {@code version}) and subscribes, by
     * {@code deadline} ({@link System#nanoTime()}); the clients are closed again if that fails.
     */
    static LiteWebTransportWarmupPair open(final LiteVersion version, final int port, final String path,
        final ClientTrust trust, final EventLoopGroup group, final long deadline) throws Exception
    {
        return setUp(() -> LiteClient.connectWebTransport("127.0.0.1", port, path, version, trust, group,
                MoqtWarmupPair.left(deadline)),
            () -> LiteWebTransportSubscriber.connect("127.0.0.1", port, path, LiteSessions.SERVED, trust, group,
                MoqtWarmupPair.left(deadline)),
            (publisher, subscriber) ->
            {
                if (subscriber.version() != version)
                {
                    throw new IllegalStateException("wt-protocol answered " + subscriber.version().alpn() +
                        ", expected " + version.alpn());
                }
                final String broadcast = WarmupTraffic.NAMESPACE + "/" + protocol(version);
                final LiteTrackWriter video = publisher.publish(broadcast, WarmupTraffic.VIDEO, 2);
                final LiteTrackWriter audio = publisher.publish(broadcast, WarmupTraffic.AUDIO, 1);
                by(publisher.announced(broadcast), deadline);
                for (final String track : new String[] {WarmupTraffic.VIDEO, WarmupTraffic.AUDIO})
                {
                    LiteWarmupPair.subscribe(() -> subscriber.subscribe(broadcast, track, 128), deadline);
                }
                by(video.firstSubscriber(), deadline);
                by(audio.firstSubscriber(), deadline);
                return new LiteWebTransportWarmupPair(version, publisher, subscriber, video, audio);
            });
    }

    @Override
    void send(final long round)
    {
        LiteWarmupPair.sendRound(round, video, audio, LargeFrames.NONE);
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
}
