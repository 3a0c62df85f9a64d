package moq.relay.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;

/**
 * Common Access Tokens (CTA-5007: a CWT, i.e. COSE over CBOR claims) for MoQT as draft-ietf-moq-c4m-01 defines them,
 * on a small set of algorithms: COSE_Mac0 with HMAC 256/256 (COSE alg 5, an {@code oct} JWK) and COSE_Sign1 with
 * ES256 (COSE alg -7, a P-256 {@code EC} JWK). CBOR is read and written with Jackson's CBOR data format.
 *
 * <p>Accepted: the 4-element COSE_Mac0 / COSE_Sign1 array, tagged (61 CWT, 17, 18) or not (Jackson's tree model drops
 * tags; the protected header's {@code alg} says which structure it is). {@code kid} (label 4) in the protected or
 * unprotected header, its bytes read as UTF-8 and matched against the JWK {@code kid}. Claims: {@code exp} (4),
 * {@code nbf} (5), {@code moqt} (327) and {@code moqt-reval} (328), the claim keys the draft's test vectors use for
 * its TBD code points; {@code iss} (1), {@code sub} (2), {@code aud} (3), {@code iat} (6), {@code cti} (7) and
 * {@code catv} (310) are informational here. Any other claim, which could restrict the token in a way this relay does
 * not enforce (network, geography, DPoP {@code cnf}/{@code catdpop}, composite claims, ...), refuses the token:
 * failing closed.
 *
 * <p>{@code moqt-reval}: the draft asks for periodic revalidation; the only check here whose outcome changes over time
 * is {@code exp}, which the relay enforces with a timer, so a revalidation would only repeat it.
 */
public final class CatToken
{
    /** COSE algorithm HMAC 256/256. */
    public static final int ALG_HMAC_256_256 = 5;
    /** COSE algorithm ES256. */
    public static final int ALG_ES256 = -7;
    /** CWT claim keys. */
    public static final int CLAIM_EXP = 4;
    public static final int CLAIM_NBF = 5;
    /** draft-ietf-moq-c4m's {@code moqt} and {@code moqt-reval}, as numbered in its test vectors (TBD in its text). */
    public static final int CLAIM_MOQT = 327;
    public static final int CLAIM_MOQT_REVAL = 328;

    private static final Set<String> INFORMATIONAL = Set.of("1", "2", "3", "6", "7", "310");
    /** Trailing bytes after the token and a claim given twice are malformed, not silently ignored. */
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final int COSE_ALG = 1;
    private static final int COSE_CRIT = 2;
    private static final int COSE_KID = 4;

    private final KeySet keys;

    public CatToken(final KeySet keys)
    {
        this.keys = keys;
    }

