package moq.relay.transport.tls;

import java.security.cert.X509Certificate;
import java.util.List;

import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;

/** Builds the server's QUIC TLS context: one certificate, the offered ALPN protocols in preference order. */
public final class ServerTlsContext
{
    private ServerTlsContext()
    {
    }

    public static QuicSslContext create(final ServerCertificate certificate, final List<String> alpn)
    {
        return QuicSslContextBuilder
            .forServer(certificate.key(), null, certificate.chain().toArray(new X509Certificate[0]))
            .applicationProtocols(alpn.toArray(new String[0]))
            // 0-RTT data is replayable and would reach sessions before the handshake completes: off.
            .earlyData(false)
            .build();
    }
}
