package moq.relay.bench;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlCodec;
import moq.relay.wire.ControlFramer;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.WireException;
import moq.relay.wire.WireWriter;
import moq.relay.wire.d14.Draft14ControlCodec;
import moq.relay.wire.d18.Draft18ControlCodec;
import moq.relay.wire.d18.MessageParameters;
import moq.relay.wire.d18.Parameter;
import moq.relay.wire.d18.SubscriptionFilter;
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
 * Decoding one framed SUBSCRIBE (framing + full decode into records) for each draft: a three-field namespace,
 * a track name and the usual parameters (priority, group order, forward, an absolute-start filter). Control
 * messages are rare and may allocate (the records themselves); this measures how much, so regressions show.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class SubscribeDecodeBenchmark
{
    @Param({"DRAFT_14", "DRAFT_18"})
    public String draftName;

    private ControlCodec codec;
    private UnsafeBuffer frame;
    private int frameLength;

    @Setup
    public void setup()
    {
        final TrackNamespace namespace = TrackNamespace.of("example.net", "meeting-42", "alice");
        final Bytes name = Bytes.utf8("video-720p");
        final Location start = new Location(1_234, 0);
        final ControlMessage subscribe;
        if ("DRAFT_18".equals(draftName))
        {
            codec = Draft18ControlCodec.INSTANCE;
            subscribe = new moq.relay.wire.d18.Subscribe(6, namespace, name, MessageParameters.of(
                new Parameter.Forward(true),
                new Parameter.SubscriberPriority(10),
                new Parameter.Filter(SubscriptionFilter.absoluteStart(start)),
                new Parameter.Order(moq.relay.wire.param.GroupOrder.ASCENDING)));
        }
        else
        {
            codec = Draft14ControlCodec.INSTANCE;
            subscribe = new moq.relay.wire.d14.Subscribe(6, namespace, name, 10,
                moq.relay.wire.d14.GroupOrder.ASCENDING, true,
                moq.relay.wire.d14.SubscriptionFilter.absoluteStart(start),
                moq.relay.wire.d14.MessageParameters.EMPTY);
        }
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
        final WireWriter writer = new WireWriter(codec.draft().varint(), frame);
        codec.encode(subscribe, writer);
        frameLength = writer.position();
    }

    @Benchmark
    public ControlMessage decodeSubscribe() throws WireException
    {
        final int length = ControlFramer.frameLength(codec.draft().varint(), frame, 0, frameLength);
        return codec.decode(frame, 0, length);
    }
}
