package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import moq.relay.client.MoqClient;
import moq.relay.wire.Draft;
import moq.relay.wire.TrackNamespace;
import moq.relay.wire.lite.Announce;
import moq.relay.wire.lite.AnnounceOk;
import moq.relay.wire.lite.AnnouncePlease;
import moq.relay.wire.lite.AnnounceStatus;
import moq.relay.wire.lite.LiteStreamSide;
import moq.relay.wire.lite.LiteStreamType;
import moq.relay.wire.lite.LiteVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * moq-lite hop chains across relays (issue #17): a broadcast a moq-lite publisher (another relay) announced with its
 * hops is forwarded with that chain, the publisher's ANNOUNCE_OK hop appended (lite-05) or the relay's own after it
 * (lite-04), and a subscriber's Exclude Hop naming one of those hops leaves the broadcast out, so relays in a cluster
 * do not route it back in a loop; a namespace a MoQT session publishes has no chain and is announced as before.
 */
class LiteExcludeHopTest
{
    @RegisterExtension
    static final LiteRelayExtension lite = LiteRelayExtension.withDefaults();

    private static LiteTestPeer.Control please(final LiteTestPeer p, final long excludeHop) throws Exception
    {
        return p.open(LiteStreamSide.ANNOUNCE_REPLY,
            p.opener(LiteStreamType.ANNOUNCE, new AnnouncePlease("room", excludeHop)));
    }

    private static Announce announced(final LiteTestPeer.Control c, final String path)
    {
        return c.messages.stream().filter(m -> m instanceof Announce && ((Announce)m).suffix().equals(path))
            .map(m -> (Announce)m).findFirst().orElse(null);
    }

    @Test
    void aBroadcastsHopChainIsForwardedAndASubscribersExcludeHopLeavesItOut() throws Exception
    {
        // Another relay (hop 9) publishes room/far, which reached it through hop 5.
        final LiteTestPeer upstream = lite.peer();
        final LiteTestPeer.Control announce = LiteRelayFixture.relayStream(upstream, AnnouncePlease.class);
        announce.write(new AnnounceOk(9, 1));
        announce.write(new Announce(AnnounceStatus.ACTIVE, "room/far", List.of(5L)));
        RelayFixture.await(() -> lite.relay.relay.isPublished(TrackNamespace.of("room", "far")), "room/far");
        final MoqClient moqt = lite.relay.connect(Draft.DRAFT_18);
        moqt.publishNamespace(TrackNamespace.of("room", "near")).get(5, TimeUnit.SECONDS);

        // One Announce Stream per session: the engine refuses a second namespace subscription of the same prefix.
        final LiteTestPeer.Control all = please(lite.peer(), 0);
        final LiteTestPeer.Control loopFree = please(lite.peer(), 9);
        final LiteTestPeer old = lite.peer(LiteVersion.LITE_04);
        final LiteTestPeer.Control all04 = please(old, 0);
        RelayFixture.await(() -> announced(all, "far") != null && announced(all, "near") != null &&
            announced(loopFree, "near") != null && announced(all04, "far") != null,
            () -> "the announcements: " + all.messages + " / " + loopFree.messages + " / " + all04.messages);

        assertThat(announced(all, "far").hops()).as("lite-05: the chain, the publisher's hop last")
            .containsExactly(5L, 9L);
        assertThat(announced(all, "near").hops()).as("a MoQT namespace: no hop before the relay").isEmpty();
        assertThat(announced(all04, "far").hops()).as("lite-04: the chain, then the relay's own hop")
            .hasSize(3).startsWith(5L, 9L);
        Thread.sleep(200);
        assertThat(announced(loopFree, "far")).as("Exclude Hop 9: room/far is left out").isNull();

        announce.write(new Announce(AnnounceStatus.ENDED, "room/far", List.of()));
        RelayFixture.await(() -> all.messages.stream().anyMatch(m -> m instanceof Announce &&
            ((Announce)m).status() == AnnounceStatus.ENDED), "room/far ended");
        assertThat(loopFree.messages).as("never active there, so never ended")
            .noneMatch(m -> m instanceof Announce && ((Announce)m).suffix().equals("far"));
        assertThat(upstream.connection.channel().isActive()).isTrue();
    }
}
