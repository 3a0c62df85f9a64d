package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Payload views frame the segment's bytes without copying, report every release, and are reused per segment. */
class PayloadViewsTest
{
    @Test
    void viewsFrameTheSegmentReportReleasesAndAreReusedPerSegment()
    {
        final AtomicInteger released = new AtomicInteger();
        final PayloadViews views = new PayloadViews(released::incrementAndGet);
        final ByteBuffer a = ByteBuffer.allocateDirect(1024);
        final ByteBuffer b = ByteBuffer.allocateDirect(1024);
        a.put(100, (byte)42);

        final ByteBuf first = views.view(a, 100, 10);
        assertThat(first.isDirect()).as("direct, with or without Unsafe (the pom's without-unsafe run)").isTrue();
        assertThat(first.readableBytes()).isEqualTo(10);
        assertThat(first.getByte(first.readerIndex())).as("the segment's own bytes").isEqualTo((byte)42);
        a.put(100, (byte)43);
        assertThat(first.getByte(first.readerIndex())).as("a view, not a copy").isEqualTo((byte)43);
        assertThat(first.release()).isTrue();
        assertThat(released).hasValue(1);
        assertThat(first.refCnt()).as("ready for reuse").isEqualTo(1);

        final ByteBuf onB = views.view(b, 0, 5);
        assertThat(onB).isNotSameAs(first);
        final ByteBuf again = views.view(a, 200, 20);
        assertThat(again).as("a's view comes back after a detour to another segment").isSameAs(first);
        assertThat(again.readerIndex()).isEqualTo(200);
        assertThat(again.readableBytes()).isEqualTo(20);
        onB.release();
        again.release();
        assertThat(released).hasValue(3);
    }

    @Test
    void thePoolIsBounded()
    {
        final PayloadViews views = new PayloadViews(() -> { });
        final ByteBuffer a = ByteBuffer.allocateDirect(1024);
        final List<ByteBuf> inFlight = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            inFlight.add(views.view(a, i, 1));
        }
        inFlight.forEach(ByteBuf::release);
        final List<ByteBuf> reused = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            reused.add(views.view(a, i, 1));
        }
        assertThat(reused.stream().filter(v -> inFlight.stream().anyMatch(o -> o == v)).count())
            .as("only 64 views are kept").isEqualTo(64);
    }
}
