package moq.relay.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/**
 * EdDSA (Ed25519) JWS signing and verification with the JDK's own Ed25519 (JDK 15+), so that nimbus's EdDSA support
 * does not pull in its optional Tink dependency. Keys travel as OKP JWKs ({@code crv} Ed25519, raw {@code x} and
 * {@code d}); the JDK wants X.509 / PKCS#8 encodings, which for Ed25519 are a fixed prefix before the raw 32 bytes
 * (RFC 8410).
 */
public final class Ed25519Jdk
{
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final byte[] PKCS8_PREFIX =
        {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private Ed25519Jdk()
    {
    }

    /** A fresh Ed25519 key pair as an OKP JWK with {@code kid}. */
    public static OctetKeyPair generate(final String kid) throws GeneralSecurityException
    {
        final KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        final byte[] x = tail(pair.getPublic().getEncoded());
        final byte[] d = tail(pair.getPrivate().getEncoded());
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).keyID(kid).build();
    }

    private static byte[] tail(final byte[] encoded)
    {
        return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }

    static PublicKey publicKey(final OctetKeyPair jwk) throws GeneralSecurityException
    {
        return KeyFactory.getInstance("Ed25519").generatePublic(
            new X509EncodedKeySpec(concat(X509_PREFIX, jwk.getX().decode())));
    }

    static PrivateKey privateKey(final OctetKeyPair jwk) throws GeneralSecurityException
    {
        return KeyFactory.getInstance("Ed25519").generatePrivate(
            new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, jwk.getD().decode())));
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Verifies EdDSA JWS signatures with one Ed25519 public key. */
    public static final class Verifier implements JWSVerifier
    {
        private final PublicKey key;
        private final JCAContext context = new JCAContext();

        public Verifier(final OctetKeyPair jwk) throws JOSEException
        {
            if (!Curve.Ed25519.equals(jwk.getCurve()))
            {
                throw new JOSEException("EdDSA needs an Ed25519 key, not " + jwk.getCurve());
            }
            try
            {
                this.key = publicKey(jwk);
            }
            catch (final GeneralSecurityException e)
            {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public boolean verify(final JWSHeader header, final byte[] signingInput, final Base64URL signature)
            throws JOSEException
        {
            if (!ALGORITHMS.contains(header.getAlgorithm()))
            {
                return false;
            }
            try
            {
                final Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(signingInput);
                return s.verify(signature.decode());
            }
            catch (final GeneralSecurityException e)
            {
                return false;
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms()
        {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext()
        {
            return context;
        }
    }

    /** Signs EdDSA JWS with one Ed25519 private key (the {@code token} command). */
    public static final class Signer implements JWSSigner
    {
        private final PrivateKey key;
        private final JCAContext context = new JCAContext();

        public Signer(final OctetKeyPair jwk) throws JOSEException
        {
            if (!jwk.isPrivate())
            {
                throw new JOSEException("signing needs the private key (d)");
            }
            try
            {
                this.key = privateKey(jwk);
            }
            catch (final GeneralSecurityException e)
            {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Base64URL sign(final JWSHeader header, final byte[] signingInput) throws JOSEException
        {
            try
            {
                final Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(signingInput);
                return Base64URL.encode(s.sign());
            }
            catch (final GeneralSecurityException e)
            {
                throw new JOSEException(e.getMessage(), e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms()
        {
            return ALGORITHMS;
        }

        @Override
        public JCAContext getJCAContext()
        {
            return context;
        }
    }
}
