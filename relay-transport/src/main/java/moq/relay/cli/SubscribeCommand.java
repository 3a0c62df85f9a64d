package moq.relay.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import moq.relay.client.Filter;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SessionClose;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.SubscriptionListener;
import moq.relay.wire.Location;
import moq.relay.wire.data.ObjectStatus;
import moq.relay.wire.lite.LiteVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code subscribe}: connects, subscribes to one track, and writes the payloads to stdout or a file, or prints
 * per-object latency from the {@code publish} pattern's stamp ({@link PayloadStamp}) and a summary. Exits when the
 * publisher ends the track (PUBLISH_DONE) or after {@code --count} objects or {@code --duration} seconds.
 */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
        "Subscribe to a track on a MoQT relay over raw QUIC (draft 18, 20 or 14, or moq-lite with --protocol); "
            + "write payloads to stdout or a file, "
            + "or print per-object latency (payloads from 'publish') and a summary on stderr.",
        "Exit codes: 0 track ended or limit reached, 1 connection failure, rejected subscription or session closed, "
            + "2 usage error."})
public final class SubscribeCommand implements Callable<Integer>
{
    @Mixin
    ClientOptions connection;

    @Option(names = "--start", paramLabel = "GROUP/OBJECT",
        description = "Start at this location (AbsoluteStart filter); default: the latest object (LargestObject).")
    String start;

    @Option(names = "--next-group", description = "Start at the next group (NextGroupStart filter).")
    boolean nextGroup;

    @Option(names = "--priority", defaultValue = "128",
        description = "Subscriber priority 0 (highest)..255 (default: ${DEFAULT-VALUE}).")
    int priority;

    @Option(names = "--output", paramLabel = "FILE",
        description = "Write payloads to FILE ('-' = stdout). Default: stdout, unless --latency is given. With "
            + "--broadcast: the broadcast's first video and audio rendition as a fragmented MP4.")
    String output;

    @Option(names = "--latency", description = "Print one line per object on stdout: group, object, size and "
        + "latency in ms from the publisher's stamp.")
    boolean latency;

    @Option(names = "--count", defaultValue = "0", description = "Exit after this many objects with payload; 0 = no limit.")
    long count;

    @Option(names = "--duration", defaultValue = "0", description = "Exit after this many seconds; 0 = no limit.")
    double durationSeconds;

    @Option(names = "--quiet", description = "No summary on stderr.")
    boolean quiet;

    final Stats stats = new Stats();

    @Override
    public Integer call() throws InterruptedException
    {
        final String problem = connection.trackProblem();
        if (problem != null || connection.isBroadcast() && (output == null || latency))
        {
            System.err.println("subscribe: " + (problem != null ? problem : "--broadcast needs --output FILE " +
                "(an MP4; '-' = stdout) and no --latency"));
            return 2;
        }
        if (connection.isBroadcast())
        {
            return new BroadcastRecording(connection, output, durationSeconds, quiet).run();
        }
        final LiteVersion lite;
        try
        {
            lite = connection.liteVersion(); // --protocol moqt-N sets the draft
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("subscribe: " + e.getMessage());
            return 2;
        }
        if (lite != null && (start != null || nextGroup))
        {
            System.err.println("subscribe: moq-lite subscriptions start at the latest group (no --start, --next-group)");
            return 2;
        }
        final SubscribeOptions options;
        final OutputStream payloadOut;
        try
        {
            options = new SubscribeOptions(filter(), priority, false, true);
            payloadOut = payloadOutput();
        }
        catch (final IllegalArgumentException | IOException e)
        {
            System.err.println("subscribe: " + e.getMessage());
            return 2;
        }
        if (lite != null)
        {
            return new LiteSubscribe(this, connection, lite).run(payloadOut);
        }
        final MoqClient client;
        try
        {
            client = connection.connect("subscribe");
        }
        catch (final ClientOptions.CannotConnect e)
        {
            return e.exitCode;
        }
        final CompletableFuture<Integer> finished = new CompletableFuture<>();
        final PrintStream lines = System.out;
        return follow(client::close, payloadOut, lines, () ->
        {
            final Subscription sub = client.subscribe(connection.trackNamespace(), connection.trackName(), options,
                new SubscriptionListener()
                {
                    @Override
                    public void onObject(final ReceivedObject o)
                    {
                        received(o, payloadOut, lines, finished);
                    }

                    @Override
                    public void onPublishDone(final long statusCode, final long streamCount, final String reason)
                    {
                        if (!quiet)
                        {
                            System.err.println("subscribe: PUBLISH_DONE status 0x" + Long.toHexString(statusCode) +
                                (reason.isEmpty() ? "" : " (" + reason + ")"));
                        }
                        finished.complete(0);
                    }

                    @Override
                    public void onSessionClosed(final SessionClose close)
                    {
                        System.err.println("subscribe: session " + close);
                        finished.complete(1);
                    }
                }).get(connection.connectTimeoutSeconds, TimeUnit.SECONDS);
            if (!quiet)
            {
                System.err.println("subscribe: subscribed (draft " + client.draft().number() + ", alias " +
                    sub.trackAlias() + ", largest " + sub.largest() + ")");
            }
            return awaitEnd(client.closed(), finished);
        });
    }

    /** The subscription's exit code: 1 once the session is {@code closed}, 0 at the end of {@code --duration}. */
    int awaitEnd(final CompletableFuture<?> closed, final CompletableFuture<Integer> finished)
        throws InterruptedException, ExecutionException
    {
        closed.thenRun(() -> finished.complete(1));
        return untilEnd(finished, durationSeconds);
    }

