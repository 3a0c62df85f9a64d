package moq.relay.interop;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import moq.relay.client.MoqClient;
import moq.relay.client.PublishedNamespace;
import moq.relay.client.ReceivedObject;
import moq.relay.client.RequestRejectedException;
import moq.relay.client.SubscribeOptions;
import moq.relay.client.Subscription;
import moq.relay.client.SubscriptionListener;
import moq.relay.client.TrackPublisher;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;

/**
 * The six control-plane test cases of the MoQ interop runner (englishm/moq-interop-runner, docs/tests/TEST-CASES.md),
 * in its order, with its namespaces, track name and timeouts.
 */
public final class InteropCases
{
    static final TrackNamespace TEST_NAMESPACE = TrackNamespace.of("moq-test", "interop");
    static final TrackNamespace MISSING_NAMESPACE = TrackNamespace.of("nonexistent", "namespace");
    static final Bytes TEST_TRACK = Bytes.utf8("test-track");
    /** subscribe-before-announce: the publisher starts this long after the subscriber's SUBSCRIBE. */
    static final long PUBLISHER_DELAY_MILLIS = 500;
    /** publish-namespace-done: time for the cancel to leave before CONNECTION_CLOSE (which drops stream frames). */
    static final long WITHDRAW_GRACE_MILLIS = 100;

    public static final List<InteropCase> ALL = List.of(
        new InteropCase("setup-only", Duration.ofSeconds(2), InteropCases::setupOnly),
        new InteropCase("announce-only", Duration.ofSeconds(2), InteropCases::announceOnly),
        new InteropCase("publish-namespace-done", Duration.ofSeconds(2), InteropCases::publishNamespaceDone),
        new InteropCase("subscribe-error", Duration.ofSeconds(2), InteropCases::subscribeError),
        new InteropCase("announce-subscribe", Duration.ofSeconds(3), InteropCases::announceSubscribe),
        new InteropCase("subscribe-before-announce", Duration.ofMillis(3500), InteropCases::subscribeBeforeAnnounce));

    private InteropCases()
    {
    }

    public static Optional<InteropCase> byName(final String name)
    {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static String setupOnly(final CaseContext context) throws Exception
    {
        context.connect("client");
        return "SETUP";
    }

    private static String announceOnly(final CaseContext context) throws Exception
    {
        announce(context.connect("client"), context);
        return "REQUEST_OK";
    }

    private static String publishNamespaceDone(final CaseContext context) throws Exception
    {
        final PublishedNamespace ns = announce(context.connect("client"), context);
        ns.withdraw();
        context.deadline().await(ns.ended(), "namespace withdrawn");
        context.deadline().sleep(WITHDRAW_GRACE_MILLIS);
        return "REQUEST_OK, then withdrew the namespace";
    }

    private static String subscribeError(final CaseContext context) throws Exception
    {
        final MoqClient client = context.connect("client");
        try
        {
            final Subscription s = context.deadline().await(
                client.subscribe(MISSING_NAMESPACE, TEST_TRACK, SubscribeOptions.LATEST, IGNORE), "REQUEST_ERROR");
            throw new InteropFailure("REQUEST_ERROR", "SUBSCRIBE_OK", "unexpected success (" + s + ")");
        }
        catch (final RequestRejectedException e)
        {
            return "REQUEST_ERROR code 0x" + Long.toHexString(e.errorCode());
        }
    }

    private static String announceSubscribe(final CaseContext context) throws Exception
    {
        final MoqClient publisher = context.connect("publisher");
        final TrackPublisher track = publisher.track(TEST_NAMESPACE, TEST_TRACK, 128);
        announce(publisher, context);
        final MoqClient subscriber = context.connect("subscriber");
        try
        {
            context.deadline().await(
                subscriber.subscribe(TEST_NAMESPACE, TEST_TRACK, SubscribeOptions.LATEST, IGNORE), "SUBSCRIBE_OK");
        }
        catch (final RequestRejectedException e)
        {
            throw new InteropFailure("SUBSCRIBE_OK", "REQUEST_ERROR code 0x" + Long.toHexString(e.errorCode()),
                "subscriber: " + e.getMessage());
        }
        return "SUBSCRIBE_OK" + (track.subscriberCount() > 0 ? " (publisher received the SUBSCRIBE)" : "");
    }

    private static String subscribeBeforeAnnounce(final CaseContext context) throws Exception
    {
        final MoqClient subscriber = context.connect("subscriber");
        final CompletableFuture<Subscription> subscribed = subscriber.subscribe(TEST_NAMESPACE, TEST_TRACK,
            SubscribeOptions.LATEST, IGNORE);
        context.deadline().sleep(PUBLISHER_DELAY_MILLIS);
        String publisherNote = "";
        if (!subscribed.isDone())
        {
            try
            {
                final MoqClient publisher = context.connect("publisher");
                publisher.track(TEST_NAMESPACE, TEST_TRACK, 128);
                announce(publisher, context);
            }
            catch (final InteropFailure e)
            {
                // Only the subscriber's outcome decides this case; keep the publisher's trouble as a note.
                publisherNote = " (publisher: " + e.getMessage() + ")";
            }
        }
        try
        {
            context.deadline().await(subscribed, "SUBSCRIBE_OK or REQUEST_ERROR");
            return "SUBSCRIBE_OK" + publisherNote;
        }
        catch (final RequestRejectedException e)
        {
            return "REQUEST_ERROR code 0x" + Long.toHexString(e.errorCode()) + publisherNote;
        }
    }

    /** PUBLISH_NAMESPACE of the test namespace; REQUEST_OK expected. */
    private static PublishedNamespace announce(final MoqClient client, final CaseContext context) throws Exception
    {
        try
        {
            return context.deadline().await(client.publishNamespace(TEST_NAMESPACE), "REQUEST_OK");
        }
        catch (final RequestRejectedException e)
        {
            throw new InteropFailure("REQUEST_OK", "REQUEST_ERROR code 0x" + Long.toHexString(e.errorCode()),
                "PUBLISH_NAMESPACE " + e.getMessage());
        }
    }

    private static final SubscriptionListener IGNORE = new SubscriptionListener()
    {
        @Override
        public void onObject(final ReceivedObject object)
        {
        }
    };
}
