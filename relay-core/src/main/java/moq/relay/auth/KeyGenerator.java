package moq.relay.auth;

import java.security.GeneralSecurityException;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/** Fresh signing keys as private JWKs, one per supported algorithm (the {@code token generate} command). */
public final class KeyGenerator
{
    private KeyGenerator()
    {
    }

    /** {@code algorithm}: HS256 (256-bit secret), ES256 (P-256), RS256 (2048-bit RSA) or EdDSA (Ed25519). */
    public static JWK generate(final String algorithm, final String kid) throws JOSEException
    {
        switch (algorithm.toUpperCase(Locale.ROOT))
        {
            case "HS256":
                return new OctetSequenceKeyGenerator(256).keyID(kid).algorithm(JWSAlgorithm.HS256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            case "ES256":
                return new ECKeyGenerator(Curve.P_256).keyID(kid).algorithm(JWSAlgorithm.ES256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            case "RS256":
                return new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            case "EDDSA":
            case "ED25519":
                try
                {
                    return Ed25519Jdk.generate(kid);
                }
                catch (final GeneralSecurityException e)
                {
                    throw new JOSEException(e.getMessage(), e);
                }
            default:
                throw new JOSEException("unknown algorithm " + algorithm + " (HS256, ES256, RS256, EdDSA)");
        }
    }
}
