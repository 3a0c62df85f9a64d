package moq.relay.session;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One object forwarded by the relay, from a publisher's stream bytes to every subscriber's stream writes
 * ({@link ForwardingPath}: ingest decode and copy, engine ring, egress loop, stream writers; QUIC itself is not in
 * it). Score = ns per object; run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per
 * forwarded object. {@code groupLength} shows the per-group cost (a new stream per subscriber and group) amortized.
 * The benchmark thread is a Netty {@code FastThreadLocalThread}, as the relay's event loops are
 * ({@link EventLoopThreadExecutor}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dio.netty.leakDetection.level=disabled", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=moq.relay.session.EventLoopThreadExecutor"})
public class ForwardingBenchmark
{
    @Param({"1", "10", "100"})
    public int subscribers;

    @Param({"4096"})
    public int size;

    @Param({"60", "100000"})
    public int groupLength;

    /** Draft 20: every subscription with Range Filters that pass every object (what evaluating them costs). */
    @Param({"false"})
    public boolean filtered;

    /**
     * Every object with a draft-18 Object Properties block ({0x04: 1}, {0x3C: 100}, {0x3D: 16 bytes}) and every
     * subscriber on draft 14: the egress loop converts each object's properties for each subscriber (what the
     * conversion costs, and that it allocates nothing).
     */
    @Param({"false"})
    public boolean converting;

    /**
     * Each group ends with an End of Group status object before its FIN (the load suite's and moq-dev's publishers;
     * with {@code groupLength=1} the video call's audio: a stream per frame, issue #19).
     */
    @Param({"false"})
    public boolean endOfGroup;

    private ForwardingPath path;


    @Setup(Level.Trial)
    public void setUp()
    {
        path = new ForwardingPath(subscribers, size, groupLength, filtered ? ForwardingPath.PASS_ALL : null,
            converting ? moq.relay.wire.Bytes.fromHex("0401" + "3864" + "0110" + "00".repeat(16)).toByteArray() : null,
            converting ? moq.relay.wire.Draft.DRAFT_14 : moq.relay.wire.Draft.DRAFT_18, endOfGroup);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (converting && path.relay().egressLoop(0).counters().propertiesConverted() < path.payloadViews)
        {
            throw new IllegalStateException("properties not converted for every object written");
        }
        if (path.mismatches != 0 || path.payloadViews == 0)
        {
            throw new IllegalStateException("forwarding broke: " + path.payloadViews + " views, " + path.mismatches +
                " mismatched");
        }
        path.close();
    }

    @Benchmark
    public int forwardOne()
    {
        return path.forwardOne();
    }
}
