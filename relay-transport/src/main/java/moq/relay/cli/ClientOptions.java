package moq.relay.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.MoqClient;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.LiteVersion;
import picocli.CommandLine.Option;

/** Connection and track options shared by the {@code publish} and {@code subscribe} subcommands (a picocli mixin). */
public final class ClientOptions
{
    @Option(names = "--url", paramLabel = "moqt://HOST[:PORT][/PATH]",
        description = "Server URL; overrides --host/--port. The path, if any, is sent as the PATH setup option.")
    String url;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + RelayConfiguration.PORT_DEFAULT,
        description = "Server UDP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--draft", defaultValue = "18",
        description = "MoQT draft: 18 (ALPN moqt-18), 20 (ALPN moqt-20) or 14 (ALPN moq-00) "
            + "(default: ${DEFAULT-VALUE}).")
    int draft;

    @Option(names = "--protocol", paramLabel = "PROTOCOL",
        description = "Instead of --draft: moqt-18, moqt-20 or moqt-14 (the same as --draft 18, 20, 14), or "
            + "moq-lite-05, moq-lite-04 or moq-lite-03 (ALPN of that name; the track is track --track of the "
            + "broadcast whose path is --namespace).")
    String protocol;

    @Option(names = "--insecure", description = "Accept any server certificate (tests and local experiments only).")
    boolean insecure;

    @Option(names = "--trust-cert", paramLabel = "PEM",
        description = "Trust exactly this server certificate (PEM or DER file); host name not checked.")
    Path trustCert;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
        description = "Trust the server certificate with this SHA-256 fingerprint (hex, ':' allowed), as the relay "
            + "logs it at startup; host name not checked.")
    String fingerprint;

    @Option(names = "--connect-timeout", defaultValue = "10",
        description = "Seconds allowed for the QUIC handshake and MoQT setup (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Option(names = "--namespace", paramLabel = "NS",
        description = "Track namespace, fields separated by '/', e.g. live/room1 (with --track).")
    String namespace;

    @Option(names = "--track", paramLabel = "NAME", description = "Track name (with --namespace).")
    String track;

    @Option(names = "--broadcast", paramLabel = "NAME",
        description = "A hang media broadcast instead of one track: its path, e.g. room/alice.hang, is the "
            + "namespace (fields separated by '/'); its tracks are catalog.json, video/hd and audio/data.")
    String broadcast;

    /**
     * The moq-lite version {@code --protocol} names, or null for MoQT. {@code --protocol moqt-N} sets the draft.
     *
     * @throws IllegalArgumentException for an unknown protocol
     */
    LiteVersion liteVersion()
    {
        if (protocol == null)
        {
            return null;
        }
        final LiteVersion lite = LiteVersion.ofAlpn(protocol);
        if (lite != null)
        {
            return lite;
        }
        if (protocol.matches("moqt-(14|18|20)"))
        {
            draft = Integer.parseInt(protocol.substring(5));
            return null;
        }
        throw new IllegalArgumentException("unknown --protocol '" + protocol + "' (moqt-18, moqt-20, moqt-14, "
            + "moq-lite-05, moq-lite-04 or moq-lite-03)");
    }

    /**
     * A MoQT client, connected as these options say; when it cannot be, says why on stderr as {@code tool} and throws
     * the tool's exit code (2 for bad options, 1 for a failed connection).
     */
    MoqClient connect(final String tool) throws CannotConnect, InterruptedException
    {
        return connected(tool, () -> MoqClient.connect(config()).get());
    }

    /** A moq-lite client of {@code version}, connected as these options say; fails as {@link #connect} does. */
    LiteClient connectLite(final String tool, final LiteVersion version) throws CannotConnect, InterruptedException
    {
        return connected(tool, () ->
        {
            final ClientConfig config = config();
            return LiteClient.connect(config.host(), config.port(), version, config.trust(), config.connectTimeout())
                .get();
        });
    }

    /** Connects a client of either kind. */
    private interface Connecting<C>
    {
        C connect() throws ExecutionException, InterruptedException;
    }

    private static <C> C connected(final String tool, final Connecting<C> connecting)
        throws CannotConnect, InterruptedException
    {
        try
        {
            return connecting.connect();
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println(tool + ": " + e.getMessage());
            throw new CannotConnect(2);
        }
        catch (final ExecutionException e)
        {
            System.err.println(tool + ": cannot connect: " + e.getCause());
            throw new CannotConnect(1);
        }
    }

    /** {@link #connect} or {@link #connectLite} failed, already said on stderr: the tool exits with {@link #exitCode}. */
    static final class CannotConnect extends Exception
    {
        final int exitCode;

        CannotConnect(final int exitCode)
        {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** The broadcast path of a moq-lite track: the namespace's fields joined by '/'. */
    String broadcastPath()
    {
        return String.join("/", fields(broadcast != null ? broadcast : namespace));
    }

    /** Usage check: a broadcast, or a namespace and a track; null when fine, else what is wrong. */
    String trackProblem()
    {
        if (broadcast != null)
        {
            return namespace != null || track != null ? "--broadcast replaces --namespace and --track" :
                fields(broadcast).length == 0 ? "--broadcast needs a name" : null;
        }
        return namespace == null || track == null ? "give --namespace and --track (or --broadcast NAME)" : null;
    }

    boolean isBroadcast()
    {
        return broadcast != null;
    }

    ClientConfig config()
    {
        String h = host;
        int p = port;
        String path = null;
        if (url != null)
        {
            final URI uri = URI.create(url);
            if (!"moqt".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)
            {
                throw new IllegalArgumentException("--url must look like moqt://host[:port][/path]: " + url);
            }
            h = uri.getHost();
            p = uri.getPort() < 0 ? 443 : uri.getPort();
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
            {
                path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
        }
        final ClientTrust trust = insecure ? ClientTrust.insecure()
            : trustCert != null ? ClientTrust.certificateFile(trustCert)
            : fingerprint != null ? ClientTrust.fingerprint(fingerprint)
            : ClientTrust.system();
        return ClientConfig.of(h, p, Draft.ofNumber(draft), trust)
            .withTimeouts(Duration.ofSeconds(connectTimeoutSeconds), Duration.ofSeconds(30))
            .withPath(path);
    }

    TrackNamespace trackNamespace()
    {
        return TrackNamespace.of(fields(broadcast != null ? broadcast : namespace));
    }

    private static String[] fields(final String path)
    {
        return Arrays.stream(path.split("/")).filter(f -> !f.isEmpty()).toArray(String[]::new);
    }

    Bytes trackName()
    {
        return Bytes.utf8(track);
    }
}
