package moq.relay.engine;

import java.util.ArrayList;
import java.util.List;

import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/** Recording callbacks for engine tests. */
final class Callbacks
{
    static final class Sub implements SubscribeCallback
    {
        DownstreamSubscription subscription;
        Location largest;
        boolean okCalled;
        RequestErrorCode error;

        @Override
        public void ok(final DownstreamSubscription s, final Location l, final List<KeyValuePair> props)
        {
            okCalled = true;
            subscription = s;
            largest = l;
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            error = code;
        }
    }

    static final class Req implements RequestCallback
    {
        boolean okCalled;
        RequestErrorCode error;

        @Override
        public void ok()
        {
            okCalled = true;
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            error = code;
        }
    }

    static final class Fetch implements FetchCallback
    {
        boolean okCalled;
        boolean endOfTrack;
        Location end;
        RequestErrorCode error;

        @Override
        public void ok(final boolean eot, final Location endLocation, final List<KeyValuePair> props)
        {
            okCalled = true;
            endOfTrack = eot;
            end = endLocation;
        }

        @Override
        public void error(final RequestErrorCode code, final String reason)
        {
            error = code;
        }
    }

    static final class Namespaces implements NamespaceListener
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void namespace(final TrackNamespace suffix)
        {
            events.add("+" + suffix);
        }

        @Override
        public void namespaceDone(final TrackNamespace suffix)
        {
            events.add("-" + suffix);
        }
    }

    static final class Tracks implements TrackListener
    {
        final List<String> events = new ArrayList<>();

        @Override
        public void track(final FullTrackName track, final Location largest, final List<KeyValuePair> props)
        {
            events.add("+" + track);
        }

        @Override
        public void trackDone(final FullTrackName track)
        {
            events.add("-" + track);
        }
    }
}