    /** Verifies {@code token} at {@code nowMillis} and returns its {@code moqt} grant. */
    public CatGrant verify(final byte[] token, final long nowMillis) throws AuthException
    {
        final JsonNode cose = read(token);
        if (!cose.isArray() || cose.size() != 4 || !cose.get(0).isBinary() || !cose.get(2).isBinary() ||
            !cose.get(3).isBinary() || !(cose.get(1).isObject()))
        {
            throw malformed("not a COSE_Mac0 or COSE_Sign1 array");
        }
        final byte[] protectedBytes = binary(cose.get(0));
        final JsonNode header = protectedBytes.length == 0 ? CBOR.createObjectNode() : read(protectedBytes);
        if (!header.isObject() || !header.path(Integer.toString(COSE_ALG)).isIntegralNumber())
        {
            throw malformed("protected header without alg");
        }
        if (header.has(Integer.toString(COSE_CRIT)))
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "critical COSE header parameters are not supported");
        }
        final int alg = header.get(Integer.toString(COSE_ALG)).asInt();
        JsonNode kidNode = header.get(Integer.toString(COSE_KID));
        if (kidNode == null)
        {
            kidNode = cose.get(1).get(Integer.toString(COSE_KID));
        }
        final String kid = kidNode == null ? null : new String(binaryOrText(kidNode), StandardCharsets.UTF_8);
        final JWK key = keys.select(kid);
        final byte[] payload = binary(cose.get(2));
        final byte[] tag = binary(cose.get(3));
        if (alg == ALG_HMAC_256_256 && key instanceof OctetSequenceKey)
        {
            final byte[] expected = hmac((OctetSequenceKey)key, toBeMaced(protectedBytes, payload));
            if (!MessageDigest.isEqual(expected, tag))
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "bad MAC");
            }
        }
        else if (alg == ALG_ES256 && key instanceof ECKey && Curve.P_256.equals(((ECKey)key).getCurve()))
        {
            if (!es256Verify((ECKey)key, toBeSigned(protectedBytes, payload), tag))
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "bad signature");
            }
        }
        else
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "COSE alg " + alg + " does not fit the key " +
                key.getKeyType() + " (HMAC 256/256 with oct, ES256 with EC P-256)");
        }
        return claims(read(payload), nowMillis);
    }

    /** The grant of a CWT claims set alone (no COSE): for the draft's test vectors. */
    static CatGrant grantOfClaims(final byte[] claimsCbor, final long nowMillis) throws AuthException
    {
        return claims(read(claimsCbor), nowMillis);
    }

    private static CatGrant claims(final JsonNode claims, final long nowMillis) throws AuthException
    {
        if (!claims.isObject())
        {
            throw malformed("claims are not a map");
        }
        long expiresAt = Grant.NEVER;
        List<CatGrant.Scope> scopes = List.of();
        final Iterator<Map.Entry<String, JsonNode>> it = claims.fields();
        while (it.hasNext())
        {
            final Map.Entry<String, JsonNode> claim = it.next();
            final String key = claim.getKey();
            final JsonNode value = claim.getValue();
            if (key.equals(Integer.toString(CLAIM_EXP)))
            {
                expiresAt = seconds(value, "exp");
            }
            else if (key.equals(Integer.toString(CLAIM_NBF)))
            {
                if (nowMillis < seconds(value, "nbf"))
                {
                    throw new AuthException(AuthFailure.UNAUTHORIZED, "token not yet valid (nbf)");
                }
            }
            else if (key.equals(Integer.toString(CLAIM_MOQT)))
            {
                scopes = scopes(value);
            }
            else if (key.equals(Integer.toString(CLAIM_MOQT_REVAL)))
            {
                if (!value.isNumber())
                {
                    throw malformed("moqt-reval is not a number");
                }
            }
            else if (!INFORMATIONAL.contains(key))
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "claim " + key + " is not supported");
            }
        }
        if (nowMillis >= expiresAt)
        {
            throw new AuthException(AuthFailure.EXPIRED_AUTH_TOKEN, "token expired");
        }
        return new CatGrant(scopes, expiresAt);
    }

    private static List<CatGrant.Scope> scopes(final JsonNode moqt) throws AuthException
    {
        if (!moqt.isArray() || moqt.isEmpty())
        {
            throw malformed("moqt is not a non-empty array");
        }
        final List<CatGrant.Scope> scopes = new ArrayList<>(moqt.size());
        for (final JsonNode scope : moqt)
        {
            if (!scope.isArray() || scope.isEmpty() || scope.size() > 3 || !scope.get(0).isArray() ||
                scope.get(0).isEmpty())
            {
                throw malformed("moqt scope is not [actions, ?namespace, ?track]");
            }
            final Set<Integer> actions = new HashSet<>();
            for (final JsonNode action : scope.get(0))
            {
                if (!action.isIntegralNumber())
                {
                    throw malformed("moqt action is not an integer");
                }
                actions.add(action.asInt());
            }
            List<CatGrant.Match> namespace = null;
            if (scope.size() >= 2)
            {
                final JsonNode ns = scope.get(1);
                if (!ns.isArray())
                {
                    throw malformed("moqt namespace matches are not an array");
                }
                namespace = new ArrayList<>(ns.size());
                for (int i = 0; i < ns.size(); i++)
                {
                    if (ns.get(i).isNull())
                    {
                        if (i != ns.size() - 1)
                        {
                            throw malformed("nil before the last namespace match");
                        }
                        namespace.add(CatGrant.Match.NIL);
                    }
                    else
                    {
                        namespace.add(match(ns.get(i)));
                    }
                }
            }
            final CatGrant.Match track = scope.size() == 3 ? match(scope.get(2)) : null;
            scopes.add(new CatGrant.Scope(Set.copyOf(actions), namespace == null ? null : List.copyOf(namespace),
                track));
        }
        return scopes;
    }

    private static CatGrant.Match match(final JsonNode node) throws AuthException
    {
        if (node.isBinary())
        {
            return new CatGrant.Match(CatGrant.MatchType.EXACT, binary(node));
        }
        if (node.isArray() && node.size() == 2 && node.get(0).isIntegralNumber() && node.get(1).isBinary())
        {
            final int type = node.get(0).asInt();
            if (type == 1 || type == 2)
            {
                return new CatGrant.Match(type == 1 ? CatGrant.MatchType.PREFIX : CatGrant.MatchType.SUFFIX,
                    binary(node.get(1)));
            }
        }
        throw malformed("bad match object (bstr or [1|2, bstr])");
    }

    private static long seconds(final JsonNode value, final String name) throws AuthException
    {
        if (!value.isNumber())
        {
            throw malformed(name + " is not a number");
        }
        final double seconds = value.asDouble();
        return seconds >= Long.MAX_VALUE / 1000.0 ? Grant.NEVER : (long)Math.floor(seconds * 1000.0);
    }

    // ---- COSE ----

    static byte[] toBeMaced(final byte[] protectedBytes, final byte[] payload) throws AuthException
    {
        return structure("MAC0", protectedBytes, payload);
    }

    static byte[] toBeSigned(final byte[] protectedBytes, final byte[] payload) throws AuthException
    {
        return structure("Signature1", protectedBytes, payload);
    }

    /** MAC_structure / Sig_structure (RFC 9052 §4.4, §6.3) with empty external AAD. */
    private static byte[] structure(final String context, final byte[] protectedBytes, final byte[] payload)
        throws AuthException
    {
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + protectedBytes.length + 32);
            try (CBORGenerator gen = (CBORGenerator)CBOR.getFactory().createGenerator(out))
            {
                gen.writeStartArray(null, 4);
                gen.writeString(context);
                gen.writeBinary(protectedBytes);
                gen.writeBinary(new byte[0]);
                gen.writeBinary(payload);
                gen.writeEndArray();
            }
            return out.toByteArray();
        }
        catch (final IOException e)
        {
            throw malformed("cannot encode the COSE structure");
        }
    }

    static byte[] hmac(final OctetSequenceKey key, final byte[] data)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.toByteArray(), "HmacSHA256"));
            return mac.doFinal(data);
        }
        catch (final GeneralSecurityException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static boolean es256Verify(final ECKey key, final byte[] data, final byte[] signature)
        throws AuthException
    {
        try
        {
            final Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key.toECPublicKey());
            s.update(data);
            return s.verify(signature);
        }
        catch (final GeneralSecurityException | JOSEException e)
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "cannot verify: " + e.getMessage());
        }
    }

    static byte[] es256Sign(final ECKey key, final byte[] data) throws GeneralSecurityException, JOSEException
    {
        final Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(key.toECPrivateKey());
        s.update(data);
        return s.sign();
    }

    // ---- CBOR helpers ----

    static ObjectMapper cbor()
    {
        return CBOR;
    }

    private static JsonNode read(final byte[] bytes) throws AuthException
    {
        try
        {
            final JsonNode node = CBOR.readTree(bytes);
            if (node == null || node.isMissingNode())
            {
                throw malformed("empty CBOR");
            }
            return node;
        }
        catch (final IOException e)
        {
            throw malformed("not CBOR");
        }
    }

    private static byte[] binary(final JsonNode node) throws AuthException
    {
        try
        {
            return node.binaryValue();
        }
        catch (final IOException e)
        {
            throw malformed("not a byte string");
        }
    }

    private static byte[] binaryOrText(final JsonNode node) throws AuthException
    {
        return node.isTextual() ? node.asText().getBytes(StandardCharsets.UTF_8) : binary(node);
    }

    private static AuthException malformed(final String why)
    {
        return new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, why);
    }
}
