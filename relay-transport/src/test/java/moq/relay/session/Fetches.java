package moq.relay.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import moq.relay.client.FetchListener;
import moq.relay.client.MoqClient;
import moq.relay.client.ReceivedObject;
import moq.relay.session.RelayEndToEndTest.Received;
import moq.relay.wire.Location;

/** A FETCH of the test track through the relay, its objects collected until the fetch stream's FIN. */
final class Fetches
{
    private Fetches()
    {
    }

    /** Fetches {@code start} to {@code end} of {@code RelayEndToEndTest}'s track; fails unless the stream ends with FIN. */
    static Received fetchAll(final MoqClient client, final Location start, final Location end, final long seconds)
        throws Exception
    {
        final Received fetched = new Received();
        final CompletableFuture<Void> complete = new CompletableFuture<>();
        client.fetch(RelayEndToEndTest.NS, RelayEndToEndTest.TRACK, start, end, new FetchListener()
        {
            @Override
            public void onObject(final ReceivedObject object)
            {
                fetched.onObject(object);
            }

            @Override
            public void onComplete()
            {
                complete.complete(null);
            }

            @Override
            public void onAborted(final String why)
            {
                complete.completeExceptionally(new AssertionError(why + "; " + fetched.ids.size() + " objects came"));
            }
        }).get(5, TimeUnit.SECONDS);
        complete.get(seconds, TimeUnit.SECONDS);
        return fetched;
    }
}
