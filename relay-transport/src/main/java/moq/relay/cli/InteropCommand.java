package moq.relay.cli;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.interop.InteropCase;
import moq.relay.interop.InteropCases;
import moq.relay.interop.InteropRunner;
import moq.relay.interop.TapWriter;
import moq.relay.wire.Draft;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code interop}: runs the MoQ interop runner's test cases against a relay as a runner test client does
 * (englishm/moq-interop-runner, docs/TEST-CLIENT-INTERFACE.md): {@code RELAY_URL}, {@code TESTCASE}, {@code
 * TLS_DISABLE_VERIFY} and {@code MOQT_DRAFT} from the environment, explicit options first; TAP version 14 on stdout;
 * exit 0 all passed, 1 a failure, 127 test case, transport or draft not supported.
 */
@Command(
    name = "interop",
    mixinStandardHelpOptions = true,
    description = {
        "Run the MoQ interop runner's test cases (setup-only, announce-only, publish-namespace-done, subscribe-error, "
            + "announce-subscribe, subscribe-before-announce) against a relay over raw QUIC; TAP version 14 on stdout.",
        "Environment (used when the option is not given): RELAY_URL, TESTCASE, TLS_DISABLE_VERIFY=1, "
            + "MOQT_DRAFT=draft-18|draft-20|draft-14.",
        "Exit codes: 0 all passed, 1 a test failed, 2 usage error, 127 test case, transport (https:// = "
            + "WebTransport) or draft not supported by this client."})
public final class InteropCommand implements Callable<Integer>
{
    static final int NOT_SUPPORTED = 127;

    @Option(names = {"--url", "-r", "--relay"}, paramLabel = "URL",
        description = "Relay URL, moqt://HOST[:PORT][/PATH] (raw QUIC). Default: $RELAY_URL, else moqt://localhost:4443.")
    String url;

    @Option(names = {"--testcase", "-t", "--test"}, paramLabel = "NAME",
        description = "Run only this test case. Default: $TESTCASE, else all of them.")
    String testcase;

    @Option(names = "--all", description = "Run all test cases, even if TESTCASE is set.")
    boolean all;

    @Option(names = {"-l", "--list"}, description = "List the test cases, one per line, and exit.")
    boolean list;

    @Option(names = "--draft", paramLabel = "18|20|14",
        description = "MoQT draft (ALPN moqt-18, moqt-20 or moq-00). Default: $MOQT_DRAFT (draft-NN), else 18.")
    Integer draft;

    @Option(names = {"--insecure", "--tls-disable-verify"},
        description = "Accept any relay certificate (also when TLS_DISABLE_VERIFY=1).")
    boolean insecure;

    @Option(names = "--fingerprint", paramLabel = "SHA256",
        description = "Trust the relay certificate with this SHA-256 fingerprint (hex, ':' allowed).")
    String fingerprint;

    private final Map<String, String> env;
    private final PrintStream out;

    /** The command as the CLI runs it: the process environment and stdout. */
    public InteropCommand()
    {
        this(System.getenv(), System.out);
    }

    /** For tests: a given environment and output. */
    public InteropCommand(final Map<String, String> env, final PrintStream out)
    {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call()
    {
        if (list)
        {
            InteropCases.ALL.forEach(c -> out.println(c.name()));
            out.flush();
            return 0;
        }
        final String name = all ? null : Optional.ofNullable(testcase).orElse(blankToNull(env.get("TESTCASE")));
        final List<InteropCase> cases = new ArrayList<>();
        if (name == null)
        {
            cases.addAll(InteropCases.ALL);
        }
        else
        {
            InteropCases.byName(name).ifPresent(cases::add);
        }
        final String relayUrl = Optional.ofNullable(url).or(() -> Optional.ofNullable(blankToNull(env.get("RELAY_URL"))))
            .orElse("moqt://localhost:4443");
        final TapWriter tap = new TapWriter(out);
        final List<String> header = new ArrayList<>(List.of("moq-relay interop client " + version(),
            "Relay: " + relayUrl));
        final URI uri;
        try
        {
            uri = URI.create(relayUrl);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("interop: bad relay URL: " + relayUrl);
            return 2;
        }
        final String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (cases.isEmpty())
        {
            tap.header(header);
            tap.skipAll("test case '" + name + "' not supported by this client");
            return NOT_SUPPORTED;
        }
        if ("https".equals(scheme))
        {
            tap.header(header);
            tap.plan(cases.size());
            cases.forEach(c -> tap.skip(c.name(), "WebTransport not supported by this client"));
            return NOT_SUPPORTED;
        }
        if (!"moqt".equals(scheme) || uri.getHost() == null)
        {
            System.err.println("interop: the relay URL must be moqt://host[:port][/path] (or https:// for "
                + "WebTransport, not supported): " + relayUrl);
            return 2;
        }
        final Draft moqtDraft = draft();
        if (moqtDraft == null)
        {
            tap.header(header);
            tap.skipAll("draft " + (draft != null ? draft : env.get("MOQT_DRAFT")) + " not supported by this client "
                + "(drafts 18, 20 and 14)");
            return NOT_SUPPORTED;
        }
        final ClientConfig config;
        try
        {
            config = config(uri, moqtDraft);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("interop: " + e.getMessage());
            return 2;
        }
        header.add("Draft: draft-" + moqtDraft.number());
        header.add("Transport: quic (ALPN " + moqtDraft.alpn() + ")");
        tap.header(header);
        tap.plan(cases.size());
        return new InteropRunner(config, tap).run(cases) ? 0 : 1;
    }

    /** --draft, else MOQT_DRAFT ("draft-18", "18"), else 18; null when not one this client speaks. */
    private Draft draft()
    {
        final String pinned = blankToNull(env.get("MOQT_DRAFT"));
        final int number;
        if (draft != null)
        {
            number = draft;
        }
        else if (pinned != null)
        {
            try
            {
                number = Integer.parseInt(pinned.toLowerCase(Locale.ROOT).replace("draft-", "").trim());
            }
            catch (final NumberFormatException e)
            {
                return null;
            }
        }
        else
        {
            number = Draft.DRAFT_18.number();
        }
        for (final Draft d : Draft.values())
        {
            if (d.number() == number)
            {
                return d;
            }
        }
        return null;
    }

    private ClientConfig config(final URI uri, final Draft moqtDraft)
    {
        final boolean disableVerify = insecure || "1".equals(env.get("TLS_DISABLE_VERIFY"))
            || "true".equalsIgnoreCase(env.get("TLS_DISABLE_VERIFY"));
        final ClientTrust trust = fingerprint != null ? ClientTrust.fingerprint(fingerprint)
            : disableVerify ? ClientTrust.insecure()
            : ClientTrust.system();
        final String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? null
            : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return ClientConfig.of(uri.getHost(), uri.getPort() < 0 ? 443 : uri.getPort(), moqtDraft, trust)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10))
            .withPath(path);
    }

    private static String version()
    {
        final String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String blankToNull(final String s)
    {
        return s == null || s.isBlank() ? null : s;
    }
}
