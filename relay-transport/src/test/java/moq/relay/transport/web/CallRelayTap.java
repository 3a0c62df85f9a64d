package moq.relay.transport.web;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.engine.Relay;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;

/**
 * The direct hop beside the browser call: a raw QUIC draft-18 subscriber in the test's JVM that subscribes to one
 * participant's {@code video/hd} through the relay and records when each frame arrives (wall clock, ms with µs
 * digits, the clock the pages' {@code performance.timeOrigin + now()} reads), keyed by the frame's media timestamp
 * (hang's legacy container: a varint timestamp in µs before the codec payload). Matched with the publisher page's
 * encoder outputs, it gives "encoder output → through the relay to a plain QUIC client", which leaves the watching
 * browser and its library out of the figure. Diagnostic only: it does not assert.
 */
final class CallRelayTap implements AutoCloseable
{
    private final Map<Long, Double> arrivals = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile MoqClient client;
    private volatile boolean closed;

    CallRelayTap(final Relay relay, final InetSocketAddress address, final String room, final String participant)
    {
        thread = new Thread(() -> run(relay, address, TrackNamespace.of("moq-call", room, participant)),
            "call-relay-tap");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(final Relay relay, final InetSocketAddress address, final TrackNamespace namespace)
    {
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            // Joins the track once a browser watcher opened it (after reading alice's catalog), as a real watcher
            // would: subscribing to video/hd as soon as the broadcast is announced reached @moq/publish before its
            // camera track existed, which ended the track for the watchers that joined it next.
            final moq.relay.engine.FullTrackName video = new moq.relay.engine.FullTrackName(namespace,
                Bytes.utf8("video/hd"));
            while (!closed && relay.ingestOf(video) == null && System.nanoTime() < deadline)
            {
                Thread.sleep(50);
            }
            if (closed || relay.ingestOf(video) == null)
            {
                return;
            }
            client = MoqClient.connect(ClientConfig.of("127.0.0.1", address.getPort(), Draft.DRAFT_18,
                ClientTrust.insecure())).get(10, TimeUnit.SECONDS);
            client.subscribe(namespace, Bytes.utf8("video/hd"), SubscribeOptions.LATEST, new SubscriptionListener()
            {
                @Override
                public void onObject(final ReceivedObject object)
                {
                    final Instant now = Instant.now();
                    final long timestamp = varint(object.payload());
                    if (timestamp >= 0)
                    {
                        arrivals.putIfAbsent(timestamp, now.getEpochSecond() * 1000.0 + now.getNano() / 1e6);
                    }
                }
            }).get(10, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            System.out.println("Relay tap: " + ex);
        }
    }

    /** The QUIC varint at the payload's start, or -1 when the payload is too short. */
    private static long varint(final ByteBuf payload)
    {
        final int at = payload.readerIndex();
        if (payload.readableBytes() < 1)
        {
            return -1;
        }
        final int first = payload.getUnsignedByte(at);
        final int length = 1 << (first >> 6);
        if (payload.readableBytes() < length)
        {
            return -1;
        }
        long value = first & 0x3F;
        for (int i = 1; i < length; i++)
        {
            value = value << 8 | payload.getUnsignedByte(at + i);
        }
        return value;
    }

    /** Frame arrival times (wall ms) by media timestamp (µs). */
    Map<Long, Double> arrivals()
    {
        return arrivals;
    }

    @Override
    public void close()
    {
        closed = true;
        final MoqClient c = client;
        if (c != null)
        {
            c.close();
        }
    }
}
