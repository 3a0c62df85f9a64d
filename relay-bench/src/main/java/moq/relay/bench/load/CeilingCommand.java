package moq.relay.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import moq.relay.transport.quic.QuicSettings;
import moq.relay.transport.server.ServerSettings;
import moq.relay.transport.tls.ServerCertificates;
import moq.relay.transport.tls.TlsSettings;
import moq.relay.wire.Draft;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ceiling}: the plain Netty QUIC sender as its own process, configured like the relay (the same
 * {@code moq.relay.*} properties for port, event loops, QUIC and TLS). Reads commands on stdin: {@code start}
 * begins generating, {@code stop} ends it and prints {@code published <track> <objects>} per track, then
 * {@code stopped}. Runs until stdin closes or SIGTERM.
 */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description = "Run the ceiling sender (plain Netty QUIC, no relay logic) for the given tracks; "
        + "stdin commands: start, stop.")
final class CeilingCommand implements Callable<Integer>
{
    @Option(names = "--publishers", defaultValue = "1",
        description = "Publishers whose tracks are generated (namespaces bench/p0..) (default: ${DEFAULT-VALUE}).")
    int publishers;

    @Option(names = "--track", required = true,
        description = "Track of every publisher as name:size:rate:groupLength (repeatable).")
    List<String> tracks;

    @Override
    public Integer call() throws Exception
    {
        final Workload workload = new Workload(Draft.DRAFT_18, publishers,
            tracks.stream().map(TrackSpec::parse).toList(), 0, false, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            0);
        try (CeilingServer server = new CeilingServer(ServerSettings.fromSystemProperties(),
            QuicSettings.fromSystemProperties(),
            ServerCertificates.load(TlsSettings.fromSystemProperties(), Clock.systemUTC()), workload))
        {
            System.out.println("ceiling ready on " + server.address());
            final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null)
            {
                if ("start".equals(line.trim()))
                {
                    server.startObjects();
                }
                else if ("stop".equals(line.trim()))
                {
                    for (final Map.Entry<String, Long> e : server.stopObjects().entrySet())
                    {
                        System.out.println("published " + e.getKey() + " " + e.getValue());
                    }
                    System.out.println("stopped");
                    System.out.flush();
                }
            }
        }
        return 0;
    }
}
