package moq.relay.wire.lite;

import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The proposed path ↔ namespace bridge: segments ↔ fields, normalised as {@code @moq/net}, null where none exists. */
class LitePathsTest
{
    @Test
    void splitsAtSlashesAndNormalisesLikeMoqNet()
    {
        assertThat(LitePaths.toNamespace("room/alice")).isEqualTo(TrackNamespace.of("room", "alice"));
        assertThat(LitePaths.toNamespace("/room//alice/")).isEqualTo(TrackNamespace.of("room", "alice"));
        assertThat(LitePaths.toNamespace("")).isEqualTo(TrackNamespace.EMPTY);
        assertThat(LitePaths.normalise("//a///b/")).isEqualTo("a/b");
        assertThat(LitePaths.toPath(TrackNamespace.of("moq-chat", "room", "café"))).isEqualTo("moq-chat/room/café");
        assertThat(LitePaths.toPath(TrackNamespace.EMPTY)).isEmpty();
    }

    @Test
    void refusesWhatHasNoCounterpart()
    {
        assertThat(LitePaths.toNamespace(String.join("/", Collections.nCopies(33, "x")))).isNull();
        assertThat(LitePaths.toNamespace(String.join("/", Collections.nCopies(32, "x")))).isNotNull();
        assertThat(LitePaths.toPath(TrackNamespace.of("a", ""))).isNull();
        assertThat(LitePaths.toPath(TrackNamespace.of("a/b"))).isNull();
        assertThat(LitePaths.toPath(new TrackNamespace(List.of(Bytes.fromHex("c328"))))).isNull();
    }

    @Property(tries = 300)
    void namespacesWithAPathRoundTrip(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final List<Bytes> fields = new ArrayList<>();
        for (int i = 0, n = random.nextInt(TrackNamespace.MAX_FIELDS + 1); i < n; i++)
        {
            fields.add(Bytes.utf8(LiteModel.name(random).replace("/", "") + "x"));
        }
        final TrackNamespace namespace = new TrackNamespace(fields);
        assertThat(LitePaths.toNamespace(LitePaths.toPath(namespace))).isEqualTo(namespace);
    }
}
