package moq.relay.session;

import static moq.relay.session.RelayEndToEndTest.NS;
import static moq.relay.session.RelayEndToEndTest.TRACK;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchSource;
import moq.relay.client.MoqClient;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.TrackPublisher;
import moq.relay.config.RelayConfiguration;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Draft;

/**
 * The set-up of the fill and filtered-fetch tests ({@link FillStreamTest}, {@link FilteredFetchTest}): a relay that
 * caches only the last 2 groups of a track, and a publisher of {@code NS}/{@code TRACK} whose first subscriber (draft
 * 18, from the Largest Object) has received everything published, so that what a later FETCH or fill asks for is
 * either in the relay's cache or only at the publisher (which answers the relay's upstream FETCH from its
 * {@link FetchSource}, when it has one).
 */
final class TwoGroupCacheFixture implements AutoCloseable
{
    final Path certDir;
    final RelayFixture relay;

    TwoGroupCacheFixture(final Path certDir)
    {
        this.certDir = certDir;
        relay = new RelayFixture(certDir, Map.of(RelayConfiguration.TRACK_CACHE_GROUPS_PROP_NAME, "2"));
    }

    /** A publisher's open track and the early subscriber that sees every object of it. */
    record Published(MoqClient publisher, TrackPublisher track, Received early)
    {
        /** Waits until the early subscriber has {@code objects} normal objects: the relay has them all. */
        void awaitEarly(final int objects) throws InterruptedException
        {
            RelayFixture.await(() -> early.normalObjects() == objects, "the early subscriber's " + objects +
                " objects");
        }
    }

    /**
     * A publisher at {@code publisherDraft} that serves upstream FETCHes from {@code fetches} (none when null)
     * announces {@code NS} and opens {@code TRACK}; returns once the early subscriber's subscription reached it.
     */
    Published open(final Draft publisherDraft, final FetchSource fetches) throws Exception
    {
        final MoqClient publisher = relay.connect(publisherDraft);
        if (fetches != null)
        {
            publisher.serveFetches(fetches);
        }
        publisher.publishNamespace(NS).get(5, TimeUnit.SECONDS);
        final TrackPublisher track = publisher.track(NS, TRACK, 100);
        final Received early = new Received();
        relay.connect(Draft.DRAFT_18).subscribe(NS, TRACK, SubscribeOptions.LATEST, early).get(5, TimeUnit.SECONDS);
        track.firstSubscriber().get(5, TimeUnit.SECONDS);
        return new Published(publisher, track, early);
    }

    /** {@link #open}, then the groups of {@code script} from group 0, all of them through the relay. */
    Published publish(final Draft publisherDraft, final FetchSource fetches, final List<List<byte[]>> script)
        throws Exception
    {
        final Published published = open(publisherDraft, fetches);
        RelayEndToEndTest.publishGroups(published.track, script, 0);
        published.awaitEarly(script.stream().mapToInt(List::size).sum());
        return published;
    }

    @Override
    public void close()
    {
        relay.close();
    }
}
