package moq.relay.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * The verification keys, loaded once from JWK files (a single JWK or a JWK set {@code {"keys": [...]}} each), and
 * chosen per token by its key id: a JWT's {@code kid} header, a CAT's COSE {@code kid} (label 4, as UTF-8). A token
 * without a key id is accepted only when exactly one key is configured, as moq-dev's single {@code --auth-key} does.
 * Private parts in the files are ignored for verification (the {@code token} command writes the private JWK; the
 * relay may read the same file, or its public half).
 */
public final class KeySet
{
    private final Map<String, JWK> byKid;
    private final JWK single;

    public KeySet(final List<JWK> keys)
    {
        final Map<String, JWK> map = new LinkedHashMap<>();
        for (final JWK key : keys)
        {
            if (key.getKeyID() == null)
            {
                if (keys.size() > 1)
                {
                    throw new IllegalArgumentException("with several keys, each needs a kid");
                }
            }
            else if (map.put(key.getKeyID(), key) != null)
            {
                throw new IllegalArgumentException("two keys with kid " + key.getKeyID());
            }
        }
        this.byKid = Map.copyOf(map);
        this.single = keys.size() == 1 ? keys.get(0) : null;
    }

    /**
     * Reads every file; a file holds one JWK or a JWK set, as JSON or, as moq-dev's {@code moq-token} writes its key
     * files, as base64url-encoded JSON. A JWK without {@code kty} is {@code oct} (moq-token's backward-compatible
     * default). A moq-token key {@code scope} (a ceiling on what the key may sign) is not enforced here, so such a key
     * is refused rather than trusted beyond its scope.
     */
    public static KeySet load(final List<Path> files) throws IOException
    {
        final List<JWK> keys = new ArrayList<>();
        for (final Path file : files)
        {
            final String content = Files.readString(file, StandardCharsets.UTF_8).trim();
            try
            {
                final String json = content.startsWith("{") ? content :
                    new String(Base64.getUrlDecoder().decode(content.replace("=", "")), StandardCharsets.UTF_8);
                final Map<String, Object> object = JSONObjectUtils.parse(json);
                if (object.containsKey("keys"))
                {
                    for (final JWK key : JWKSet.parse(object).getKeys())
                    {
                        keys.add(key);
                    }
                }
                else
                {
                    if (object.containsKey("scope"))
                    {
                        throw new IOException(file + ": keys with a moq-token scope are not supported");
                    }
                    object.putIfAbsent("kty", "oct");
                    keys.add(JWK.parse(object));
                }
            }
            catch (final ParseException | IllegalArgumentException e)
            {
                throw new IOException(file + " is not a JWK or JWK set: " + e.getMessage(), e);
            }
        }
        return new KeySet(keys);
    }

    /** The key for {@code kid} (null: the token named none). */
    public JWK select(final String kid) throws AuthException
    {
        if (kid == null)
        {
            if (single == null)
            {
                throw new AuthException(AuthFailure.UNAUTHORIZED, "the token names no key id and several keys are " +
                    "configured");
            }
            return single;
        }
        final JWK key = byKid.get(kid);
        if (key == null)
        {
            if (single != null && single.getKeyID() == null)
            {
                return single;
            }
            throw new AuthException(AuthFailure.UNAUTHORIZED, "no key with the token's key id");
        }
        return key;
    }

    public int size()
    {
        return single != null ? 1 : byKid.size();
    }
}
