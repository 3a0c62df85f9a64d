package moq.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import moq.relay.wire.Bytes;
import org.junit.jupiter.api.Test;

/** Published vectors, so that the JDK Ed25519 and COSE code paths agree with other implementations, not just ours. */
class OutsideVectorsTest
{
    @Test
    void rfc8037Ed25519JwsVerifies() throws Exception
    {
        // RFC 8037 Appendix A.1 key and A.4 signature.
        final OctetKeyPair key = new OctetKeyPair.Builder(Curve.Ed25519,
            new Base64URL("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"))
            .d(new Base64URL("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")).build();
        final String jws = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." +
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        assertThat(JWSObject.parse(jws).verify(new Ed25519Jdk.Verifier(key.toPublicJWK()))).isTrue();
        // Our signer produces the same deterministic signature.
        final JWSObject again = new JWSObject(JWSObject.parse(jws).getHeader(), JWSObject.parse(jws).getPayload());
        again.sign(new Ed25519Jdk.Signer(key));
        assertThat(again.serialize()).isEqualTo(jws);
    }

    @Test
    void rfc8392SignedCwtVerifies() throws Exception
    {
        // RFC 8392 Appendix A.3 (COSE_Sign1, ES256) with the key of A.2.3, kid "AsymmetricECDSA256".
        final ECKey key = new ECKey.Builder(Curve.P_256,
            Base64URL.encode(Bytes.fromHex("143329cce7868e416927599cf65a34f3ce2ffda55a7eca69ed8919a394d42f0f").array()),
            Base64URL.encode(Bytes.fromHex("60f7f1a780d8a783bfb7a2dd6b2796e8128dbbcef9d3d168db9529971a36e7b9").array()))
            .keyID("AsymmetricECDSA256").build();
        final byte[] cwt = Bytes.fromHex("d28443a10126a104524173796d6d657472696345434453413235365850a70175636f61703a" +
            "2f2f61732e6578616d706c652e636f6d02656572696b77037818636f61703a2f2f6c696768742e6578616d706c652e636f6d04" +
            "1a5612aeb0051a5610d9f0061a5610d9f007420b7158405427c1ff28d23fbad1f29c4c7c6a555e601d6fa29f9179bc3d7438ba" +
            "caca5acd08c8d4d4f96131680c429a01f85951ecee743a52b9b63632c57209120e1c9e30").array();
        final CatGrant grant = new CatToken(new KeySet(List.of(key))).verify(cwt, 1_443_944_944_000L);
        assertThat(grant.expiresAtMillis()).isEqualTo(1_444_064_944_000L);
        assertThat(grant.scopes()).isEmpty();
        cwt[cwt.length - 1] ^= 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new CatToken(new KeySet(List.of(key))).verify(cwt, 1_443_944_944_000L))
            .isInstanceOf(AuthException.class);
    }
}
