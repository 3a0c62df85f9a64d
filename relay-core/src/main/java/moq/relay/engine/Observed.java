package moq.relay.engine;

import java.util.List;

import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.Location;
import moq.relay.wire.TrackNamespace;

/**
 * Callbacks that tell the {@link RelayObserver} how a request was answered, then pass the answer on. With no observer
 * the callback is returned as it is (nothing allocated); with one, a wrapper per request (control plane only).
 */
final class Observed
{
    private Observed()
    {
    }

    static RequestCallback request(final RelayObserver observer, final Session session, final RequestKind kind,
        final TrackNamespace namespace, final Bytes track, final RequestCallback callback)
    {
        if (observer == RelayObserver.NONE)
        {
            return callback;
        }
        return new RequestCallback()
        {
            @Override
            public void ok()
            {
                observer.requestAnswered(session, kind, namespace, track, null);
                callback.ok();
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                observer.requestAnswered(session, kind, namespace, track, code);
                callback.error(code, reason);
            }
        };
    }

    static SubscribeCallback subscribe(final RelayObserver observer, final Session session,
        final FullTrackName track, final SubscribeCallback callback)
    {
        if (observer == RelayObserver.NONE)
        {
            return callback;
        }
        return new SubscribeCallback()
        {
            @Override
            public void ok(final DownstreamSubscription subscription, final Location largest,
                final List<KeyValuePair> trackProperties)
            {
                observer.requestAnswered(session, RequestKind.SUBSCRIBE, track.namespace(), track.name(), null);
                callback.ok(subscription, largest, trackProperties);
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                observer.requestAnswered(session, RequestKind.SUBSCRIBE, track.namespace(), track.name(), code);
                callback.error(code, reason);
            }
        };
    }

    static FetchCallback fetch(final RelayObserver observer, final Session session, final FullTrackName track,
        final FetchCallback callback)
    {
        if (observer == RelayObserver.NONE)
        {
            return callback;
        }
        final TrackNamespace namespace = track == null ? null : track.namespace();
        final Bytes name = track == null ? null : track.name();
        return new FetchCallback()
        {
            @Override
            public void ok(final boolean endOfTrack, final Location endLocation,
                final List<KeyValuePair> trackProperties)
            {
                observer.requestAnswered(session, RequestKind.FETCH, namespace, name, null);
                callback.ok(endOfTrack, endLocation, trackProperties);
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                observer.requestAnswered(session, RequestKind.FETCH, namespace, name, code);
                callback.error(code, reason);
            }
        };
    }

    static TrackStatusCallback trackStatus(final RelayObserver observer, final Session session,
        final FullTrackName track, final TrackStatusCallback callback)
    {
        if (observer == RelayObserver.NONE)
        {
            return callback;
        }
        return new TrackStatusCallback()
        {
            @Override
            public void ok(final Location largest, final boolean endOfTrack, final List<KeyValuePair> trackProperties)
            {
                observer.requestAnswered(session, RequestKind.TRACK_STATUS, track.namespace(), track.name(), null);
                callback.ok(largest, endOfTrack, trackProperties);
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                observer.requestAnswered(session, RequestKind.TRACK_STATUS, track.namespace(), track.name(), code);
                callback.error(code, reason);
            }
        };
    }
}
