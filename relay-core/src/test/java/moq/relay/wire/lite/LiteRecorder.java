package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.WireException;
import moq.relay.wire.data.BufferBudget;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Records what the lite decoders report, as strings, and checks the frame callback protocol (payload chunks never
 * empty, never more than the frame's length, frames ended exactly once). Payload chunks are joined per frame so the
 * record does not depend on how the bytes were split.
 */
final class LiteRecorder implements LiteMessageSink, LiteFrameHandler
{
    final List<String> events = new ArrayList<>();
    final List<LiteMessage> messages = new ArrayList<>();
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private long frameLength = -1;
    private long frameTimestamp;

    @Override
    public void onMessage(final LiteMessage message)
    {
        events.add("message " + message);
        messages.add(message);
    }

    @Override
    public void onEnd()
    {
        events.add("end");
    }

    @Override
    public void onGroup(final long subscribeId, final long sequence)
    {
        events.add("group " + subscribeId + " " + sequence);
    }

    @Override
    public void onFrame(final long length, final long timestamp)
    {
        if (frameLength >= 0)
        {
            throw new AssertionError("frame header inside a frame");
        }
        frameLength = length;
        frameTimestamp = timestamp;
        payload.reset();
    }

    @Override
    public void onPayload(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length <= 0 || frameLength < 0 || payload.size() + length > frameLength)
        {
            throw new AssertionError("payload chunk of " + length + " outside its frame");
        }
        final byte[] chunk = new byte[length];
        buffer.getBytes(offset, chunk);
        payload.writeBytes(chunk);
    }

    @Override
    public void onFrameEnd()
    {
        if (frameLength < 0 || payload.size() != frameLength)
        {
            throw new AssertionError("frame ended at " + payload.size() + " of " + frameLength);
        }
        events.add("frame " + frameLength + " " + frameTimestamp + " " + Bytes.wrap(payload.toByteArray()).hex());
        frameLength = -1;
    }

    @Override
    public void onStreamEnd()
    {
        if (frameLength >= 0)
        {
            throw new AssertionError("stream ended inside a frame");
        }
        events.add("end");
    }

    /** Feeds a control stream side split at {@code cuts}, then FIN; the events, then the error if any. */
    static List<String> controlOutcome(final LiteVersion version, final LiteStreamSide side, final byte[] bytes,
        final int[] cuts, final BufferBudget budget)
    {
        final LiteRecorder recorder = new LiteRecorder();
        final LiteControlStreamDecoder decoder =
            new LiteControlStreamDecoder(version, side, recorder, LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, budget);
        try
        {
            feed(decoder::onData, bytes, cuts);
            if (decoder.abandoned())
            {
                recorder.events.add("abandoned");
            }
            decoder.onFin();
        }
        catch (final WireException e)
        {
            recorder.events.add("error " + e.error());
        }
        decoder.close();
        return recorder.events;
    }

    /** The messages a control stream side decodes to, fed whole (up to its error, if any). */
    static List<LiteMessage> controlMessages(final LiteVersion version, final LiteStreamSide side, final byte[] bytes)
    {
        final LiteRecorder recorder = new LiteRecorder();
        final LiteControlStreamDecoder decoder = new LiteControlStreamDecoder(version, side, recorder,
            LiteLimits.DEFAULT_MAX_MESSAGE_LENGTH, BufferBudget.UNBOUNDED);
        try
        {
            decoder.onData(new UnsafeBuffer(bytes), 0, bytes.length);
        }
        catch (final WireException e)
        {
            // The messages before the error.
        }
        return recorder.messages;
    }

    /** Feeds a frame stream split at {@code cuts}, then FIN; the events, then the error if any. */
    static List<String> frameOutcome(final LiteVersion version, final LiteFrameDecoder.Mode mode, final byte[] bytes,
        final int[] cuts, final BufferBudget budget)
    {
        final LiteRecorder recorder = new LiteRecorder();
        final LiteFrameDecoder decoder = new LiteFrameDecoder(version, mode, recorder, budget);
        try
        {
            feed(decoder::onData, bytes, cuts);
            if (decoder.abandoned())
            {
                recorder.events.add("abandoned");
            }
            decoder.onFin();
        }
        catch (final WireException e)
        {
            recorder.events.add("error " + e.error());
        }
        decoder.close();
        return recorder.events;
    }

    private static void feed(final moq.relay.wire.data.ChunkSink sink, final byte[] bytes, final int[] cuts)
        throws WireException
    {
        int from = 0;
        for (int i = 0; i <= cuts.length; i++)
        {
            final int to = i < cuts.length ? cuts[i] : bytes.length;
            final byte[] chunk = Arrays.copyOfRange(bytes, from, to);
            if (chunk.length > 0)
            {
                sink.onData(new UnsafeBuffer(chunk), 0, chunk.length);
            }
            from = to;
        }
    }

    static int[] everyByte(final int length)
    {
        final int[] cuts = new int[Math.max(0, length - 1)];
        Arrays.setAll(cuts, i -> i + 1);
        return cuts;
    }

    static int[] randomCuts(final Random random, final int length)
    {
        if (length < 2)
        {
            return new int[0];
        }
        final int mode = random.nextInt(4);
        if (mode == 0)
        {
            return everyByte(length);
        }
        final int count = mode == 1 ? 1 : 1 + random.nextInt(Math.min(length - 1, mode == 2 ? 8 : 64));
        return random.ints(count, 1, length).sorted().distinct().toArray();
    }
}
