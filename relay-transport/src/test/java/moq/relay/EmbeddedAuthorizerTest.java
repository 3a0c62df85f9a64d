package moq.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.auth.Action;
import moq.relay.auth.AuthException;
import moq.relay.auth.AuthFailure;
import moq.relay.auth.AuthRequest;
import moq.relay.auth.Authorizer;
import moq.relay.auth.Credential;
import moq.relay.auth.Grant;
import moq.relay.client.ClientConfig;
import moq.relay.client.ClientTrust;
import moq.relay.client.MoqClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SessionClosedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.config.RelayConfiguration;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MoqRelay.Builder#authorizer}: an embedding application's authorization hook decides every session (by its
 * connection path) and every request, on the relay's sessions, and its refusals are counted in the metrics.
 */
class EmbeddedAuthorizerTest
{
    private static final TrackNamespace ROOM = TrackNamespace.of("room", "1");

    @TempDir
    Path certDir;

    /** Sessions must connect to /moq/room; they may subscribe only to room/1. */
    private static final Authorizer ROOMS_ONLY = credentials ->
    {
        if (!credentials.path().equals("room"))
        {
            throw new AuthException(AuthFailure.UNAUTHORIZED, "not a room");
        }
        return new Authorizer.SessionAuthorization()
        {
            @Override
            public Grant sessionGrant()
            {
                return Grant.ALL;
            }

            @Override
            public Grant authorize(final AuthRequest request, final List<Credential> tokens) throws AuthException
            {
                if (request.action() == Action.SUBSCRIBE && !request.namespace().equals(ROOM))
                {
                    throw new AuthException(AuthFailure.UNAUTHORIZED, "another room");
                }
                return Grant.ALL;
            }
        };
    };

    @Test
    void theEmbeddersAuthorizerDecidesSessionsAndRequests() throws Exception
    {
        final MoqRelay relay = MoqRelay.builder().bindAddress("127.0.0.1").port(0).certificateDirectory(certDir)
            .set(RelayConfiguration.STORE_MAX_BYTES_PROP_NAME, "32m").authorizer(ROOMS_ONLY).start();
        try
        {
            final ClientConfig config = ClientConfig.of("127.0.0.1", relay.port(), Draft.DRAFT_18,
                ClientTrust.insecure());
            final MoqClient inRoom = MoqClient.connect(config.withPath("/moq/room")).get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> inRoom.subscribe(TrackNamespace.of("room", "2"), Bytes.utf8("v"),
                SubscribeOptions.LATEST, o -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RequestRejectedException.class)
                .extracting(e -> ((RequestRejectedException)e).errorCode()).isEqualTo(0x1L);

            long closeCode;
            try
            {
                final MoqClient lobby = MoqClient.connect(config.withPath("/moq")).get(10, TimeUnit.SECONDS);
                closeCode = lobby.closed().get(10, TimeUnit.SECONDS).code();
            }
            catch (final ExecutionException e)
            {
                closeCode = ((SessionClosedException)e.getCause()).close().code();
            }
            assertThat(closeCode).as("UNAUTHORIZED").isEqualTo(0x2L);
            assertThat(refusals(relay, "unauthorized")).isEqualTo(2.0);
            inRoom.close();
        }
        finally
        {
            relay.close();
        }
    }

    private static double refusals(final MoqRelay relay, final String reason)
    {
        for (final MetricSnapshot s : relay.metrics().registry().scrape())
        {
            if (s instanceof CounterSnapshot counter && s.getMetadata().getName().equals("moq_relay_auth_refusals"))
            {
                return counter.getDataPoints().stream().filter(p -> reason.equals(p.getLabels().get("reason")))
                    .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
            }
        }
        return 0;
    }
}
