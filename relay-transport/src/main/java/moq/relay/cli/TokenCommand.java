package moq.relay.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import moq.relay.auth.Action;
import moq.relay.auth.AuthPath;
import moq.relay.auth.CatGrant;
import moq.relay.auth.Grant;
import moq.relay.auth.KeyGenerator;
import moq.relay.auth.TokenMinter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code token generate} writes a fresh signing key as a JWK file; {@code token mint} signs a token with it for a
 * root, put and get paths and a lifetime, and prints the token and a ready URL. With the relay started with
 * {@code -Dmoq.relay.auth.enabled=true -Dmoq.relay.auth.keys=FILE}, that is authorization in one minute
 * (docs/auth.md).
 */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Generate signing keys and mint tokens (moq-dev compatible JWTs, or Common Access Tokens).",
    subcommands = {TokenCommand.Generate.class, TokenCommand.Mint.class, CommandLine.HelpCommand.class})
public final class TokenCommand implements Callable<Integer>
{
    @Override
    public Integer call()
    {
        new CommandLine(this).usage(System.err);
        return 2;
    }

    /** {@code token generate --algorithm ES256 --out key.jwk [--kid K] [--public-out pub.jwk]}. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a new private signing key as a JWK (HS256, ES256, RS256 or EdDSA).")
    static final class Generate implements Callable<Integer>
    {
        @Option(names = "--algorithm", defaultValue = "ES256",
            description = "HS256, ES256, RS256 or EdDSA (default ${DEFAULT-VALUE}).")
        String algorithm;

        @Option(names = "--kid", description = "Key id tokens name (default: random).")
        String kid;

        @Option(names = "--out", required = true, description = "File for the private JWK (written owner-only).")
        Path out;

        @Option(names = "--public-out",
            description = "Also write the public JWK here (not for HS256), for a relay that should not hold the " +
                "private key.")
        Path publicOut;

        @Override
        public Integer call() throws IOException
        {
            final JWK key;
            try
            {
                key = KeyGenerator.generate(algorithm, kid != null ? kid : randomKid());
            }
            catch (final JOSEException e)
            {
                System.err.println("token generate: " + e.getMessage());
                return 2;
            }
            writePrivate(out, key.toJSONString());
            if (publicOut != null)
            {
                if (!key.isPrivate() || key.toPublicJWK() == null)
                {
                    System.err.println("token generate: an " + algorithm + " key is a shared secret; no public half");
                    return 2;
                }
                Files.writeString(publicOut, key.toPublicJWK().toJSONString(), StandardCharsets.UTF_8);
            }
            final PrintStream o = System.out;
            o.println("wrote " + algorithm.toUpperCase(Locale.ROOT) + " key kid=" + key.getKeyID() + " to " + out);
            o.println("relay: -Dmoq.relay.auth.enabled=true -Dmoq.relay.auth.keys=" +
                (publicOut != null ? publicOut : out));
            return 0;
        }

        private static String randomKid()
        {
            final byte[] b = new byte[6];
            new java.security.SecureRandom().nextBytes(b);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        private static void writePrivate(final Path file, final String json) throws IOException
        {
            Files.deleteIfExists(file);
            try
            {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            catch (final UnsupportedOperationException e)
            {
                Files.createFile(file);
            }
            Files.writeString(file, json, StandardCharsets.UTF_8);
        }
    }

    /** {@code token mint --key key.jwk --root R --put P --get G --expires 1h [--cat] [--url URL]}. */
    @Command(name = "mint", mixinStandardHelpOptions = true,
        description = {"Sign a token with a private JWK and print it (line 1) and a ready URL (line 2).",
            "Paths are moq-dev's: put/get are joined to the root with '/'; an empty value (\"\") grants everything "
                + "below the root; no --put / --get grants nothing in that direction."})
    static final class Mint implements Callable<Integer>
    {
        private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(s|m|h|d)");

        @Option(names = "--key", required = true, description = "Private JWK file (from token generate).")
        Path key;

        @Option(names = "--root", defaultValue = "", description = "Path prefix the token is for (default: none).")
        String root;

        @Option(names = "--put", description = "Path below the root the holder may publish under; repeatable.")
        List<String> put = new ArrayList<>();

        @Option(names = "--get", description = "Path below the root the holder may subscribe to; repeatable.")
        List<String> get = new ArrayList<>();

