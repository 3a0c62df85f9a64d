package moq.relay.warmup;

import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.TrackPublisher;
import moq.relay.client.WebTransportSubscriber;
import moq.relay.transport.session.SessionFactories;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * The browser call's protocol: draft 14 over WebTransport (what the call page's {@code @moq} libraries speak when not
 * on moq-lite). A {@link WebTransportSubscriber} subscribes to the three tracks over WebTransport, so the relay's
 * HTTP/3 extended CONNECT, its WebTransport streams (the control stream in, every subgroup stream out) and
 * datagrams run; the publisher is a draft-14 {@link MoqClient} over raw QUIC (another draft if the relay does not
 * offer {@code moq-00}), whose ingest path is the same code once a WebTransport stream's header is read.
 */
final class WebTransportWarmupPair extends ClientPair
{
    /** Its name in the report (the ALPN is {@code h3}; the MoQT draft is 14, negotiated by CLIENT_SETUP). */
    static final String PROTOCOL = "webtransport/moq-00";

    private final WebTransportSubscriber subscriber;
    private final TrackPublisher video;
    private final TrackPublisher audio;
    private final TrackPublisher datagrams;

    private WebTransportWarmupPair(final MoqClient publisher, final WebTransportSubscriber subscriber,
        final TrackPublisher video, final TrackPublisher audio, final TrackPublisher datagrams)
    {
        super(PROTOCOL, publisher, subscriber);
        this.subscriber = subscriber;
        this.video = video;
        this.audio = audio;
        this.datagrams = datagrams;
    }

    /**
     * Connects both clients (the subscriber to the relay's WebTransport {@code path}) and subscribes, by
     * {@code deadline} ({@link System#nanoTime()}); the clients are closed again if that fails.
     */
    static WebTransportWarmupPair open(final int port, final String path, final List<String> alpn,
        final ClientTrust trust, final EventLoopGroup group, final long deadline) throws Exception
    {
        final ClientConfig config = ClientConfig.of("127.0.0.1", port, publisherDraft(alpn), trust)
            .withTimeouts(Duration.ofNanos(Math.max(1_000_000, MoqtWarmupPair.left(deadline))),
                MoqtWarmupPair.IDLE_TIMEOUT);
        return setUp(() -> MoqtWarmupPair.connected(MoqClient.connect(config, group), deadline),
            () -> WebTransportSubscriber.connect("127.0.0.1", port, path, trust, group, MoqtWarmupPair.left(deadline)),
            (publisher, subscriber) ->
            {
                final TrackNamespace namespace = TrackNamespace.of(WarmupTraffic.NAMESPACE, PROTOCOL);
                by(publisher.publishNamespace(namespace), deadline);
                final TrackPublisher video = publisher.track(namespace, Bytes.utf8(WarmupTraffic.VIDEO), 2);
                final TrackPublisher audio = publisher.track(namespace, Bytes.utf8(WarmupTraffic.AUDIO), 1);
                final TrackPublisher datagrams = publisher.track(namespace, Bytes.utf8(WarmupTraffic.DATAGRAMS), 1);
                for (final TrackPublisher track : new TrackPublisher[] {video, audio, datagrams})
                {
                    by(subscriber.subscribe(namespace, track.name()), deadline);
                    by(track.firstSubscriber(), deadline);
                }
                return new WebTransportWarmupPair(publisher, subscriber, video, audio, datagrams);
            });
    }

    /** Whether the relay offering {@code alpn} gets this pair: it serves WebTransport and a raw-QUIC MoQT draft. */
    static boolean drives(final List<String> alpn)
    {
        return alpn.contains(SessionFactories.H3) &&
            java.util.Arrays.stream(Draft.values()).anyMatch(d -> alpn.contains(d.alpn()));
    }

    /** Draft 14, as the browser publishes, if the relay offers it over raw QUIC; else a draft it offers. */
    static Draft publisherDraft(final List<String> alpn)
    {
        if (alpn.contains(Draft.DRAFT_14.alpn()))
        {
            return Draft.DRAFT_14;
        }
        for (final Draft draft : Draft.values())
        {
            if (alpn.contains(draft.alpn()))
            {
                return draft;
            }
        }
        throw new IllegalStateException("no raw-QUIC MoQT draft offered for the publisher");
    }

    @Override
    void send(final long round)
    {
        MoqtWarmupPair.sendRound(round, video, audio, datagrams, LargeFrames.NONE);
    }

    @Override
    public long streamObjectsReceived()
    {
        return subscriber.streamObjects();
    }

    @Override
    public long datagramsReceived()
    {
        return subscriber.datagrams();
    }

    @Override
    public long bytesReceived()
    {
        return subscriber.bytes();
    }
}
