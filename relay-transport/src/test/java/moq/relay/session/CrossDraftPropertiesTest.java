package moq.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchListener;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.client.SubgroupWriter;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.Draft;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Object Properties across drafts, end to end: a real relay on loopback, real QUIC clients. The relay keeps each
 * object's properties as its publisher encoded them; a subscriber of a draft that encodes them otherwise (draft 14's
 * Extension Headers: absolute Types, RFC 9000 varints; drafts 18 and 20: delta-coded Types, leading-ones varints)
 * gets them converted, on subgroup streams, datagrams and fetch streams alike; drafts 18 and 20 share the encoding
 * and get the publisher's bytes. The blocks are {@code PropertiesTranscoderTest}'s, written by hand from the texts:
 * an odd-type bytes value, an even-type value whose varint length differs between the drafts, pairs out of Type order
 * (draft 14 allows it, delta coding does not) and an Immutable Properties / Extensions container (0xB) whose own pairs
 * are converted too.
 */
class CrossDraftPropertiesTest
{
    private static final TrackNamespace NS = TrackNamespace.of("cross", "properties");
    private static final Bytes TRACK = Bytes.utf8("video");
    /** {0x3C: 100}, Immutable {0x3E: 7, 0x25: "ab"}, {0x25: "trace"}, {0x04: 2186796243}, as draft 14 writes them. */
    private static final byte[] DRAFT14_BLOCK = hex("3c4064 0b06 3e07 25026162 25057472616365 04c00000008257dcd3");
    /** The same block as drafts 18 and 20 write it. */
    private static final byte[] DRAFT14_AS_18 = hex("04f08257dcd3 0706 25026162 1907 1a057472616365 1764");
    /** {0x02: 100}, Immutable {0x3C: 1, 0x3D: "x"}, {0x41: "hi"}, {0x70: 300}, as drafts 18 and 20 write them. */
    private static final byte[] DRAFT18_BLOCK = hex("0264 0905 3c01 010178 36026869 2f812c");
    /** The same block as draft 14 writes it. */
    private static final byte[] DRAFT18_AS_14 = hex("024064 0b05 3c01 3d0178 4041026869 4070412c");

    @RegisterExtension
    static final RelayExtension relay = RelayExtension.withDefaults();

    private static byte[] hex(final String hex)
    {
        return Bytes.fromHex(hex.replace(" ", "")).toByteArray();
    }

    /** Copies of the objects one subscription or fetch received. */
    static final class Received implements SubscriptionListener, FetchListener
    {
        final List<ReceivedObject> objects = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onObject(final ReceivedObject o)
        {
            objects.add(new ReceivedObject(o.groupId(), o.subgroupId(), o.objectId(), o.status(),
                o.publisherPriority(), o.properties(), Unpooled.wrappedBuffer(o.payloadBytes()), o.datagram()));
        }

        @Override
        public void onComplete()
        {
            complete.complete(null);
        }

        @Override
        public void onAborted(final String why)
        {
            complete.completeExceptionally(new AssertionError(why));
        }

        ReceivedObject get(final long group, final long object)
        {
            return objects.stream().filter(o -> o.groupId() == group && o.objectId() == object).findFirst()
                .orElseThrow(() -> new AssertionError("no object " + group + "/" + object + " in " + objects));
        }
    }

