package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.util.concurrent.Future;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import moq.relay.transport.QuicTestClient;
import moq.relay.transport.TestServers;
import moq.relay.transport.session.WaitingOpens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #19 (many small streams): the video call opens a stream per audio frame and subscriber, so what the relay
 * adds to the transport's {@code createStream} per open is paid tens of thousands of times a second. An open with
 * stream credit while none waits must cost nothing beyond the transport's own creation: here, on a real loopback QUIC
 * connection to the relay, the bytes allocated per open through {@link StreamOpenQueue} are compared with those of
 * {@code QuicChannel.createStream} itself (queueing each open through {@link WaitingOpens} cost a promise, an entry,
 * tree and map nodes and two listeners, some 250 B). Opens that must wait keep their order and bound (covered by
 * {@code WaitingOpensTest} and {@code RequestStreamCreditTest}).
 */
class StreamOpenQueueAllocationTest
{
    private static final int OPENS = 100;
    /** Measurement slack per open (TLAB and JIT noise), far below what a queued open cost. */
    private static final long SLACK_BYTES_PER_OPEN = 64;

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private QuicTestClient client;
    private QuicChannel connection;

    @BeforeEach
    void start() throws Exception
    {
        client = new QuicTestClient(TestServers.certificate(certDir).leaf(), 5_000, "moqt-18");
        connection = client.connect(relay.server.localAddress()).channel();
    }

    @AfterEach
    void stop()
    {
        client.close();
    }

    @Test
    void anOpenWithCreditAllocatesNothingBeyondTheTransportsCreateStream() throws Exception
    {
        final StreamOpenQueue queue = new StreamOpenQueue(connection, 100);
        final ChannelHandler handler = new Shared();
        final Function<Integer, Future<QuicStreamChannel>> queued =
            i -> queue.open(QuicStreamType.UNIDIRECTIONAL, handler, WaitingOpens.rank(i & 0xFF, 0));
        final Function<Integer, Future<QuicStreamChannel>> direct =
            i -> connection.createStream(QuicStreamType.UNIDIRECTIONAL, handler);

        // Warm both paths up (class loading, first-call allocation), within the relay's uni stream credit (1,000).
        bytesPerOpen(queued);
        bytesPerOpen(direct);
        final long viaQueue = Math.min(bytesPerOpen(queued), bytesPerOpen(queued));
        final long viaTransport = Math.min(bytesPerOpen(direct), bytesPerOpen(direct));

        assertThat(viaQueue - viaTransport)
            .as("bytes per open through the queue (%d) beyond the transport's createStream (%d)", viaQueue,
                viaTransport)
            .isLessThanOrEqualTo(SLACK_BYTES_PER_OPEN);
        assertThat(queue.waiting()).isZero();
    }

    /** Opens {@link #OPENS} streams on the connection's event loop; the bytes that thread allocated per open. */
    private long bytesPerOpen(final Function<Integer, Future<QuicStreamChannel>> open) throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        return connection.eventLoop().submit(() ->
        {
            final long thread = Thread.currentThread().getId();
            final Future<?>[] opened = new Future<?>[OPENS];
            final long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < OPENS; i++)
            {
                opened[i] = open.apply(i);
            }
            final long after = threads.getThreadAllocatedBytes(thread);
            for (final Future<?> f : opened)
            {
                assertThat(f.isSuccess()).as("opened at once").isTrue();
                ((QuicStreamChannel)f.getNow()).close();
            }
            return (after - before) / OPENS;
        }).get(10, TimeUnit.SECONDS);
    }

    @ChannelHandler.Sharable
    private static final class Shared extends ChannelInboundHandlerAdapter
    {
    }
}
