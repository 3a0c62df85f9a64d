package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import moq.relay.client.ClientTrust;
import moq.relay.client.LiteClient;
import moq.relay.client.RequestRejectedException;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteVersion;
import moq.relay.wire.lite.Subscribe;
import moq.relay.wire.lite.SubscribeOk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link LiteClient#subscribe} completes on the relay's answer, as the MoQT client's does (issue #17): on lite-05 the
 * relay's SUBSCRIBE_START, which it sends once the engine accepted (here: once the upstream lite-04 publisher's
 * SUBSCRIBE_OK came back), not when the SUBSCRIBE is written; a refusal (the Subscribe Stream reset with
 * DOES_NOT_EXIST) fails it with that code.
 */
class LiteClientSubscribeAnswerTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();
    private static final Path certDir = relay.certDir();

    private LiteTestPeer publisher;
    private LiteClient client;

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (publisher != null)
        {
            publisher.close();
        }
    }

    private LiteClient connect(final LiteVersion version) throws Exception
    {
        client = LiteClient.connect("127.0.0.1", relay.server.localAddress().getPort(), version,
            ClientTrust.insecure(), Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void aLite05SubscribeCompletesOnTheRelaysAnswerNotWhenSent() throws Exception
    {
        publisher = new LiteTestPeer(certDir, relay.server.localAddress().getPort(), LiteVersion.LITE_04);
        RelayFixture.await(() -> publisher.relayStreams.stream().anyMatch(c -> c.first(AnnouncePlease.class) != null),
            "the relay's ANNOUNCE_PLEASE");
        publisher.relayStreams.stream().filter(c -> c.first(AnnouncePlease.class) != null).findFirst().orElseThrow()
            .write(new Announce(AnnounceStatus.ACTIVE, "room/held", List.of(7L)));
        RelayFixture.await(() -> relay.relay.isPublished(TrackNamespace.of("room", "held")), "room/held published");

        final CompletableFuture<Void> subscribed = connect(LiteVersion.LITE_05).subscribe("room/held", "video", 128,
            (group, index, payload) -> { });
        RelayFixture.await(() -> publisher.relayStreams.stream().anyMatch(c -> c.first(Subscribe.class) != null),
            "the relay's upstream SUBSCRIBE");
        Thread.sleep(300);
        assertThat(subscribed).as("no answer yet: the upstream publisher holds its SUBSCRIBE_OK").isNotDone();

        publisher.relayStreams.stream().filter(c -> c.first(Subscribe.class) != null).findFirst().orElseThrow()
            .write(new SubscribeOk(100, true, 0, 0, 0));
        subscribed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedSubscribeFailsWithTheResetCode() throws Exception
    {
        for (final LiteVersion version : List.of(LiteVersion.LITE_05, LiteVersion.LITE_04))
        {
            final LiteClient c = connect(version);
            final CompletableFuture<Void> subscribed = c.subscribe("nobody/here", "video", 128,
                (group, index, payload) -> { });
            assertThatThrownBy(() -> subscribed.get(5, TimeUnit.SECONDS)).as(version.toString())
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RequestRejectedException.class)
                .satisfies(e -> assertThat(((RequestRejectedException)e).errorCode()).as("DOES_NOT_EXIST")
                    .isEqualTo(0x10));
            c.close();
            client = null;
        }
    }
}
