package moq.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.tls.SelfSignedCertificates;
import moq.relay.transport.tls.TlsSettings;
import moq.relay.warmup.StartupWarmup;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.data.ObjectStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code first-call}: the latency of the first call through a freshly started relay process, with and without its
 * start-up warm-up ({@code moq.relay.warmup.duration}). Per run it starts {@code java -jar moq-relay.jar serve}, waits
 * until it is ready (listening, and the warm-up's log line when it has one), then a raw QUIC publisher and subscriber
 * in this JVM carry one participant's call through it in real time (video at 30 fps, a 40 KiB key frame every 2 s
 * then 5.5 KiB frames, about 1.5 Mbit/s; Opus-like audio, 160 B 50 times a second, each frame its own group and
 * stream), every payload stamped with {@link System#nanoTime()}; it prints per-object latency percentiles for the
 * call's first second, the next two and the rest. The warm-up values alternate run by run, so the box's load falls on
 * both alike. This JVM's own client code is warmed first (an in-process warm-up), so what differs is the relay's.
 */
@Command(
    name = "first-call",
    mixinStandardHelpOptions = true,
    description = "First-call latency through a freshly started relay process, by moq.relay.warmup.duration.")
final class FirstCallCommand implements Callable<Integer>
{
    private static final Pattern LISTENING = Pattern.compile("listening on udp");
    private static final Pattern WARMED = Pattern.compile("warm-up (took|cancelled)");
    private static final long START_TIMEOUT_MS = 60_000;
    private static final int KEY_FRAME = 40 << 10;
    private static final int DELTA_FRAME = 5632;
    private static final int GROUP_FRAMES = 60;
    private static final long VIDEO_INTERVAL_NANOS = 1_000_000_000L / 30;
    private static final long AUDIO_INTERVAL_NANOS = 20_000_000L;
    private static final int AUDIO_FRAME = 160;
    private static final long[] WINDOWS_MS = {0, 1000, 3000};

    @Option(names = "--relay-jar", defaultValue = "relay-transport/target/moq-relay.jar",
        description = "The relay jar (default: ${DEFAULT-VALUE}).")
    Path relayJar;

    @Option(names = "--warmups", split = ",", defaultValue = "3s,0s",
        description = "moq.relay.warmup.duration values, one relay process each per run (default: ${DEFAULT-VALUE}).")
    List<String> warmups;

    @Option(names = "--runs", defaultValue = "3", description = "Runs of every value (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seconds", defaultValue = "10", description = "Call length (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--draft", defaultValue = "18",
        description = "MoQT draft, 18, 20 or 14 (default: ${DEFAULT-VALUE}).")
    int draft;

    @Option(names = "--relay-jvm-args", split = " ", defaultValue = "-Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError",
        description = "The relay JVM's options (default: ${DEFAULT-VALUE}).")
    List<String> relayJvmArgs;

    @Option(names = "--out", defaultValue = "perf/results/first-call",
        description = "Directory for the relay logs and results.csv (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception
    {
        Files.createDirectories(out);
        final Path certs = Files.createTempDirectory("first-call-certs"); // a key: not beside the results
        warmThisJvm(certs);
        final List<String> csv = new ArrayList<>();
        csv.add("warmup,run,load1,ready_ms,window,objects,p50_ms,p90_ms,p99_ms,max_ms");
        for (int run = 1; run <= runs; run++)
        {
            for (final String warmup : warmups)
            {
                final double load = loadAverage();
                final Call call = measure(warmup, run, certs);
                final StringBuilder line = new StringBuilder(String.format(
                    "warm-up %-4s run %d (load %.2f): ready after %d ms; received %d of %d objects", warmup, run,
                    load, call.readyMillis, call.received, call.sent));
                for (int w = 0; w < WINDOWS_MS.length; w++)
                {
                    final long from = WINDOWS_MS[w];
                    final long to = w + 1 < WINDOWS_MS.length ? WINDOWS_MS[w + 1] : seconds * 1000L;
                    final double[] p = call.percentiles(from, to);
                    line.append(String.format("; %d-%d s p50/p90/p99/max %.1f/%.1f/%.1f/%.1f ms", from / 1000,
                        to / 1000, p[0], p[1], p[2], p[3]));
                    csv.add(String.format("%s,%d,%.2f,%d,%d-%d,%d,%.2f,%.2f,%.2f,%.2f", warmup, run, load,
                        call.readyMillis, from, to, (long)p[4], p[0], p[1], p[2], p[3]));
                }
                System.out.println(line);
            }
        }
        Files.write(out.resolve("results.csv"), csv, StandardCharsets.UTF_8);
        return 0;
    }

    /** The clients' code compiled before the first measured call: an in-process warm-up, as the relay's own. */
    private static void warmThisJvm(final Path certs) throws Exception
    {
        final StartupWarmup warmup = StartupWarmup.of(Map.of(),
            SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(certs), Clock.systemUTC()),
            Duration.ofSeconds(5));
        warmup.start();
        System.out.println("this JVM's clients: " + warmup.report().get(60, TimeUnit.SECONDS));
    }

    private Call measure(final String warmup, final int run, final Path certs) throws Exception
    {
        final int port = freeUdpPort();
        final List<String> jvm = new ArrayList<>(relayJvmArgs);
        jvm.add("-D" + RelayConfiguration.PORT_PROP_NAME + "=" + port);
        jvm.add("-D" + RelayConfiguration.BIND_ADDRESS_PROP_NAME + "=127.0.0.1");
        jvm.add("-D" + RelayConfiguration.TLS_CERT_DIR_PROP_NAME + "=" + certs.toAbsolutePath());
        jvm.add("-D" + RelayConfiguration.WARMUP_DURATION_PROP_NAME + "=" + warmup);
        final long start = System.nanoTime();
        try (JavaProcess relay = JavaProcess.start(List.of(), jvm, List.of("-jar", relayJar.toString(), "serve"),
            out.resolve("relay-" + warmup + "-" + run + ".log")))
        {
            relay.await(LISTENING, START_TIMEOUT_MS);
            if (!warmup.matches("0+[a-z]*"))
            {
                relay.await(WARMED, START_TIMEOUT_MS);
            }
            final long ready = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return call(port, ready);
        }
    }

    private Call call(final int port, final long readyMillis) throws Exception
    {
        final Draft d = draft == 14 ? Draft.DRAFT_14 : draft == 20 ? Draft.DRAFT_20 : Draft.DRAFT_18;
        final ClientConfig config = ClientConfig.of("127.0.0.1", port, d, ClientTrust.insecure());
        final int capacity = seconds * 100 + 1000;
        final Call call = new Call(readyMillis, capacity);
        try (MoqClient publisher = MoqClient.connect(config).get(20, TimeUnit.SECONDS);
             MoqClient subscriber = MoqClient.connect(config).get(20, TimeUnit.SECONDS))
        {
            final TrackNamespace ns = TrackNamespace.of("first-call", "alice");
            publisher.publishNamespace(ns).get(20, TimeUnit.SECONDS);
            final TrackPublisher video = publisher.track(ns, Bytes.utf8("video"), 2);
            final TrackPublisher audio = publisher.track(ns, Bytes.utf8("audio"), 1);
            for (final TrackPublisher track : new TrackPublisher[] {video, audio})
            {
                subscriber.subscribe(ns, track.name(), SubscribeOptions.LATEST, call).get(20, TimeUnit.SECONDS);
                track.firstSubscriber().get(20, TimeUnit.SECONDS);
            }
            final long begin = System.nanoTime();
            call.begin = begin;
            final long end = begin + TimeUnit.SECONDS.toNanos(seconds);
            long videoFrames = 0;
            long audioFrames = 0;
            SubgroupWriter group = null;
            while (System.nanoTime() - end < 0)
            {
                final long now = System.nanoTime();
                if (now - (begin + videoFrames * VIDEO_INTERVAL_NANOS) >= 0)
                {
                    final int index = (int)(videoFrames % GROUP_FRAMES);
                    if (index == 0)
                    {
                        if (group != null)
                        {
                            group.close();
                        }
                        group = video.openSubgroup(videoFrames / GROUP_FRAMES, 0);
                    }
                    group.write(index, stamped(index == 0 ? KEY_FRAME : DELTA_FRAME));
                    videoFrames++;
                }
                if (now - (begin + audioFrames * AUDIO_INTERVAL_NANOS) >= 0)
                {
                    final SubgroupWriter frame = audio.openSubgroup(audioFrames, 0);
                    frame.write(0, stamped(AUDIO_FRAME));
                    frame.close();
                    audioFrames++;
                }
                LockSupport.parkNanos(200_000);
            }
            call.sent = videoFrames + audioFrames;
            Thread.sleep(1000); // stragglers
        }
        return call;
    }

    private static ByteBuf stamped(final int length)
    {
        final ByteBuf payload = Unpooled.directBuffer(length).writeZero(length);
        PayloadStamp.write(payload, System.nanoTime());
        return payload;
    }

    private static int freeUdpPort() throws IOException
    {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return s.getLocalPort();
        }
    }

    private static double loadAverage()
    {
        try
        {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }

    /** One call's objects as the subscriber received them: when each was sent (into the call) and its latency. */
    private static final class Call implements SubscriptionListener
    {
        final long readyMillis;
        final long[] sentAtNanos;
        final long[] latencyNanos;
        volatile long begin;
        volatile int received;
        long sent;

        Call(final long readyMillis, final int capacity)
        {
            this.readyMillis = readyMillis;
            this.sentAtNanos = new long[capacity];
            this.latencyNanos = new long[capacity];
        }

        @Override
        public void onObject(final ReceivedObject object)
        {
            if (object.status() != ObjectStatus.NORMAL || received == sentAtNanos.length)
            {
                return;
            }
            final long now = System.nanoTime();
            final long stamp = PayloadStamp.read(object.payload());
            sentAtNanos[received] = stamp - begin;
            latencyNanos[received] = now - stamp;
            received++;
        }

        /** p50, p90, p99, max (ms) and the count of the objects sent {@code from}-{@code to} ms into the call. */
        synchronized double[] percentiles(final long fromMillis, final long toMillis)
        {
            final long[] window = new long[received];
            int n = 0;
            for (int i = 0; i < received; i++)
            {
                final long at = TimeUnit.NANOSECONDS.toMillis(sentAtNanos[i]);
                if (at >= fromMillis && at < toMillis)
                {
                    window[n++] = latencyNanos[i];
                }
            }
            if (n == 0)
            {
                return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0};
            }
            final long[] sorted = Arrays.copyOf(window, n);
            Arrays.sort(sorted);
            return new double[] {ms(sorted, 0.5), ms(sorted, 0.9), ms(sorted, 0.99), sorted[n - 1] / 1e6, n};
        }

        private static double ms(final long[] sorted, final double q)
        {
            return sorted[Math.min(sorted.length - 1, (int)Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }
}
