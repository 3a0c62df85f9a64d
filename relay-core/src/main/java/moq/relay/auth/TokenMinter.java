package moq.relay.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Date;
import java.util.List;

import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints tokens with a private JWK: JWTs with moq-dev's claims (what its {@code moq-token} CLI signs) and Common
 * Access Tokens with the equivalent {@code moqt} scopes. Used by the {@code token} command and by tests.
 */
public final class TokenMinter
{
    private TokenMinter()
    {
    }

    /** The JWS algorithm a key signs with: HS256 (oct), ES256 (EC P-256), RS256 (RSA), EdDSA (OKP Ed25519). */
    public static JWSAlgorithm algorithmOf(final JWK key)
    {
        if (key instanceof OctetSequenceKey)
        {
            return JWSAlgorithm.HS256;
        }
        if (key instanceof ECKey)
        {
            return JWSAlgorithm.ES256;
        }
        if (key instanceof RSAKey)
        {
            return JWSAlgorithm.RS256;
        }
        if (key instanceof OctetKeyPair)
        {
            return JWSAlgorithm.EdDSA;
        }
        throw new IllegalArgumentException("unsupported key type " + key.getKeyType());
    }

    /**
     * A JWT granting {@code put} and {@code get} below {@code root}, valid from {@code notBeforeMillis} (omitted when
     * negative) until {@code expiresAtMillis} ({@link Grant#NEVER}: no {@code exp}).
     */
    public static String jwt(final JWK key, final String root, final List<String> put, final List<String> get,
        final long notBeforeMillis, final long expiresAtMillis, final long issuedAtMillis) throws JOSEException
    {
        final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issueTime(new Date(seconds(issuedAtMillis)));
        if (!root.isEmpty())
        {
            claims.claim("root", root);
        }
        if (!put.isEmpty())
        {
            claims.claim("put", put.size() == 1 ? put.get(0) : put);
        }
        if (!get.isEmpty())
        {
            claims.claim("get", get.size() == 1 ? get.get(0) : get);
        }
        if (expiresAtMillis != Grant.NEVER)
        {
            claims.expirationTime(new Date(seconds(expiresAtMillis)));
        }
        if (notBeforeMillis >= 0)
        {
            claims.notBeforeTime(new Date(seconds(notBeforeMillis)));
        }
        final JWSAlgorithm alg = algorithmOf(key);
        final SignedJWT jwt = new SignedJWT(
            new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(signer(key));
        return jwt.serialize();
    }

    private static long seconds(final long millis)
    {
        return millis / 1000 * 1000;
    }

    private static JWSSigner signer(final JWK key) throws JOSEException
    {
        if (key instanceof OctetSequenceKey)
        {
            return new MACSigner((OctetSequenceKey)key);
        }
        if (key instanceof ECKey)
        {
            return new ECDSASigner((ECKey)key);
        }
        if (key instanceof RSAKey)
        {
            return new RSASSASigner((RSAKey)key);
        }
        return new Ed25519Jdk.Signer((OctetKeyPair)key);
    }

    /**
     * A Common Access Token (COSE_Mac0 HMAC 256/256 for an {@code oct} key, COSE_Sign1 ES256 for an EC key) with
     * {@code moqt} {@code scopes}, {@code exp} and, when not negative, {@code nbf}.
     */
    public static byte[] cat(final JWK key, final List<CatGrant.Scope> scopes, final long notBeforeMillis,
        final long expiresAtMillis) throws JOSEException
    {
        final boolean mac = key instanceof OctetSequenceKey;
        if (!mac && !(key instanceof ECKey))
        {
            throw new JOSEException("CAT tokens are minted with an oct (HMAC 256/256) or EC P-256 (ES256) key");
        }
        try
        {
            final byte[] protectedBytes = encode(gen ->
            {
                final byte[] kid = key.getKeyID() == null ? null : key.getKeyID().getBytes(StandardCharsets.UTF_8);
                gen.writeStartObject(null, kid == null ? 1 : 2);
                gen.writeFieldId(1);
                gen.writeNumber(mac ? CatToken.ALG_HMAC_256_256 : CatToken.ALG_ES256);
                if (kid != null)
                {
                    gen.writeFieldId(4);
                    gen.writeBinary(kid);
                }
                gen.writeEndObject();
            });
            final byte[] payload = encode(gen -> writeClaims(gen, scopes, notBeforeMillis, expiresAtMillis));
            final byte[] tag = mac ?
                CatToken.hmac((OctetSequenceKey)key, CatToken.toBeMaced(protectedBytes, payload)) :
                CatToken.es256Sign((ECKey)key, CatToken.toBeSigned(protectedBytes, payload));
            return encode(gen ->
            {
                gen.writeTag(61);
                gen.writeTag(mac ? 17 : 18);
                gen.writeStartArray(null, 4);
                gen.writeBinary(protectedBytes);
                gen.writeStartObject(null, 0);
                gen.writeEndObject();
                gen.writeBinary(payload);
                gen.writeBinary(tag);
                gen.writeEndArray();
            });
        }
        catch (final IOException | GeneralSecurityException | AuthException e)
        {
            throw new JOSEException("cannot mint a CAT: " + e.getMessage(), e);
        }
    }

    private static void writeClaims(final CBORGenerator gen, final List<CatGrant.Scope> scopes,
        final long notBeforeMillis, final long expiresAtMillis) throws IOException
    {
        final int count = 1 + (expiresAtMillis != Grant.NEVER ? 1 : 0) + (notBeforeMillis >= 0 ? 1 : 0);
        gen.writeStartObject(null, count);
        if (expiresAtMillis != Grant.NEVER)
        {
            gen.writeFieldId(CatToken.CLAIM_EXP);
            gen.writeNumber(expiresAtMillis / 1000);
        }
        if (notBeforeMillis >= 0)
        {
            gen.writeFieldId(CatToken.CLAIM_NBF);
            gen.writeNumber(notBeforeMillis / 1000);
        }
        gen.writeFieldId(CatToken.CLAIM_MOQT);
        gen.writeStartArray(null, scopes.size());
        for (final CatGrant.Scope scope : scopes)
        {
            final int length = scope.track() != null ? 3 : scope.namespace() != null ? 2 : 1;
            gen.writeStartArray(null, length);
            gen.writeStartArray(null, scope.actions().size());
            for (final int action : scope.actions().stream().sorted().toList())
            {
                gen.writeNumber(action);
            }
            gen.writeEndArray();
            if (length >= 2)
            {
                final List<CatGrant.Match> ns = scope.namespace() == null ? List.of() : scope.namespace();
                gen.writeStartArray(null, ns.size());
                for (final CatGrant.Match m : ns)
                {
                    writeMatch(gen, m);
                }
                gen.writeEndArray();
            }
            if (length == 3)
            {
                writeMatch(gen, scope.track());
            }
            gen.writeEndArray();
        }
        gen.writeEndArray();
        gen.writeEndObject();
    }

    private static void writeMatch(final CBORGenerator gen, final CatGrant.Match m) throws IOException
    {
        if (m == CatGrant.Match.NIL)
        {
            gen.writeNull();
        }
        else if (m.type() == CatGrant.MatchType.EXACT)
        {
            gen.writeBinary(m.value());
        }
        else
        {
            gen.writeStartArray(null, 2);
            gen.writeNumber(m.type() == CatGrant.MatchType.PREFIX ? 1 : 2);
            gen.writeBinary(m.value());
            gen.writeEndArray();
        }
    }

    private interface CborWriter
    {
        void write(CBORGenerator gen) throws IOException;
    }

    private static byte[] encode(final CborWriter writer) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator gen = (CBORGenerator)CatToken.cbor().getFactory().createGenerator(out))
        {
            writer.write(gen);
        }
        return out.toByteArray();
    }
}
