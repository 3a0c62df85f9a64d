package moq.relay.auth;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies a JWT carrying moq-dev's relay claims ({@code moq-token}'s {@code Claims}): {@code root} (string, default
 * ""), {@code put} and {@code get} (a string or a list of strings; absent = nothing), {@code exp} and {@code nbf}
 * (NumericDate). Signed with HS256, ES256, RS256 or EdDSA (Ed25519) by a key from the {@link KeySet}, chosen by
 * {@code kid}. Times are checked exactly, with no leeway: a relay that ends grants on expiry must agree with the
 * token's issuer on when that is.
 *
 * <p>Refusals: not a compact JWS or bad claim types: MALFORMED_AUTH_TOKEN; unknown kid, algorithm not allowed or not
 * the key's, bad signature, {@code nbf} in the future (draft-18: UNAUTHORIZED "might be retryable if the authorization
 * token is not yet valid"), wrong root: UNAUTHORIZED; {@code exp} passed: EXPIRED_AUTH_TOKEN.
 */
public final class JwtVerifier
{
    private static final Set<JWSAlgorithm> ALLOWED =
        Set.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.RS256, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    private final KeySet keys;

    public JwtVerifier(final KeySet keys)
    {
        this.keys = keys;
    }

    /** The grant of {@code compact} for a session at {@code connectionPath}, checked at {@code nowMillis}. */
    public PathGrant verify(final String compact, final String connectionPath, final long nowMillis)
        throws AuthException
    {
        final SignedJWT jwt;
        final JWTClaimsSet claims;
        try
        {
            jwt = SignedJWT.parse(compact);
            claims = jwt.getJWTClaimsSet();
        }
        catch (final ParseException e)
        {
            throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, "not a signed JWT");
        }
        final JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!ALLOWED.contains(alg))
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "algorithm " + alg + " is not accepted");
        }
        if (jwt.getHeader().getCriticalParams() != null && !jwt.getHeader().getCriticalParams().isEmpty())
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "critical header parameters are not supported");
        }
        final JWK key = keys.select(jwt.getHeader().getKeyID());
        try
        {
            if (!jwt.verify(verifier(alg, key)))
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "bad signature");
            }
        }
        catch (final JOSEException e)
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "cannot verify: " + e.getMessage());
        }
        final long expiresAt = millis(claims, "exp", Grant.NEVER);
        if (nowMillis >= expiresAt)
        {
            throw new AuthException(AuthFailure.EXPIRED_AUTH_TOKEN, "token expired");
        }
        if (nowMillis < millis(claims, "nbf", Long.MIN_VALUE))
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "token not yet valid (nbf)");
        }
        return PathGrant.fromClaims(connectionPath, string(claims, "root"), strings(claims, "put"),
            strings(claims, "get"), expiresAt);
    }

    /** A verifier only for the algorithm the key is for: an HS256 header never meets an RSA or EC key. */
    static JWSVerifier verifier(final JWSAlgorithm alg, final JWK key) throws AuthException, JOSEException
    {
        if (key instanceof OctetSequenceKey && JWSAlgorithm.HS256.equals(alg))
        {
            return new MACVerifier((OctetSequenceKey)key);
        }
        if (key instanceof ECKey && JWSAlgorithm.ES256.equals(alg))
        {
            return new ECDSAVerifier(((ECKey)key).toPublicJWK());
        }
        if (key instanceof RSAKey && JWSAlgorithm.RS256.equals(alg))
        {
            return new RSASSAVerifier(((RSAKey)key).toPublicJWK());
        }
        if (key instanceof OctetKeyPair && (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)))
        {
            return new Ed25519Jdk.Verifier((OctetKeyPair)key);
        }
        throw new AuthException(AuthFailure.UNAUTHORIZED, "algorithm " + alg + " does not fit the key " +
            key.getKeyType());
    }

    private static long millis(final JWTClaimsSet claims, final String name, final long absent) throws AuthException
    {
        try
        {
            final Date date = claims.getDateClaim(name);
            return date == null ? absent : date.getTime();
        }
        catch (final ParseException e)
        {
            throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, name + " is not a NumericDate");
        }
    }

    private static String string(final JWTClaimsSet claims, final String name) throws AuthException
    {
        final Object value = claims.getClaim(name);
        if (value == null)
        {
            return "";
        }
        if (!(value instanceof String))
        {
            throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, name + " is not a string");
        }
        return (String)value;
    }

    /** moq-dev's {@code string_or_vec}: one string or a list of strings; absent is the empty list. */
    private static List<String> strings(final JWTClaimsSet claims, final String name) throws AuthException
    {
        final Object value = claims.getClaim(name);
        if (value == null)
        {
            return List.of();
        }
        if (value instanceof String)
        {
            return List.of((String)value);
        }
        if (value instanceof List<?>)
        {
            final List<String> out = new ArrayList<>();
            for (final Object item : (List<?>)value)
            {
                if (!(item instanceof String))
                {
                    throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, name + " holds a non-string");
                }
                out.add((String)item);
            }
            return out;
        }
        throw new AuthException(AuthFailure.MALFORMED_AUTH_TOKEN, name + " is neither a string nor a list");
    }
}