        @Option(names = "--expires", defaultValue = "1h",
            description = "Lifetime: 30s, 15m, 1h, 7d (default ${DEFAULT-VALUE}); 0s for no exp claim.")
        String expires;

        @Option(names = "--cat", description = "Mint a Common Access Token (draft-ietf-moq-c4m; HS256 or ES256 key) " +
            "instead of a JWT; printed base64url, for the AUTHORIZATION TOKEN parameter with type 0x01.")
        boolean cat;

        @Option(names = "--url", defaultValue = "https://localhost:4443/moq",
            description = "Relay URL the printed link starts with (default ${DEFAULT-VALUE}).")
        String url;

        @Override
        public Integer call() throws IOException
        {
            final JWK jwk;
            try
            {
                jwk = JWK.parse(Files.readString(key, StandardCharsets.UTF_8));
            }
            catch (final ParseException e)
            {
                System.err.println("token mint: " + key + " is not a JWK: " + e.getMessage());
                return 2;
            }
            if (!jwk.isPrivate())
            {
                System.err.println("token mint: " + key + " holds no private key");
                return 2;
            }
            final Matcher m = DURATION.matcher(expires.trim().toLowerCase(Locale.ROOT));
            if (!m.matches())
            {
                System.err.println("token mint: --expires " + expires + ": write 30s, 15m, 1h or 7d");
                return 2;
            }
            final long amount = Long.parseLong(m.group(1));
            final Duration lifetime = switch (m.group(2))
            {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            final long now = System.currentTimeMillis();
            final long expiresAt = lifetime.isZero() ? Grant.NEVER : now + lifetime.toMillis();
            try
            {
                if (cat)
                {
                    final byte[] token = TokenMinter.cat(jwk, scopes(), -1, expiresAt);
                    System.out.println(Base64.getUrlEncoder().withoutPadding().encodeToString(token));
                    System.out.println("(AUTHORIZATION TOKEN, token type 0x01; " + token.length + " bytes of CBOR)");
                }
                else
                {
                    final String token = TokenMinter.jwt(jwk, root, put, get, -1, expiresAt, now);
                    System.out.println(token);
                    System.out.println(url + (url.contains("?") ? "&" : "?") + "jwt=" +
                        URLEncoder.encode(token, StandardCharsets.UTF_8));
                }
            }
            catch (final JOSEException e)
            {
                System.err.println("token mint: " + e.getMessage());
                return 2;
            }
            System.err.println("root=\"" + AuthPath.normalize(root) + "\" put=" + quoted(put) + " get=" + quoted(get) +
                " expires=" +
                (expiresAt == Grant.NEVER ? "never" : Instant.ofEpochMilli(expiresAt / 1000 * 1000)) + " kid=" +
                jwk.getKeyID());
            return 0;
        }

        private static List<String> quoted(final List<String> paths)
        {
            return paths.stream().map(p -> "\"" + p + "\"").toList();
        }

        /** The CAT equivalent of root/put/get: prefix-on-segments scopes, plus CLIENT_SETUP. */
        private List<CatGrant.Scope> scopes()
        {
            final List<CatGrant.Scope> scopes = new ArrayList<>();
            scopes.add(new CatGrant.Scope(Set.of(Action.CLIENT_SETUP.catKey()), null, null));
            addScopes(scopes, put, Set.of(Action.PUBLISH_NAMESPACE.catKey(), Action.PUBLISH.catKey()));
            addScopes(scopes, get, Set.of(Action.SUBSCRIBE_NAMESPACE.catKey(), Action.SUBSCRIBE.catKey(),
                Action.FETCH.catKey(), Action.TRACK_STATUS.catKey()));
            return scopes;
        }

        private void addScopes(final List<CatGrant.Scope> scopes, final List<String> suffixes,
            final Set<Integer> actions)
        {
            for (final String suffix : suffixes)
            {
                final String path = AuthPath.join(root, suffix);
                final List<CatGrant.Match> fields = new ArrayList<>();
                if (!path.isEmpty())
                {
                    for (final String field : path.split("/"))
                    {
                        fields.add(new CatGrant.Match(CatGrant.MatchType.EXACT,
                            field.getBytes(StandardCharsets.UTF_8)));
                    }
                }
                scopes.add(new CatGrant.Scope(new HashSet<>(actions), fields, null));
            }
        }
    }
}
