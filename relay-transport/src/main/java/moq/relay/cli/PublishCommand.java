package moq.relay.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import moq.relay.client.MoqClient;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.lite.LiteVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code publish}: connects, announces the namespace (PUBLISH_NAMESPACE), and publishes one track, either from stdin
 * (cut into objects of {@code --object-size} bytes) or as a generated test pattern whose payloads start with a send
 * timestamp ({@link PayloadStamp}). Each group is one subgroup stream ending with an End of Group object; the track
 * ends with PUBLISH_DONE (TRACK_ENDED).
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
        "Publish a track to a MoQT relay over raw QUIC (draft 18, 20 or 14, or moq-lite with --protocol): from "
            + "stdin, or a generated test pattern whose payloads carry a send timestamp for 'subscribe --latency'.",
        "Exit codes: 0 done, 1 connection or request failure, 2 usage error."})
public final class PublishCommand implements Callable<Integer>
{
    @Mixin
    ClientOptions connection;

    @Option(names = "--fmp4", description = "Publish a fragmented MP4 from stdin as the hang broadcast --broadcast "
        + "NAME (catalog.json, video/hd, audio/data; H.264, AAC or Opus), e.g. from ffmpeg -f mp4 -movflags "
        + "cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame -. Waits up to --wait-subscriber seconds "
        + "for every media track to have a subscriber before reading on.")
    boolean fmp4;

    @Option(names = "--max-box", defaultValue = "33554432",
        description = "With --fmp4: largest MP4 box accepted, in bytes (a frame's mdat) (default: ${DEFAULT-VALUE}).")
    int maxBoxBytes;

    @Option(names = "--stdin", description = "Publish stdin instead of the test pattern; ends at end of input.")
    boolean stdin;

    @Option(names = "--object-size", defaultValue = "1024",
        description = "Payload bytes per object; stdin is cut into objects of this size, the pattern needs at least "
            + PayloadStamp.LENGTH + " (default: ${DEFAULT-VALUE}).")
    int objectSize;

    @Option(names = "--rate", defaultValue = "30",
        description = "Objects per second; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--group-length", defaultValue = "30",
        description = "Objects per group (one subgroup stream per group) (default: ${DEFAULT-VALUE}).")
    int groupLength;

    @Option(names = "--count", defaultValue = "0",
        description = "Stop after this many objects; 0 = no limit (pattern: then --duration or Ctrl-C).")
    long count;

    @Option(names = "--duration", defaultValue = "0",
        description = "Stop after this many seconds; 0 = no limit.")
    double durationSeconds;

    @Option(names = "--priority", defaultValue = "128", description = "Publisher priority 0..255 (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--datagrams", description = "Send objects as OBJECT_DATAGRAMs instead of subgroup streams "
        + "(objects must fit a QUIC datagram, about 1150 bytes).")
    boolean datagrams;

    @Option(names = "--publish", description = "Also offer the track with PUBLISH (instead of only waiting for "
        + "SUBSCRIBE).")
    boolean sendPublish;

    @Option(names = "--no-announce", description = "Skip PUBLISH_NAMESPACE.")
    boolean noAnnounce;

    @Option(names = "--wait-subscriber", defaultValue = "30",
        description = "Seconds to wait for a first subscriber before sending; objects without subscribers are "
            + "dropped; 0 = do not wait (default: ${DEFAULT-VALUE}).")
    int waitSubscriberSeconds;

    @Option(names = "--max-queued", defaultValue = "8388608",
        description = "Pause reading or generating while this many bytes wait for QUIC flow control "
            + "(default: ${DEFAULT-VALUE}).")
    long maxQueuedBytes;

    @Option(names = "--linger", defaultValue = "1",
        description = "Seconds to keep the session open after PUBLISH_DONE so queued data drains (default: "
            + "${DEFAULT-VALUE}).")
    double lingerSeconds;

