package moq.relay.session;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.config.RelayConfiguration;
import moq.relay.transport.TestServers;
import moq.relay.wire.TrackNamespace;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check (enabled by {@code -DbigObjects.rounds=N}): HostilePeersIT's defect-3 window repeated,
 * the relay process and healthy pairs set up as there, so that where the pairs' p99 goes beside 1-2 MiB objects can
 * be studied round after round. Each round measures the pairs quietly for 4 s, then for 4 s while one burst of
 * {@link BigObjects} goes through, and prints both, with what else happened meanwhile: UDP receive-buffer drops
 * (host-wide, /proc/net/snmp), this JVM's GC time, CPU of the relay and of other processes, and the pairs' samples
 * above 10 ms (wall clock, to set beside a relay GC log). {@code -DbigObjects.attacker=process} runs the large-object
 * publisher and subscriber in a JVM of their own; {@code -DbigObjects.relayJvmArgs="..."} adds relay JVM options.
 */
@EnabledIfSystemProperty(named = "bigObjects.rounds", matches = "[0-9]+")
class LargeObjectsLatencyIT
{
    @TempDir
    static Path dir;

    @Test
    void pairLatencyBesideLargeObjects() throws Exception
    {
        final int rounds = Integer.getInteger("bigObjects.rounds");
        final boolean ownProcess = "process".equals(System.getProperty("bigObjects.attacker", "jvm"));
        // -DbigObjects.fresh=true: every round's burst on new connections (in this JVM), as HostilePeersIT's is.
        final boolean fresh = !ownProcess && Boolean.getBoolean("bigObjects.fresh");
        final Path certs = dir.resolve("certs");
        final X509Certificate trusted = TestServers.certificate(certs).leaf();
        final List<String> jvm = new ArrayList<>(HostilePeersIT.RELAY_JVM_ARGS);
        jvm.addAll(Arrays.asList(System.getProperty("bigObjects.relayJvmArgs", "").split(" +")));
        jvm.removeIf(String::isEmpty);
        // -DbigObjects.relayProperties="moq.relay.x=y ..." overrides the suite's relay settings (e.g.
        // moq.relay.warmup.duration=0s: no start-up warm-up); the pairs start once the relay's warm-up is done.
        final Map<String, String> properties = new HashMap<>(HostilePeersIT.relayProperties(certs));
        for (final String setting : System.getProperty("bigObjects.relayProperties", "").split(" +"))
        {
            if (setting.contains("="))
            {
                properties.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        try (RelayProcess relay = RelayProcess.start(jvm, properties,
                Path.of("target", "large-objects-latency-relay.log"));
            HealthyPairs pairs = awaitWarmup(relay))
        {
            System.out.println("big-objects relay pid " + relay.pid() + ", attackers in " +
                (ownProcess ? "their own JVM" : "this JVM") + ", trusted " + trusted.getSubjectX500Principal());
            BigObjects inJvm = null;
            BigObjectsProcess child = null;
            if (ownProcess)
            {
                child = BigObjectsProcess.start(relay.address(), List.of("-Xmx512m"));
            }
            else
            {
                inJvm = new BigObjects(relay.address(), TrackNamespace.of("big"));
            }
            Thread.sleep(Long.getLong("bigObjects.settleMillis", 4_000)); // warm-up
            // Which relay event loop serves each connection, in the order they connected: pair i's publisher is the
            // (2i)th, its subscriber the (2i+1)th, then the large-object publisher and subscriber.
            final List<String> loops = new ArrayList<>();
            for (final String line : Files.readAllLines(relay.log()))
            {
                if (line.contains("moq.relay.connection - open peer="))
                {
                    loops.add(line.replaceAll(".*\\[moq-relay-io-1-(\\d+)\\].*", "$1"));
                }
            }
            System.out.println("big-objects relay loop per connection (pub,sub of each pair; then big pub,sub): " +
                loops);
            // One burst unmeasured: the large-object path compiled, as HostilePeersIT's earlier tests leave it
            // (-DbigObjects.warmBurst=false measures the first burst instead).
            if (Boolean.parseBoolean(System.getProperty("bigObjects.warmBurst", "true")))
            {
                burst(inJvm, child);
                Thread.sleep(2_000);
            }
            pairs.missingAfter(5_000);
            pairs.drainSlow();
            for (int r = 0; r < rounds; r++)
            {
                if (fresh) // round 0 too: an idle connection (a long settle) reaches the QUIC idle timeout
                {
                    inJvm.close();
                    inJvm = freshBigObjects(relay, r);
                    Thread.sleep(1_000);
                }
                final Map<String, Long> quietThreads = relay.threadCpuMillis();
                pairs.startWindow();
                final UdpQueues quietQueues = new UdpQueues(relay.port());
                Thread.sleep(4_000);
                quietQueues.close();
                final Histogram quiet = pairs.endWindow();
                final List<long[]> quietSlow = pairs.drainSlow();
                final long[] udp = udpCounters();
                final long gc = gcMillis();
                final double relayCpu = relay.cpuSeconds();
                final double hostCpu = RelayProcess.hostProcessSeconds();
                final double ownCpu = RelayProcess.cpuSeconds(ProcessHandle.current().pid());
                final String quietThreadCpu = relay.threadCpuSince(quietThreads);
                final Map<String, Long> attackThreads = relay.threadCpuMillis();
                final long start = System.nanoTime();
                final long wallStart = System.currentTimeMillis();
                pairs.startWindow();
                final UdpQueues queues = new UdpQueues(relay.port());
                final String result = burst(inJvm, child);
                final long burstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                final long left = 4_000 - burstMillis;
                if (left > 0)
                {
                    Thread.sleep(left);
                }
                final Histogram attacked = pairs.endWindow();
                queues.close();
                System.out.println("big-objects   relay thread CPU ms, quiet: " + quietThreadCpu + "; attacked: " +
                    relay.threadCpuSince(attackThreads));
                final double seconds = (System.nanoTime() - start) / 1e9;
                final long[] udpAfter = udpCounters();
                final double relayCores = (relay.cpuSeconds() - relayCpu) / seconds;
                final double ownCores = (RelayProcess.cpuSeconds(ProcessHandle.current().pid()) - ownCpu) / seconds;
                final double otherCores = (RelayProcess.hostProcessSeconds() - hostCpu) / seconds - relayCores -
                    ownCores;
                System.out.printf("big-objects round %d: quiet p50 %d p99 %d max %d us (%d > 10 ms); attacked p50 %d " +
                    "p99 %d max %d us; burst %s in %d ms from %tT.%<tL; UDP RcvbufErrors +%d InErrors +%d; test GC " +
                    "+%d ms; cores: relay %.2f test %.2f others %.2f%n", r, quiet.getValueAtPercentile(50),
                    quiet.getValueAtPercentile(99), quiet.getMaxValue(), quietSlow.size(),
                    attacked.getValueAtPercentile(50), attacked.getValueAtPercentile(99), attacked.getMaxValue(), result,
                    burstMillis, wallStart, udpAfter[0] - udp[0], udpAfter[1] - udp[1], gcMillis() - gc, relayCores,
                    ownCores, otherCores);
                System.out.println("big-objects   UDP quiet: " + quietQueues.summary() + "; attacked: " +
                    queues.summary());
                final List<long[]> slow = pairs.drainSlow();
                final int[] perPair = new int[HostilePeersIT.PAIRS];
                slow.forEach(s -> perPair[(int)s[0]]++);
                System.out.println("big-objects   samples > 10 ms per pair: " + Arrays.toString(perPair));
                for (final long[] s : slow.subList(0, Math.min(30, slow.size())))
                {
                    System.out.printf("big-objects   slow: pair %d seq %d at %tT.%<tL (+%d ms) %d us%n", s[0], s[3],
                        s[1], s[1] - wallStart, s[2]);
                }
            }
            if (child != null)
            {
                child.close();
            }
            if (inJvm != null)
            {
                inJvm.close();
            }
        }
    }

    /** New large-object clients, tried three times (a loaded host can miss a connect's deadline). */
    private static BigObjects freshBigObjects(final RelayProcess relay, final int round) throws Exception
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return new BigObjects(relay.address(), TrackNamespace.of("big" + round + "-" + attempt));
            }
            catch (final Exception e)
            {
                if (attempt == 3)
                {
                    throw e;
                }
            }
        }
    }

    /** The healthy pairs, started once the relay's warm-up (if on) has finished. */
    private static HealthyPairs awaitWarmup(final RelayProcess relay) throws Exception
    {
        relay.awaitWarmup();
        return new HealthyPairs(relay.address(), HostilePeersIT.PAIRS, HostilePeersIT.RATE);
    }

    private static String burst(final BigObjects inJvm, final BigObjectsProcess child) throws Exception
    {
        if (child != null)
        {
            return child.burst();
        }
        final long g = inJvm.nextGroup();
        inJvm.burst();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inJvm.arrived(g) < 3 && System.nanoTime() < deadline)
        {
            Thread.sleep(2);
        }
        return "done " + inJvm.arrived(g);
    }

    /** Host-wide UDP RcvbufErrors and InErrors (/proc/net/snmp). */
    private static long[] udpCounters() throws Exception
    {
        final List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++)
        {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:"))
            {
                final List<String> names = Arrays.asList(lines.get(i).split("\\s+"));
                final String[] values = lines.get(i + 1).split("\\s+");
                return new long[] {Long.parseLong(values[names.indexOf("RcvbufErrors")]),
                    Long.parseLong(values[names.indexOf("InErrors")])};
            }
        }
        return new long[2];
    }

    private static long gcMillis()
    {
        long total = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }
}
