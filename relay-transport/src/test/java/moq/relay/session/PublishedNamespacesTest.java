package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.client.PublishedNamespace;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the dev web server's /announced lists: the namespaces real clients publish, until they withdraw them. */
class PublishedNamespacesTest
{
    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    private PublishedNamespaces published;

    @BeforeEach
    void start()
    {
        published = new PublishedNamespaces(relay.relay);
    }

    @AfterEach
    void stop()
    {
        published.close();
    }

    @Test
    void listsPublishedNamespacesByWholeFieldPrefixUntilTheyAreWithdrawnOrTheirSessionCloses() throws Exception
    {
        final MoqClient alice = relay.connect(Draft.DRAFT_18);
        final MoqClient bob = relay.connect(Draft.DRAFT_14);
        final PublishedNamespace aliceRoom = alice.publishNamespace(TrackNamespace.of("moq-chat", "lobby", "alice"))
            .get(5, TimeUnit.SECONDS);
        bob.publishNamespace(TrackNamespace.of("moq-chat", "lobby", "bob")).get(5, TimeUnit.SECONDS);
        alice.publishNamespace(TrackNamespace.of("moq-chat", "lobbyist")).get(5, TimeUnit.SECONDS);

        assertThat(published.under(List.of("moq-chat", "lobby")))
            .containsExactly("moq-chat/lobby/alice", "moq-chat/lobby/bob");
        assertThat(published.under(List.of())).hasSize(3);
        assertThat(published.under(List.of("moq-chat", "lobby", "bob"))).containsExactly("moq-chat/lobby/bob");

        aliceRoom.withdraw();
        bob.close();
        RelayFixture.await(() -> published.under(List.of("moq-chat", "lobby")).isEmpty(),
            () -> "withdrawn namespaces to leave the list: " + published.under(List.of()));
        assertThat(published.under(List.of())).containsExactly("moq-chat/lobbyist");
    }
}