    @Override
    public Integer call() throws InterruptedException
    {
        final String problem = connection.trackProblem();
        if (problem != null || fmp4 != connection.isBroadcast())
        {
            System.err.println("publish: " + (problem != null ? problem : "--fmp4 and --broadcast go together"));
            return 2;
        }
        final LiteVersion lite;
        try
        {
            lite = connection.liteVersion(); // --protocol moqt-N sets the draft
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("publish: " + e.getMessage());
            return 2;
        }
        if (lite != null && (fmp4 || datagrams || sendPublish))
        {
            System.err.println("publish: --fmp4, --datagrams and --publish are MoQT only");
            return 2;
        }
        if (fmp4)
        {
            return new Fmp4Publish(connection, maxBoxBytes, waitSubscriberSeconds, maxQueuedBytes, lingerSeconds)
                .run(System.in);
        }
        if (objectSize < (stdin ? 1 : PayloadStamp.LENGTH) || groupLength < 1 || rate < 0 || priority < 0 ||
            priority > 255)
        {
            System.err.println("publish: --object-size must be >= " + (stdin ? 1 : PayloadStamp.LENGTH) +
                ", --group-length >= 1, --rate >= 0, --priority 0..255");
            return 2;
        }
        if (lite != null)
        {
            return new LitePublish(this, connection, lite).run();
        }
        final MoqClient client;
        try
        {
            client = connection.connect("publish");
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        return run(client::close, () ->
        {
            System.err.println("publish: connected, draft " + client.draft().number());
            if (!noAnnounce)
            {
                client.publishNamespace(connection.trackNamespace()).get(10, TimeUnit.SECONDS);
                System.err.println("publish: namespace " + connection.trackNamespace() + " accepted");
            }
            final TrackPublisher track = client.track(connection.trackNamespace(), connection.trackName(), priority);
            if (sendPublish)
            {
                track.publish().get(10, TimeUnit.SECONDS);
                System.err.println("publish: PUBLISH accepted");
            }
            awaitFirstSubscriber(track.firstSubscriber());
            final long sent = publish(track);
            track.finish(0x2, "track ended");
            System.err.println("publish: sent " + sent + " objects, PUBLISH_DONE");
            Thread.sleep((long)(lingerSeconds * 1000));
            return 0;
        });
    }

    /** Publishes on a connected client and ends the track: the exit code. */
    interface Publishing
    {
        int run() throws ExecutionException, TimeoutException, IOException, InterruptedException;
    }

    /**
     * Runs {@code publishing} (the same for MoQT and moq-lite): its exit code, or 1 when it failed (said on stderr);
     * then {@code close}s the client.
     */
    int run(final Runnable close, final Publishing publishing) throws InterruptedException
    {
        try
        {
            return publishing.run();
        }
        catch (final ExecutionException e)
        {
            System.err.println("publish: " + e.getCause().getMessage());
            return 1;
        }
        catch (final TimeoutException e)
        {
            System.err.println("publish: no answer from the server");
            return 1;
        }
        catch (final IOException e)
        {
            System.err.println("publish: reading stdin: " + e.getMessage());
            return 1;
        }
        finally
        {
            close.run();
        }
    }

    /** With {@code --wait-subscriber}: waits that long for {@code first} (the track's first subscriber), then goes on. */
    void awaitFirstSubscriber(final CompletableFuture<Void> first) throws InterruptedException, ExecutionException
    {
        if (waitSubscriberSeconds > 0)
        {
            try
            {
                first.get(waitSubscriberSeconds, TimeUnit.SECONDS);
            }
            catch (final TimeoutException e)
            {
                System.err.println("publish: no subscriber after " + waitSubscriberSeconds + " s; sending anyway");
            }
        }
    }

    private long publish(final TrackPublisher track) throws IOException
    {
        final SubgroupWriter[] writer = new SubgroupWriter[1];
        final long sent = produce((sequence, payload) ->
            writer[0] = send(track, writer[0], sequence / groupLength, sequence % groupLength, payload));
        endGroup(writer[0], sent);
        return sent;
    }

    /** Takes each object {@link #produce} makes: its sequence number from 0, its payload (ownership passes on). */
    interface ObjectSink
    {
        void send(long sequence, ByteBuf payload);
    }

    /**
     * Makes the objects, paced by {@code --rate} and ended by {@code --count} / {@code --duration} (or stdin's end):
     * the stamped pattern of {@code --object-size} bytes, or stdin cut into chunks of that size. The publish tools
     * over MoQT and moq-lite both send these. Returns how many were made.
     */
    long produce(final ObjectSink sink) throws IOException
    {
        final InputStream in = System.in;
        final Pacer pacer = new Pacer(rate, durationSeconds);
        final byte[] chunk = stdin ? new byte[objectSize] : null;
        long sequence = 0;
        while ((count == 0 || sequence < count) && pacer.await())
        {
            final ByteBuf payload;
            if (stdin)
            {
                final int n = in.readNBytes(chunk, 0, objectSize);
                if (n <= 0)
                {
                    break;
                }
                payload = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(chunk, 0, n);
            }
            else
            {
                payload = PooledByteBufAllocator.DEFAULT.directBuffer(objectSize);
                for (int i = PayloadStamp.LENGTH; i < objectSize; i++)
                {
                    payload.setByte(i, (int)(sequence + i));
                }
                payload.writerIndex(objectSize);
                PayloadStamp.write(payload, sequence);
            }
            sink.send(sequence++, payload);
        }
        return sequence;
    }

    /** Sends one object (ownership of {@code payload} passes on); opens the group's subgroup on its first object. */
    private SubgroupWriter send(final TrackPublisher track, final SubgroupWriter current, final long group,
        final long object, final ByteBuf payload)
    {
        if (datagrams)
        {
            track.sendDatagram(group, object, payload);
            return null;
        }
        while (track.queuedBytes() > maxQueuedBytes)
        {
            // Back-pressure: let QUIC drain before producing more.
            LockSupport.parkNanos(200_000);
        }
        SubgroupWriter writer = current;
        if (object == 0)
        {
            if (writer != null)
            {
                writer.endGroup(groupLength);
            }
            writer = track.openSubgroup(group, 0);
        }
        writer.write(object, payload);
        return writer;
    }

    private void endGroup(final SubgroupWriter writer, final long sequence)
    {
        if (writer != null)
        {
            final long inGroup = sequence % groupLength;
            writer.endGroup(inGroup == 0 ? groupLength : inGroup);
        }
    }

    /** Paces objects at a rate and stops at a deadline. */
    static final class Pacer
    {
        private final long intervalNanos;
        private final long deadline;
        private long next = System.nanoTime();

        Pacer(final double rate, final double durationSeconds)
        {
            this.intervalNanos = rate <= 0 ? 0 : (long)(1e9 / rate);
            this.deadline = durationSeconds <= 0 ? Long.MAX_VALUE : System.nanoTime() + (long)(durationSeconds * 1e9);
        }

        boolean await()
        {
            if (intervalNanos > 0)
            {
                long wait;
                while ((wait = next - System.nanoTime()) > 0)
                {
                    LockSupport.parkNanos(wait);
                }
                next += intervalNanos;
            }
            return System.nanoTime() < deadline;
        }
    }
}
