package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.session.egress.FetchStreamWriter;
import moq.relay.wire.Draft;
import moq.relay.wire.data.FetchStreamEncoder;
import moq.relay.wire.data.ObjectStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a FETCH stream hands QUIC for large objects: no write above 64 KiB (a 2 MiB object packed into packets in one
 * go holds the event loop every connection shares; the next slice goes from a task scheduled once QUIC took the
 * previous, which the embedded stream's loop runs as it pleases), and the objects after the large ones and the FIN
 * behind the last slice, so the stream's bytes are exactly the FETCH_HEADER and the objects in order, FIN last.
 */
class FetchStreamWriterTest
{
    private static final int SLICE = 64 * 1024;
    private static final long REQUEST_ID = 4;

    private final Relay relay = new Relay(RelayConfiguration.from(Map.of()), 1);
    private final EmbeddedMoqTransport transport = new EmbeddedMoqTransport(new EmbeddedChannel().eventLoop());
    private final List<Integer> writeSizes = new ArrayList<>();
    private final ByteBuf received = Unpooled.buffer();
    private boolean fin;
    private boolean writeAfterFin;

    @AfterEach
    void close()
    {
        received.release();
        relay.close();
    }

    @Test
    void largeObjectsGoOutInSlicesAndEverythingAfterThemFollowsInOrder()
    {
        final Random random = new Random(7);
        final int[] sizes = {1 << 20, 2 << 20, 300, 10, (1 << 20) + 1, 5};
        final FetchStreamWriter writer = new FetchStreamWriter(transport, relay.egressLoop(0), Draft.DRAFT_18,
            REQUEST_ID, false, complete -> { });
        writer.start();
        final FetchStreamEncoder expectedEncoder = new FetchStreamEncoder(Draft.DRAFT_18);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        final ByteBuf expected = Unpooled.buffer();
        expected.writeBytes(scratch.byteArray(), 0, expectedEncoder.writeHeader(Draft.DRAFT_18, scratch, 0,
            REQUEST_ID, false));
        for (int i = 0; i < sizes.length; i++)
        {
            final byte[] payload = new byte[sizes[i]];
            random.nextBytes(payload);
            final UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(payload.length + 16));
            log.putBytes(16, payload);
            final long group = i / 2;
            final long object = i % 2;
            writer.writeObject(group, 0, false, object, 128, (int)ObjectStatus.NORMAL, log, 0, 0, 16, payload.length);
            final int n = expectedEncoder.writeObject(scratch, 0, group, 0, false, object, 128, ObjectStatus.NORMAL,
                null, 0, 0, payload.length);
            expected.writeBytes(scratch.byteArray(), 0, n).writeBytes(payload);
        }
        writer.end();

        int turns = 0;
        drain();
        while (!fin && turns++ < 1_000)
        {
            transport.streams.get(0).runPendingTasks(); // the scheduled next slices (the embedded loop runs some early)
            drain();
        }
        try
        {
            assertThat(writeSizes).as("no write to QUIC above %s bytes", SLICE).allMatch(size -> size <= SLICE);
            assertThat(fin).as("the FIN went out, after %s turns", turns).isTrue();
            assertThat(writeAfterFin).as("nothing written after the FIN").isFalse();
            assertThat(writeSizes).as("the large objects' slices").hasSizeGreaterThan((4 << 20) / SLICE);
            assertThat(ByteBufUtil.equals(received, expected)).as("the stream's bytes: FETCH_HEADER, then the %s " +
                "objects in order, byte for byte (got %s bytes, expected %s)", sizes.length, received.readableBytes(),
                expected.readableBytes()).isTrue();
        }
        finally
        {
            expected.release();
        }
    }

    /** Takes the stream's writes as QUIC would, recording each one's size. */
    private void drain()
    {
        Object m;
        while ((m = transport.streams.get(0).outboundMessages().poll()) != null)
        {
            writeAfterFin |= fin;
            final ByteBuf content;
            if (m instanceof QuicStreamFrame)
            {
                content = ((QuicStreamFrame)m).content();
                fin |= ((QuicStreamFrame)m).hasFin();
            }
            else
            {
                content = (ByteBuf)m;
            }
            writeSizes.add(content.readableBytes());
            received.writeBytes(content, content.readerIndex(), content.readableBytes());
            io.netty.util.ReferenceCountUtil.release(m);
        }
        fin |= transport.streams.get(0).isOutputShutdown(); // a FIN by shutdownOutput()
    }
}
