package moq.relay.bench;

import moq.relay.wire.Draft;
import moq.relay.wire.WireException;
import moq.relay.wire.data.DataStreamDecoder;
import moq.relay.wire.data.DataStreamHandler;
import moq.relay.wire.data.ObjectHeader;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.data.SubgroupHeader;
import moq.relay.wire.data.SubgroupHeaderType;
import moq.relay.wire.data.SubgroupStreamEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Decoding the start of a subgroup stream off-heap: SUBGROUP_HEADER, one object header and its payload
 * (100 B or 1200 B, delivered as one chunk), for each draft. The handler only folds the callback values into
 * a checksum, so the figures are the decoder's own cost. Run with {@code -prof gc}: the goal is
 * {@code gc.alloc.rate.norm} = 0 B/op.
 *
 * <ul>
 *   <li>{@code streamStart}: a fresh stream per op ({@code reset}, header, object, payload) in one chunk.</li>
 *   <li>{@code splitHeader}: the same bytes in three chunks, the stream and object headers both cut mid-varint,
 *       so the scratch-buffer path is measured too.</li>
 *   <li>{@code nextObject}: steady state, one more object header + payload on an open stream.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SubgroupDecodeBenchmark
{
    @Param({"DRAFT_14", "DRAFT_18"})
    public String draftName;

    @Param({"100", "1200"})
    public int payloadSize;

    private Draft draft;
    private final Handler handler = new Handler();
    private DataStreamDecoder decoder;
    private DataStreamDecoder steadyDecoder;
    private UnsafeBuffer stream;
    private int streamLength;
    private int cut1;
    private int cut2;
    private UnsafeBuffer object;
    private int objectLength;

    @Setup
    public void setup() throws WireException
    {
        draft = Draft.valueOf(draftName);
        // Off-heap, as the QUIC stack hands data over.
        stream = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        object = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        final SubgroupStreamEncoder encoder = new SubgroupStreamEncoder(draft);
        // Explicit subgroup id, publisher priority present; multi-byte alias/group/subgroup to exercise varints.
        final int type = SubgroupHeaderType.of(draft, false, SubgroupHeaderType.MODE_EXPLICIT, false, false, false);
        final int header = encoder.writeHeader(draft, stream, 0, type, 1234, 567_890, 3, 128);
        final int objectHeader = encoder.writeObject(stream, header, 70_000, ObjectStatus.NORMAL, null, 0, 0, payloadSize);
        for (int i = 0; i < payloadSize; i++)
        {
            stream.putByte(header + objectHeader + i, (byte)i);
        }
        streamLength = header + objectHeader + payloadSize;
        cut1 = 3;                      // inside the 4-byte group id (both schemes)
        cut2 = header + 2;             // inside the object id varint
        // Steady state: delta 0 objects (ids ascend by one), same payload.
        final int next = encoder.writeObject(object, 0, 70_001, ObjectStatus.NORMAL, null, 0, 0, payloadSize);
        object.putBytes(next, stream, header + objectHeader, payloadSize);
        objectLength = next + payloadSize;

        decoder = new DataStreamDecoder(draft, handler, 1024);
        steadyDecoder = new DataStreamDecoder(draft, handler, 1024);
        steadyDecoder.onData(stream, 0, streamLength);
    }

    @Benchmark
    public long streamStart() throws WireException
    {
        decoder.reset(draft);
        decoder.onData(stream, 0, streamLength);
        return handler.checksum;
    }

    @Benchmark
    public long splitHeader() throws WireException
    {
        decoder.reset(draft);
        decoder.onData(stream, 0, cut1);
        decoder.onData(stream, cut1, cut2 - cut1);
        decoder.onData(stream, cut2, streamLength - cut2);
        return handler.checksum;
    }

    @Benchmark
    public long nextObject() throws WireException
    {
        steadyDecoder.onData(object, 0, objectLength);
        return handler.checksum;
    }

    /** Folds what a relay would read from each callback into a checksum the benchmark returns. */
    static final class Handler implements DataStreamHandler
    {
        long checksum;

        @Override
        public void onSubgroupHeader(final SubgroupHeader header)
        {
            checksum += header.trackAlias() + header.groupId() + header.subgroupId() + header.publisherPriority();
        }

        @Override
        public boolean onFetchHeader(final long requestId)
        {
            checksum += requestId;
            return false;
        }

        @Override
        public void onObjectHeader(final ObjectHeader header)
        {
            checksum += header.objectId() + header.payloadLength() + header.status();
        }

        @Override
        public void onPayload(final DirectBuffer buffer, final int offset, final int length)
        {
            checksum += buffer.getByte(offset) + length;
        }

        @Override
        public void onObjectEnd()
        {
            checksum++;
        }

        @Override
        public void onEndOfRange(final long groupId, final long objectId, final boolean unknown)
        {
            checksum += groupId + objectId;
        }

        @Override
        public void onStreamEnd()
        {
            checksum++;
        }
    }
}
