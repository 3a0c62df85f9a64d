package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;

import com.nimbusds.jose.jwk.JWK;
import moq.relay.auth.Authorizer.SessionCredentials;
import moq.relay.wire.Bytes;
import org.junit.jupiter.api.Test;

/**
 * Whatever bytes a peer puts in a token, verification ends in a grant or an {@link AuthException} with a code, never
 * another exception that would escape into the session: mutated valid tokens and random bytes, seeded.
 */
class HostileTokenTest
{
    private static final int ROUNDS = 3000;

    @Test
    void mutatedTokensOnlyEverFailWithACode() throws Exception
    {
        final JWK hmac = KeyGenerator.generate("HS256", "h");
        final JWK es = KeyGenerator.generate("ES256", "e");
        final TokenAuthorizer authorizer = new TokenAuthorizer(new KeySet(List.of(hmac, es)), List.of(), List.of(),
            4096, Clock.systemUTC());
        final long exp = System.currentTimeMillis() + 3_600_000L;
        final byte[][] seeds = {
            TokenMinter.cat(hmac, List.of(new CatGrant.Scope(Set.of(0, 4), List.of(CatGrant.Match.NIL), null)), -1, exp),
            TokenMinter.cat(es, List.of(new CatGrant.Scope(Set.of(0), null, null)), 0, exp),
            TokenMinter.jwt(hmac, "room", List.of("a", "b"), List.of(""), -1, exp, 0).getBytes(StandardCharsets.US_ASCII),
        };
        final Random random = new Random(15);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final byte[] seed = seeds[round % seeds.length];
            final byte[] token = round % 10 == 9 ? randomBytes(random) : mutate(seed, random);
            final long type = round % 3 == 2 ? Credential.TYPE_JWT : Credential.TYPE_CAT;
            try
            {
                authorizer.openSession(new SessionCredentials("room", List.of(new Credential(type,
                    Bytes.wrap(token)))));
                accepted++;
            }
            catch (final AuthException expected)
            {
                assertThat(expected.failure()).isNotNull();
            }
        }
        // Mutations that leave the signed bytes intact (e.g. in an unprotected header) may pass; most must not.
        assertThat(accepted).isLessThan(ROUNDS / 4);
    }

    private static byte[] mutate(final byte[] seed, final Random random)
    {
        final byte[] out;
        switch (random.nextInt(4))
        {
            case 0:
                out = seed.clone();
                out[random.nextInt(out.length)] ^= (byte)(1 << random.nextInt(8));
                return out;
            case 1:
                out = java.util.Arrays.copyOf(seed, random.nextInt(seed.length));
                return out;
            case 2:
                out = seed.clone();
                out[random.nextInt(out.length)] = (byte)random.nextInt(256);
                return out;
            default:
                out = java.util.Arrays.copyOf(seed, seed.length + 1 + random.nextInt(8));
                return out;
        }
    }

    private static byte[] randomBytes(final Random random)
    {
        final byte[] out = new byte[random.nextInt(200)];
        random.nextBytes(out);
        if (out.length > 0)
        {
            out[0] = (byte)(0x80 | random.nextInt(0x60)); // mostly CBOR arrays, maps, strings
        }
        return out;
    }
}