    @ParameterizedTest(name = "a draft {0} publisher to a draft {1} subscriber")
    @CsvSource({"DRAFT_14, DRAFT_18", "DRAFT_14, DRAFT_20", "DRAFT_18, DRAFT_14", "DRAFT_20, DRAFT_14",
        "DRAFT_14, DRAFT_14", "DRAFT_18, DRAFT_20", "DRAFT_20, DRAFT_18"})
    void subscribersReadThePublishersPropertiesInTheirOwnDraftsEncoding(final Draft publisherDraft,
        final Draft subscriberDraft) throws Exception
    {
        final boolean from14 = publisherDraft == Draft.DRAFT_14;
        final byte[] sent = from14 ? DRAFT14_BLOCK : DRAFT18_BLOCK;
        final byte[] expected = from14 == (subscriberDraft == Draft.DRAFT_14) ? sent :
            from14 ? DRAFT14_AS_18 : DRAFT18_AS_14;

        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final MoqClient subscriber = relay.connect(subscriberDraft);
        final Received live = new Received();
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        final SubgroupWriter w = track.openSubgroup(1, 0, -1, true);
        w.write(0, sent, Unpooled.wrappedBuffer(new byte[] {10}));
        w.write(1, Unpooled.wrappedBuffer(new byte[] {11}));
        w.close();
        track.sendDatagram(2, 0, -1, sent, true, Unpooled.wrappedBuffer(new byte[] {20}));
        RelayFixture.await(() -> live.objects.size() >= 3, () -> "3 objects, got " + live.objects);

        assertThat(live.get(1, 0).properties()).as("subgroup object").containsExactly(expected);
        assertThat(live.get(1, 0).payloadBytes()).containsExactly(10);
        assertThat(live.get(1, 1).properties()).isEmpty();
        assertThat(live.get(2, 0).datagram()).isTrue();
        assertThat(live.get(2, 0).properties()).as("datagram").containsExactly(expected);
        assertThat(live.get(2, 0).payloadBytes()).containsExactly(20);

        // The cached group again, on a fetch stream (the whole of group 1: End Object 0 in every draft's form).
        final Received fetched = new Received();
        subscriber.fetch(NS, TRACK, new Location(1, 0), new Location(1, 0), fetched).get(5, TimeUnit.SECONDS);
        fetched.complete.get(10, TimeUnit.SECONDS);
        assertThat(fetched.get(1, 0).properties()).as("fetched object").containsExactly(expected);
        assertThat(fetched.get(1, 1).properties()).isEmpty();
        assertThat(publisher.closed()).as("the publisher's session stays open").isNotDone();
        assertThat(subscriber.closed()).as("the subscriber's session stays open").isNotDone();
    }

    /**
     * An Immutable container whose own pairs do not parse makes the track malformed in every draft (draft-14
     * §"Immutable Extensions", draft-21 §10.7), which is not a session error (the ingest checks the outer pairs, as it
     * keeps malformed Immutable Track Properties as bytes): the container goes on as it came, the other pairs converted
     * around it, and both sessions stay open.
     */
    @ParameterizedTest(name = "a draft {0} publisher to a draft {1} subscriber")
    @CsvSource({"DRAFT_14, DRAFT_18", "DRAFT_18, DRAFT_14"})
    void anImmutableContainerWhosePairsDoNotParseIsForwardedAsItCame(final Draft publisherDraft,
        final Draft subscriberDraft) throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final MoqClient subscriber = relay.connect(subscriberDraft);
        final Received live = new Received();
        subscriber.subscribe(NS, TRACK, SubscribeOptions.LATEST, live).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);

        // Immutable, 3 bytes: an odd Type 0x3D of Length 5 (past the container's end); and {0x3C: 100}.
        final boolean from14 = publisherDraft == Draft.DRAFT_14;
        final SubgroupWriter w = track.openSubgroup(1, 0, -1, true);
        w.write(0, hex(from14 ? "3c4064 0b03 3d0561" : "0b03 3d0561 3164"), Unpooled.wrappedBuffer(new byte[] {1}));
        w.close();
        RelayFixture.await(() -> !live.objects.isEmpty(), "the object");
        assertThat(live.get(1, 0).properties())
            .containsExactly(hex(from14 ? "0b03 3d0561 3164" : "0b03 3d0561 3c4064"));
        assertThat(publisher.closed()).as("the publisher's session stays open").isNotDone();
        assertThat(subscriber.closed()).as("the subscriber's session stays open").isNotDone();
    }
}
