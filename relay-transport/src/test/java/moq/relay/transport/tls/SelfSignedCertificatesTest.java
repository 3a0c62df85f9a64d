package moq.relay.transport.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SelfSignedCertificatesTest
{
    private static final Instant NOW = Instant.parse("2026-11-21T06:00:00Z");

    @TempDir
    Path dir;

    private static Clock at(final Instant instant)
    {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void generatedCertificateIsP256ValidForUnderFourteenDaysCoveringNow() throws Exception
    {
        final X509Certificate cert = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW)).leaf();

        assertThat(cert.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey)cert.getPublicKey()).getParams().toString()).contains("secp256r1");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getVersion()).isEqualTo(3);
        final Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertThat(validity).isLessThan(Duration.ofDays(14)).isGreaterThanOrEqualTo(Duration.ofDays(12));
        cert.checkValidity(java.util.Date.from(NOW));
        assertThat(cert.getSubjectAlternativeNames()).extracting(name -> name.get(1).toString())
            .contains("localhost", "127.0.0.1");
        assertThat(Files.exists(dir.resolve(SelfSignedCertificates.KEY_FILE_NAME))).isTrue();
        assertThat(Files.getPosixFilePermissions(dir.resolve(SelfSignedCertificates.KEY_FILE_NAME)))
            .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void fingerprintIsSha256OfTheCertificateDerInColonSeparatedHex() throws Exception
    {
        final ServerCertificate certificate =
            SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));

        final byte[] expected = MessageDigest.getInstance("SHA-256").digest(certificate.leaf().getEncoded());
        assertThat(certificate.sha256()).isEqualTo(expected);
        assertThat(certificate.sha256Fingerprint().replace(":", ""))
            .isEqualTo(HexFormat.of().withUpperCase().formatHex(expected));
        assertThat(certificate.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void storedCertificateIsReusedWhileItHasMoreThanADayLeft()
    {
        final ServerCertificate first = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));
        final ServerCertificate later = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir),
            at(NOW.plus(Duration.ofDays(10))));

        assertThat(later.sha256Fingerprint()).isEqualTo(first.sha256Fingerprint());
        assertThat(later.key().getEncoded()).isEqualTo(first.key().getEncoded());
    }

    @Test
    void storedCertificateWithLessThanADayLeftIsRegenerated()
    {
        final ServerCertificate first = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));
        final Instant nearExpiry = first.leaf().getNotAfter().toInstant().minus(Duration.ofHours(12));

        final ServerCertificate renewed =
            SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(nearExpiry));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(renewed.leaf().getNotAfter().toInstant()).isAfter(nearExpiry.plus(Duration.ofDays(12)));
    }

    @Test
    void expiredStoredCertificateIsRegeneratedValidNow() throws Exception
    {
        final ServerCertificate old = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir),
            at(NOW.minus(Duration.ofDays(30))));

        final ServerCertificate renewed = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(old.sha256Fingerprint());
        renewed.leaf().checkValidity(java.util.Date.from(NOW));
        // The replacement is what the next start reuses.
        assertThat(SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW)).sha256Fingerprint())
            .isEqualTo(renewed.sha256Fingerprint());
    }

    @Test
    void storedCertificateForOtherHostsIsRegenerated()
    {
        final ServerCertificate first = SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));
        final TlsSettings otherHosts = new TlsSettings(null, null, dir, List.of("relay.example"),
            Duration.ofDays(13), Duration.ofDays(1));

        final ServerCertificate renewed = SelfSignedCertificates.loadOrCreate(otherHosts, at(NOW));

        assertThat(renewed.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(Set.of(renewed.leaf().getSubjectX500Principal().getName())).isNotEmpty();
    }

    @Test
    void corruptStoredFilesAreReplaced() throws Exception
    {
        Files.writeString(dir.resolve(SelfSignedCertificates.CERT_FILE_NAME), "not a certificate");
        Files.writeString(dir.resolve(SelfSignedCertificates.KEY_FILE_NAME), "not a key");

        final ServerCertificate certificate =
            SelfSignedCertificates.loadOrCreate(TlsSettings.selfSigned(dir), at(NOW));

        certificate.leaf().checkValidity(java.util.Date.from(NOW));
    }
}
