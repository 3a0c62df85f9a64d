package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.quic.QuicStreamFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import moq.relay.config.RelayConfiguration;
import moq.relay.engine.Relay;
import moq.relay.fanout.StreamResetCode;
import moq.relay.session.egress.ObjectView;
import moq.relay.session.egress.SubgroupStreamWriter;
import moq.relay.wire.Draft;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the writer hands a subgroup stream: the SUBGROUP_HEADER in front of the first object, each object (header and
 * payload framed in the log) as one write, the FIN in the same write as the subgroup's last object when the end follows
 * it within the engine's pump, and a header of its own only for a subgroup that ends before any object.
 */
class SubgroupStreamWriterTest
{
    private static final long ALIAS = 7;
    private static final int PRIORITY = 128;

    private final Relay relay = new Relay(RelayConfiguration.from(Map.of()), 1);
    private final EmbeddedMoqTransport transport = new EmbeddedMoqTransport(new EmbeddedChannel().eventLoop());
    private final SubgroupStreamWriter writer = new SubgroupStreamWriter(transport, relay.egressLoop(0),
        Draft.DRAFT_18, ALIAS, (status, streams, reason) -> { });

    @AfterEach
    void close()
    {
        relay.close();
    }

    @Test
    void theSubgroupHeaderRidesWithTheFirstObjectAndEachObjectIsOneWrite()
    {
        final ByteBuffer segment = ByteBuffer.allocateDirect(64);
        final UnsafeBuffer log = new UnsafeBuffer(segment);
        log.putBytes(10, new byte[] {1, 2, 3, 4});

        writer.openSubgroup(5, 0, 0, true, PRIORITY);
        writer.writeObject(5, 0, 0, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        writer.writeObject(5, 0, 1, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        writer.endSubgroup(5, 0);

        final SubgroupStreamEncoder expected = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[128]);
        int n = expected.writeHeader(Draft.DRAFT_18, scratch, 0, streamType(), ALIAS, 5, 0, PRIORITY);
        n += expected.writeObject(scratch, n, 0, ObjectStatus.NORMAL, null, 0, 0, 4);
        final byte[] first = concat(bytes(scratch, n), new byte[] {1, 2, 3, 4});
        final int m = expected.writeObject(scratch, 0, 1, ObjectStatus.NORMAL, null, 0, 0, 4);
        final byte[] second = concat(bytes(scratch, m), new byte[] {1, 2, 3, 4});

        final List<Write> written = drain();
        assertThat(written).extracting(Write::kind).containsExactly("view", "fin with view");
        assertThat(written.get(0).bytes()).as("SUBGROUP_HEADER, object header, payload").isEqualTo(first);
        assertThat(written.get(1).bytes()).as("object header, payload, and the FIN").isEqualTo(second);
    }

    @Test
    void aOneFrameGroupsEndOfGroupRidesInTheFramesWriteWithTheFin()
    {
        // The video call's audio (issue #19): each frame its own group and stream, ended by an End of Group object.
        final UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        log.putBytes(10, new byte[] {1, 2, 3, 4});

        writer.openSubgroup(5, 0, 0, true, PRIORITY);
        writer.writeObject(5, 0, 0, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        writer.writeObject(5, 0, 1, PRIORITY, (int)ObjectStatus.END_OF_GROUP, log, 0, 0, 0, 0);
        writer.endSubgroup(5, 0);

        final SubgroupStreamEncoder expected = new SubgroupStreamEncoder(Draft.DRAFT_18);
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[128]);
        int n = expected.writeHeader(Draft.DRAFT_18, scratch, 0, streamType(), ALIAS, 5, 0, PRIORITY);
        n += expected.writeObject(scratch, n, 0, ObjectStatus.NORMAL, null, 0, 0, 4);
        final UnsafeBuffer end = new UnsafeBuffer(new byte[64]);
        final int e = expected.writeObject(end, 0, 1, ObjectStatus.END_OF_GROUP, null, 0, 0, 0);

        final List<Write> written = drain();
        assertThat(written).extracting(Write::kind).as("one write: the frame, its End of Group and the FIN")
            .containsExactly("fin with view");
        assertThat(written.get(0).bytes()).as("SUBGROUP_HEADER, object header, payload, End of Group")
            .isEqualTo(concat(concat(bytes(scratch, n), new byte[] {1, 2, 3, 4}), bytes(end, e)));
        assertThat(writer.viewsInFlight()).isZero();
    }

    @Test
    void theLastObjectLeavesAtTheEndOfThePumpAndALaterEndIsAnEmptyFin()
    {
        final UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        log.putBytes(10, new byte[] {1, 2, 3, 4});

        writer.openSubgroup(5, 0, 0, true, PRIORITY);
        writer.writeObject(5, 0, 0, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        assertThat(drain()).as("held until the engine's next call").isEmpty();
        writer.flush();
        assertThat(drain()).extracting(Write::kind).containsExactly("view");
        writer.endSubgroup(5, 0);
        assertThat(drain()).extracting(Write::kind, Write::bytes).containsExactly(tuple("fin", new byte[0]));
    }

    @Test
    void aHeldObjectOfAResetSubgroupIsReleasedUnsent()
    {
        final UnsafeBuffer log = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        writer.openSubgroup(5, 0, 0, true, PRIORITY);
        writer.openSubgroup(6, 0, 0, true, PRIORITY);
        writer.writeObject(5, 0, 0, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        writer.writeObject(6, 0, 0, PRIORITY, (int)ObjectStatus.NORMAL, log, 0, 0, 10, 4);
        assertThat(writer.viewsInFlight()).isEqualTo(2);
        writer.resetSubgroup(6, 0, StreamResetCode.TOO_FAR_BEHIND);

        assertThat(writer.viewsInFlight()).as("the reset stream's held view went back to the pool unsent").isOne();
        assertThat(transport.streams.get(1).outboundMessages()).as("nothing written to the reset stream").isEmpty();
        assertThat(drain(0)).as("the other stream's object went out when the next call came")
            .extracting(Write::kind).containsExactly("view");
        assertThat(writer.viewsInFlight()).isZero();
    }

    @Test
    void aSubgroupEndedBeforeAnyObjectStillCarriesItsHeader()
    {
        writer.openSubgroup(9, 0, 0, true, PRIORITY);
        writer.endSubgroup(9, 0);

        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[64]);
        final int n = new SubgroupStreamEncoder(Draft.DRAFT_18).writeHeader(Draft.DRAFT_18, scratch, 0,
            streamType(), ALIAS, 9, 0, PRIORITY);
        assertThat(drain()).extracting(Write::kind, Write::bytes)
            .containsExactly(tuple("fin with buffer", bytes(scratch, n)));
    }

    private static int streamType()
    {
        return SubgroupHeaderType.of(Draft.DRAFT_18, true, SubgroupHeaderType.MODE_EXPLICIT, false, false, true);
    }

    /** One write to the stream: an object view, another buffer, or a FIN frame (with either, or empty); its bytes. */
    record Write(String kind, byte[] bytes)
    {
    }

    /** The stream's writes in order, each released afterwards as QUIC would. */
    private List<Write> drain()
    {
        assertThat(transport.streams).hasSize(1);
        return drain(0);
    }

    private List<Write> drain(final int stream)
    {
        final List<Write> out = new ArrayList<>();
        Object m;
        while ((m = transport.streams.get(stream).outboundMessages().poll()) != null)
        {
            if (m instanceof QuicStreamFrame)
            {
                final QuicStreamFrame f = (QuicStreamFrame)m;
                final ByteBuf c = f.content();
                out.add(new Write((f.hasFin() ? "fin" : "frame") +
                    (!c.isReadable() ? "" : c instanceof ObjectView ? " with view" : " with buffer"), bytes(c)));
                f.release();
            }
            else
            {
                final ByteBuf b = (ByteBuf)m;
                out.add(new Write(b instanceof ObjectView ? "view" : "buffer", bytes(b)));
                b.release();
            }
        }
        return out;
    }

    private static byte[] bytes(final ByteBuf b)
    {
        final byte[] a = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), a);
        return a;
    }

    private static byte[] bytes(final UnsafeBuffer b, final int length)
    {
        final byte[] a = new byte[length];
        b.getBytes(0, a);
        return a;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
