package moq.relay.session.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An object view reads as the object's header followed by the segment's payload bytes (not a copy), hands QUIC the
 * two parts through {@code nioBuffers} from any reader index, reports every release and is reused per segment.
 */
class ObjectViewsTest
{
    private static final byte[] HEADER = "HDR".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aViewIsTheHeaderThenTheSegmentsPayloadBytes()
    {
        final ByteBuffer segment = segment("....payload!....");
        final ObjectView v = frame(new ObjectViews(() -> { }).view(segment), 4, 7);

        assertThat(v.isDirect()).as("direct, with or without Unsafe (the pom's without-unsafe run)").isTrue();
        assertThat(v.readableBytes()).isEqualTo(HEADER.length + 7);
        assertThat(string(v)).isEqualTo("HDRpayload");
        assertThat(v.getByte(3)).isEqualTo((byte)'p');
        assertThat(v.getInt(1)).as("a read across the two parts").isEqualTo(('D' << 24) | ('R' << 16) | ('p' << 8) | 'a');
        assertThat(v.copy().toString(StandardCharsets.US_ASCII)).isEqualTo("HDRpayload");
        segment.put(4, (byte)'P');
        assertThat(string(v)).as("a view, not a copy").isEqualTo("HDRPayload");
        assertThatThrownBy(() -> v.setByte(0, 1)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void quicReadsBothPartsFromAnyReaderIndex()
    {
        final ObjectView v = frame(new ObjectViews(() -> { }).view(segment("....payload!....")), 4, 7);

        assertThat(v.nioBufferCount()).isEqualTo(2);
        assertThat(concat(v.nioBuffers())).isEqualTo("HDRpayload");
        v.skipBytes(2); // quiche took part of the header: the rest is sent later from here
        assertThat(concat(v.nioBuffers())).isEqualTo("Rpayload");
        v.skipBytes(3);
        assertThat(v.nioBuffers()).as("past the header: the payload part only").hasSize(1);
        assertThat(concat(v.nioBuffers())).isEqualTo("yload");
        assertThat(concat(v.nioBuffers(0, 2))).as("a range within the header").isEqualTo("HD");
    }

    @Test
    void aTrailerFollowsThePayloadInEveryReadAndGoesWithTheNextFrame()
    {
        final ObjectViews views = new ObjectViews(() -> { });
        final ObjectView v = frame(views.view(segment("....payload!....")), 4, 7);
        v.header().putBytes(ObjectView.TRAILER_OFFSET, "EOG".getBytes(StandardCharsets.US_ASCII));
        assertThat(v.trail(3)).isTrue();
        assertThat(v.trail(1)).as("one trailer per view").isFalse();

        assertThat(v.readableBytes()).isEqualTo(HEADER.length + 7 + 3);
        assertThat(string(v)).isEqualTo("HDRpayloadEOG");
        assertThat(v.getByte(11)).isEqualTo((byte)'O');
        assertThat(v.getInt(8)).as("a read across payload and trailer")
            .isEqualTo(('a' << 24) | ('d' << 16) | ('E' << 8) | 'O');
        assertThat(v.copy().toString(StandardCharsets.US_ASCII)).isEqualTo("HDRpayloadEOG");
        final ByteBuffer into = ByteBuffer.allocate(5);
        v.getBytes(6, into);
        assertThat(new String(into.array(), StandardCharsets.US_ASCII)).isEqualTo("loadE");
        assertThat(v.nioBufferCount()).isEqualTo(3);
        assertThat(v.nioBuffers()).hasSize(3);
        assertThat(concat(v.nioBuffers())).isEqualTo("HDRpayloadEOG");
        v.skipBytes(5); // quiche took part of it: the rest is sent later from here
        assertThat(v.nioBuffers()).as("payload and trailer").hasSize(2);
        assertThat(concat(v.nioBuffers())).isEqualTo("yloadEOG");
        v.skipBytes(6);
        assertThat(v.nioBuffers()).as("the trailer only").hasSize(1);
        assertThat(concat(v.nioBuffers())).isEqualTo("OG");
        assertThat(concat(v.nioBuffers(0, 5))).as("a range without the trailer").isEqualTo("HDRpa");
        assertThat(v.nioBuffers(0, 5)).hasSize(2);

        v.release();
        final ObjectView again = frame(views.view(v.segment()), 4, 7);
        assertThat(again).isSameAs(v);
        assertThat(string(again)).as("a reused view has no trailer").isEqualTo("HDRpayload");
        assertThat(again.nioBufferCount()).isEqualTo(2);
    }

    @Test
    void viewsOfAJumboSegmentAreNotKept()
    {
        final AtomicInteger released = new AtomicInteger();
        final ObjectViews views = new ObjectViews(released::incrementAndGet);
        final ByteBuffer segment = ByteBuffer.allocateDirect(1024);
        final ByteBuffer jumbo = ByteBuffer.allocateDirect(3 * 1024); // a large object's own segment
        final ObjectView s = views.view(segment);
        s.release();
        assertThat(views.view(segment)).as("a segment's view is reused").isSameAs(s);
        final ObjectView j = views.view(jumbo);
        j.release();
        assertThat(released.get()).isEqualTo(2);
        assertThat(views.view(jumbo)).as("the store may free a jumbo segment: its views are not kept").isNotSameAs(j);
    }

    @Test
    void viewsReportReleasesAndAreReusedPerSegment()
    {
        final AtomicInteger released = new AtomicInteger();
        final ObjectViews views = new ObjectViews(released::incrementAndGet);
        final ByteBuffer a = ByteBuffer.allocateDirect(1024);
        final ByteBuffer b = ByteBuffer.allocateDirect(1024);

        final ObjectView first = frame(views.view(a), 100, 10);
        assertThat(first.release()).isTrue();
        assertThat(released).hasValue(1);
        assertThat(first.refCnt()).as("ready for reuse").isEqualTo(1);

        final ObjectView onB = frame(views.view(b), 0, 5);
        assertThat(onB).isNotSameAs(first);
        final ObjectView again = frame(views.view(a), 200, 20);
        assertThat(again).as("a's view comes back after a detour to another segment").isSameAs(first);
        assertThat(again.readableBytes()).isEqualTo(HEADER.length + 20);
        onB.release();
        again.release();
        assertThat(released).hasValue(3);
    }

    @Test
    void thePoolIsBounded()
    {
        final ObjectViews views = new ObjectViews(() -> { });
        final ByteBuffer a = ByteBuffer.allocateDirect(1024);
        final List<ByteBuf> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            inFlight.add(frame(views.view(a), i, 1));
        }
        inFlight.forEach(ByteBuf::release);
        final List<ByteBuf> reused = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            reused.add(frame(views.view(a), i, 1));
        }
        assertThat(reused.stream().filter(v -> inFlight.stream().anyMatch(o -> o == v)).count())
            .as("only 64 views are kept").isEqualTo(64);
    }

    private static ObjectView frame(final ObjectView v, final int offset, final int length)
    {
        v.header().putBytes(0, HEADER);
        return v.frame(HEADER.length, offset, length);
    }

    private static ByteBuffer segment(final String content)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(content.length());
        b.put(content.getBytes(StandardCharsets.US_ASCII)).clear();
        return b;
    }

    private static String string(final ByteBuf v)
    {
        final byte[] bytes = new byte[v.readableBytes()];
        v.getBytes(v.readerIndex(), bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static String concat(final ByteBuffer[] parts)
    {
        final StringBuilder s = new StringBuilder();
        for (final ByteBuffer p : parts)
        {
            final ByteBuffer d = p.duplicate();
            while (d.hasRemaining())
            {
                s.append((char)d.get());
            }
        }
        return s.toString();
    }
}
