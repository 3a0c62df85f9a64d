package moq.relay.interop;

import io.netty.handler.codec.quic.Quic;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientConfig;
import moq.relay.client.MoqClient;

/**
 * Pays the client's one-off start-up cost (native QUIC library, TLS, event loop, class loading and first-use code
 * paths; about a second on a cold JVM) before the first case, so that it does not eat into a 2-second budget. It
 * starts a handshake towards a local UDP socket that never answers; nothing reaches the relay.
 */
final class Warmup
{
    private static final Duration ATTEMPT = Duration.ofMillis(300);

    private Warmup()
    {
    }

    static void run(final ClientConfig relay)
    {
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            Quic.ensureAvailability();
            final ClientConfig local = new ClientConfig(InetAddress.getLoopbackAddress().getHostAddress(),
                sink.getLocalPort(), relay.draft(), relay.trust(), ATTEMPT, ATTEMPT, null, null);
            final CompletableFuture<MoqClient> attempt = MoqClient.connect(local);
            attempt.handle((client, failure) -> client).get(ATTEMPT.toMillis() * 4, TimeUnit.MILLISECONDS);
            attempt.thenAccept(MoqClient::close);
        }
        catch (final Exception | UnsatisfiedLinkError e)
        {
            // Only a speed-up: the cases report real failures themselves.
        }
    }
}
