package moq.relay.oracle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import moq.relay.wire.Bytes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The independent codec oracle: {@code @moqt/transport} 0.5.7 (npm), driven through the Node scripts in
 * {@code relay-core/src/test/oracle} (see the README there for the library's model and the JSON formats).
 *
 * <ul>
 *   <li>{@link #corpus()}: wire vectors encoded by the oracle, with the oracle's decoded value of each
 *       (oracle to Java: our decoder must read {@link CorpusEntry#value()} from {@link CorpusEntry#bytes()}).</li>
 *   <li>{@link #check(List)}: bytes written by our encoder, decoded and re-encoded by the oracle
 *       (Java to oracle: assert {@link CheckResult#decoded()}, {@link CheckResult#identical()} and the value).</li>
 * </ul>
 *
 * JSON conventions of {@code value}: integers that are bigints in the library (ids, locations, parameter
 * values, parameter and property types) are decimal strings, read them with {@link #u64(JsonNode)}; byte
 * strings are {@code {"hex": "..."}}, read them with {@link #bytes(JsonNode)}; maps (parameters, properties,
 * setup options) are objects keyed by the decimal type, each holding an array of values.
 *
 * <p>Maven installs the package with {@code npm ci} before the tests ({@code -Doracle.skip=true} skips that;
 * tests should then call {@link #assumeAvailable()}). Surefire runs with the module directory as working
 * directory, so the oracle folder is resolved relative to it. {@code -Doracle.node=/path/to/node} overrides
 * the Node executable.
 */
public final class Oracle
{
    /**
     * The oracle's npm project: {@code -Doracle.dir=...} if given, else {@code src/test/oracle} relative to the
     * working directory (Surefire runs relay-core's tests in the module directory), else
     * {@code ../relay-core/src/test/oracle} (tests of a sibling module using relay-core's test-jar).
     */
    public static final Path DIR = resolveDir();
    public static final String PACKAGE = "@moqt/transport";
    public static final String VERSION = "0.5.7";
    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    public static final String CONTROL = "control";
    public static final String SUBGROUP = "subgroup";
    public static final String FETCH = "fetch";
    public static final String DATAGRAM = "datagram";
    public static final String VARINT = "varint";

    private static final ObjectMapper JSON = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static volatile List<CorpusEntry> corpus;

    private Oracle()
    {
    }

    private static Path resolveDir()
    {
        final String configured = System.getProperty("oracle.dir");
        if (configured != null && !configured.isBlank())
        {
            return Path.of(configured);
        }
        final Path local = Path.of("src/test/oracle");
        final Path sibling = Path.of("../relay-core/src/test/oracle");
        return !Files.isDirectory(local) && Files.isDirectory(sibling) ? sibling : local;
    }

    /** True when the build was told to skip the oracle ({@code -Doracle.skip=true}). */
    public static boolean skipped()
    {
        return Boolean.parseBoolean(System.getProperty("oracle.skip", "false"));
    }

    /** True when {@code npm ci} has installed the pinned package. */
    public static boolean installed()
    {
        return Files.isRegularFile(DIR.resolve("node_modules").resolve(PACKAGE).resolve("package.json"));
    }

    /**
     * For tests: skips (JUnit assumption) when the oracle was skipped on purpose; fails when it should be
     * there but is not, so a broken install never passes silently.
     */
    public static void assumeAvailable()
    {
        org.junit.jupiter.api.Assumptions.assumeFalse(skipped(), "oracle skipped (-Doracle.skip=true)");
        if (!installed())
        {
            throw new IllegalStateException(PACKAGE + " is not installed under " + DIR.toAbsolutePath()
                + "/node_modules: run the Maven build (npm ci) or pass -Doracle.skip=true");
        }
    }

    /** The oracle's corpus ({@code node encode-corpus.mjs}); computed once per JVM. */
    public static List<CorpusEntry> corpus()
    {
        List<CorpusEntry> c = corpus;
        if (c == null)
        {
            synchronized (Oracle.class)
            {
                c = corpus;
                if (c == null)
                {
                    final String out = run(List.of("encode-corpus.mjs"));
                    c = List.copyOf(parse(out, new TypeReference<List<CorpusEntry>>() {}));
                    corpus = c;
                }
            }
        }
        return c;
    }

    /** The corpus entries of one draft and kind (see the constants), in corpus order. */
    public static List<CorpusEntry> corpus(final int draft, final String kind)
    {
        return corpus().stream().filter(e -> e.draft() == draft && e.kind().equals(kind)).toList();
    }

    /** The corpus entry with this name, or an {@link IllegalArgumentException}. */
    public static CorpusEntry corpusEntry(final int draft, final String name)
    {
        return corpus().stream()
            .filter(e -> e.draft() == draft && e.name().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no corpus entry draft-" + draft + " " + name));
    }

    /** Decodes and re-encodes each entry with the oracle ({@code node check.mjs}); results are in input order. */
    public static List<CheckResult> check(final List<HexEntry> entries)
    {
        Path input = null;
        try
        {
            input = Files.createTempFile("oracle-check-", ".json");
            JSON.writeValue(input.toFile(), entries);
            final List<CheckResult> results = parse(
                run(List.of("check.mjs", input.toAbsolutePath().toString())),
                new TypeReference<List<CheckResult>>() {});
            if (results.size() != entries.size())
            {
                throw new OracleException("check.mjs returned " + results.size() + " results for " + entries.size() + " entries");
            }
            return results;
        }
        catch (final IOException e)
        {
            throw new OracleException("cannot write the check input", e);
        }
        finally
        {
            if (input != null)
            {
                try
                {
                    Files.deleteIfExists(input);
                }
                catch (final IOException ignored)
                {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** Single-entry convenience for {@link #check(List)}. */
    public static CheckResult check(final HexEntry entry)
    {
        return check(List.of(entry)).get(0);
    }

    /** An unsigned 64-bit value from a decimal-string (or small numeric) JSON node, as Java's two's-complement long. */
    public static long u64(final JsonNode node)
    {
        Objects.requireNonNull(node, "node");
        if (node.isTextual())
        {
            return Long.parseUnsignedLong(node.asText());
        }
        if (node.canConvertToLong())
        {
            return node.asLong();
        }
        throw new IllegalArgumentException("not an unsigned integer: " + node);
    }

    /** A byte string from a {@code {"hex": "..."}} JSON node. */
    public static Bytes bytes(final JsonNode node)
    {
        Objects.requireNonNull(node, "node");
        final JsonNode hex = node.get("hex");
        if (hex == null || !hex.isTextual())
        {
            throw new IllegalArgumentException("not a {\"hex\": ...} byte string: " + node);
        }
        return Bytes.fromHex(hex.asText());
    }

    /** A track namespace (array of byte strings). */
    public static List<Bytes> namespace(final JsonNode node)
    {
        final List<Bytes> out = new ArrayList<>();
        node.forEach(f -> out.add(bytes(f)));
        return out;
    }

    private static <T> T parse(final String json, final TypeReference<T> type)
    {
        try
        {
            return JSON.readValue(json, type);
        }
        catch (final IOException e)
        {
            throw new OracleException("cannot parse the oracle's output: " + e.getMessage(), e);
        }
    }

    private static String run(final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(System.getProperty("oracle.node", "node"));
        command.addAll(args);
        Path out = null;
        Path err = null;
        try
        {
            out = Files.createTempFile("oracle-out-", ".json");
            err = Files.createTempFile("oracle-err-", ".txt");
            final Process p = new ProcessBuilder(command)
                .directory(DIR.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                p.destroyForcibly();
                throw new OracleException(String.join(" ", command) + " timed out after " + TIMEOUT);
            }
            if (p.exitValue() != 0)
            {
                throw new OracleException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new OracleException("cannot run " + String.join(" ", command) + " in " + DIR.toAbsolutePath()
                + " (is Node 20+ on the PATH?)", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new OracleException("interrupted while running " + String.join(" ", command), e);
        }
        finally
        {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static java.io.File nullDevice()
    {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteQuietly(final Path path)
    {
        if (path != null)
        {
            try
            {
                Files.deleteIfExists(path);
            }
            catch (final IOException ignored)
            {
                // a temp file left behind is harmless
            }
        }
    }

    /** The oracle could not be run or its output not understood (as opposed to a codec disagreement). */
    public static final class OracleException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        public OracleException(final String message)
        {
            super(message);
        }

        public OracleException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }

    /**
     * One corpus vector (see the oracle README, section 2).
     *
     * @param draft             14 or 18
     * @param kind              {@link #CONTROL}, {@link #SUBGROUP}, {@link #FETCH}, {@link #DATAGRAM} or {@link #VARINT}
     * @param name              unique per draft, human-readable
     * @param hex               the wire bytes
     * @param wireType          control messages: the message Type field; otherwise null
     * @param groupOrder        draft-18 fetch streams: "ascending" or "descending"; otherwise null
     * @param origin            "oracle-encoder" (bytes written by the library) or "handbuilt" (library has no encoder)
     * @param reencodeIdentical the oracle re-encodes its decode of {@code hex} to the same bytes
     * @param knownIssue        non-null when the oracle disagrees with the draft text for this vector
     * @param reencodeError     why the oracle could not re-encode (only when not identical)
     * @param reencodedHex      what the oracle re-encoded instead (only when not identical)
     * @param value             the oracle's decoded value (JSON conventions in {@link Oracle})
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CorpusEntry(
        int draft,
        String kind,
        String name,
        String hex,
        Integer wireType,
        String groupOrder,
        String origin,
        boolean reencodeIdentical,
        String knownIssue,
        String reencodeError,
        String reencodedHex,
        JsonNode value)
    {
        public Bytes bytes()
        {
            return Bytes.fromHex(hex);
        }

        public boolean oracleEncoded()
        {
            return "oracle-encoder".equals(origin);
        }

        public boolean hasKnownIssue()
        {
            return knownIssue != null;
        }

        /** The entry as input for {@link Oracle#check(List)}. */
        public HexEntry toHexEntry()
        {
            return new HexEntry(draft, kind, name, hex, groupOrder);
        }

        @Override
        public String toString()
        {
            return "draft-" + draft + " " + kind + " " + name;
        }
    }

    /**
     * Bytes to check. {@code groupOrder} matters only for draft-18 fetch streams (null = ascending).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HexEntry(int draft, String kind, String name, String hex, String groupOrder)
    {
        public HexEntry
        {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(hex, "hex");
        }

        public static HexEntry of(final int draft, final String kind, final String name, final Bytes bytes)
        {
            return new HexEntry(draft, kind, name, bytes.hex(), null);
        }

        public static HexEntry of(final int draft, final String kind, final String name, final byte[] bytes)
        {
            return of(draft, kind, name, Bytes.copyOf(bytes));
        }
    }

    /**
     * The oracle's verdict on one {@link HexEntry} (see the oracle README, section 2).
     *
     * @param decoded       the oracle decoded the bytes without error
     * @param decodeError   the oracle's error when not decoded
     * @param consumedAll   decoding used every byte (false: trailing bytes)
     * @param value         the oracle's decoded value
     * @param reencoded     the oracle could re-encode its decoded value
     * @param reencodedHex  the re-encoded bytes
     * @param identical     re-encoded bytes equal the input
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CheckResult(
        int index,
        int draft,
        String kind,
        String name,
        String hex,
        boolean decoded,
        String decodeError,
        Integer bytesRead,
        Boolean consumedAll,
        Integer wireType,
        String groupOrder,
        JsonNode value,
        boolean reencoded,
        String reencodeError,
        String reencodedHex,
        boolean identical)
    {
        /** Decoded every byte and re-encoded them identically. */
        public boolean roundTrips()
        {
            return decoded && Boolean.TRUE.equals(consumedAll) && identical;
        }

        @Override
        public String toString()
        {
            return "draft-" + draft + " " + kind + " " + name + " [" + hex + "]: "
                + (decoded ? "decoded" + (Boolean.TRUE.equals(consumedAll) ? "" : " (trailing bytes)") : "NOT decoded: " + decodeError)
                + (identical ? ", identical" : reencoded ? ", re-encoded as " + reencodedHex : ", not re-encoded: " + reencodeError);
        }
    }
}