    /** The exit code {@code finished} completes with, or 0 once {@code durationSeconds} passed (when above 0). */
    static int untilEnd(final CompletableFuture<Integer> finished, final double durationSeconds)
        throws InterruptedException, ExecutionException
    {
        return durationSeconds > 0
            ? finished.completeOnTimeout(0, (long)(durationSeconds * 1000), TimeUnit.MILLISECONDS).get()
            : finished.get();
    }

    /** Subscribes, then waits for the subscription's end: its exit code. */
    interface Subscribing
    {
        int run() throws ExecutionException, TimeoutException, InterruptedException;
    }

    /**
     * Runs {@code subscribing} (the same for MoQT and moq-lite): its exit code, or 1 when the subscription failed (said
     * on stderr); then {@code close}s the client and finishes the output.
     */
    int follow(final Runnable close, final OutputStream payloadOut, final PrintStream lines,
        final Subscribing subscribing) throws InterruptedException
    {
        try
        {
            return subscribing.run();
        }
        catch (final ExecutionException e)
        {
            System.err.println("subscribe: " + e.getCause().getMessage());
            return 1;
        }
        catch (final TimeoutException e)
        {
            System.err.println("subscribe: no answer to SUBSCRIBE");
            return 1;
        }
        finally
        {
            close.run();
            finish(payloadOut, lines);
        }
    }

    /** After the subscription: the payload output flushed (and closed unless stdout), the lines, the summary. */
    private void finish(final OutputStream payloadOut, final PrintStream lines)
    {
        try
        {
            payloadOut.flush();
            if (payloadOut != System.out && payloadOut != null)
            {
                payloadOut.close();
            }
        }
        catch (final IOException e)
        {
            System.err.println("subscribe: writing output: " + e.getMessage());
        }
        lines.flush();
        if (!quiet)
        {
            System.err.println(stats.summary());
        }
    }

    private Filter filter()
    {
        if (start != null)
        {
            final String[] parts = start.split("/");
            if (parts.length != 2)
            {
                throw new IllegalArgumentException("--start must be GROUP/OBJECT: " + start);
            }
            return Filter.absoluteStart(new Location(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        }
        return nextGroup ? Filter.nextGroupStart() : Filter.largestObject();
    }

    private OutputStream payloadOutput() throws IOException
    {
        if (output == null)
        {
            return latency ? OutputStream.nullOutputStream() : new BufferedOutputStream(System.out, 1 << 16);
        }
        return "-".equals(output)
            ? new BufferedOutputStream(System.out, 1 << 16)
            : new BufferedOutputStream(Files.newOutputStream(Path.of(output)), 1 << 16);
    }

    /** On the client's event loop. */
    private void received(final ReceivedObject o, final OutputStream out, final PrintStream lines,
        final CompletableFuture<Integer> finished)
    {
        if (o.status() != ObjectStatus.NORMAL)
        {
            return;
        }
        deliver(o.groupId(), o.objectId(), o.payload(), o.payloadLength(), out, lines, finished);
    }

    /** One payload (a MoQT object or a moq-lite frame): output, latency line, stats. On the client's event loop. */
    void deliver(final long groupId, final long objectId, final io.netty.buffer.ByteBuf payload,
        final int payloadLength, final OutputStream out, final PrintStream lines,
        final CompletableFuture<Integer> finished)
    {
        final long sent = PayloadStamp.sentMicros(payload);
        final double latencyMillis = sent < 0 ? Double.NaN : (PayloadStamp.nowMicros() - sent) / 1000.0;
        stats.add(payloadLength, latencyMillis);
        try
        {
            payload.getBytes(payload.readerIndex(), out, payloadLength);
        }
        catch (final IOException e)
        {
            System.err.println("subscribe: writing output: " + e.getMessage());
            finished.complete(1);
            return;
        }
        if (latency)
        {
            lines.printf(Locale.ROOT, "%d/%d %d bytes %.3f ms%n", groupId, objectId, payloadLength, latencyMillis);
        }
        if (count > 0 && stats.objects >= count)
        {
            finished.complete(0);
        }
    }

    /** Object count, bytes and latency distribution; written on the event loop, read after it stopped. */
    static final class Stats
    {
        private long objects;
        private long bytes;
        private double[] latencies = new double[1024];
        private int stamped;

        synchronized void add(final int size, final double latencyMillis)
        {
            objects++;
            bytes += size;
            if (!Double.isNaN(latencyMillis))
            {
                if (stamped == latencies.length)
                {
                    latencies = Arrays.copyOf(latencies, stamped * 2);
                }
                latencies[stamped++] = latencyMillis;
            }
        }

        synchronized String summary()
        {
            final StringBuilder s = new StringBuilder("subscribe: ").append(objects).append(" objects, ")
                .append(bytes).append(" bytes");
            if (stamped > 0)
            {
                final double[] sorted = Arrays.copyOf(latencies, stamped);
                Arrays.sort(sorted);
                s.append(String.format(Locale.ROOT, "; latency ms min %.3f p50 %.3f p99 %.3f max %.3f avg %.3f",
                    sorted[0], sorted[stamped / 2], sorted[Math.min(stamped - 1, (int)(stamped * 0.99))],
                    sorted[stamped - 1], Arrays.stream(sorted).average().orElse(0)));
            }
            return s.toString();
        }
    }
}
