package moq.relay.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import moq.relay.engine.FullTrackName;
import moq.relay.wire.Bytes;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;

/**
 * The cluster's origins in Redis (Lettuce client). Each registration is a key
 * {@code moq:origin:NAMESPACE@RELAY_URL}, or {@code moq:origin:NAMESPACE#TRACK@RELAY_URL} for a track published with
 * PUBLISH (value: the relay URL; a track's is followed by a space and its Track Properties,
 * {@link TrackPropertiesText}, when it has any) with the TTL, which this relay sets again every third
 * of the TTL while it originates the namespace, so a relay that dies stops being an origin within the TTL. Changes
 * are announced on the channel {@code moq:origins} ({@code +KEY} / {@code -KEY}) for prompt updates; expirations are
 * heard from keyspace notifications when the server sends them, and every relay also rescans the keys every third of
 * the TTL, so an expired origin is forgotten within about 4/3 of the TTL even without them.
 * <p>
 * Everything runs on one thread of its own ({@code moq-cluster-redis}); Redis is never on the path of objects or of
 * a request's routing (the engine routes from its mirror of the directory). When Redis is unreachable the relay logs
 * it, keeps its mirror (established routes and upstream links keep working), tries again with backoff up to 5 s, and
 * registers its namespaces again as soon as Redis is back.
 */
final class RedisOriginDirectory implements OriginDirectory
{
    private static final Logger LOG = LoggerFactory.getLogger(RedisOriginDirectory.class);
    static final String KEY_PREFIX = "moq:origin:";
    static final String CHANNEL = "moq:origins";
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final RedisURI uri;
    private final RelayUrl self;
    private final Duration ttl;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r ->
    {
        final Thread t = new Thread(r, "moq-cluster-redis");
        t.setDaemon(true);
        return t;
    });
    /** Namespaces and tracks this relay originates: key entries ({@link #entry}) and their values (the thread's). */
    private final Map<String, String> local = new LinkedHashMap<>();
    /** Other relays' registrations the listener was told of, by key (the thread's). */
    private final Map<String, Origin> remote = new HashMap<>();
    private Listener listener;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private StatefulRedisPubSubConnection<String, String> pubsub;
    private long backoffMillis;
    private long nextAttemptNanos;
    private boolean reachable;
    private volatile boolean closed;

    /** A registration: a namespace, or a PUBLISH-ed track ({@code track} not null), at a relay. */
    private record Origin(TrackNamespace namespace, Bytes track, RelayUrl relay)
    {
    }

    RedisOriginDirectory(final String redisUrl, final RelayUrl self, final Duration ttl)
    {
        this.uri = RedisURI.create(redisUrl);
        this.uri.setTimeout(Duration.ofSeconds(1));
        this.self = self;
        this.ttl = ttl;
    }

    @Override
    public void start(final Listener l)
    {
        this.listener = l;
        final long period = Math.max(100, ttl.toMillis() / 3);
        thread.execute(this::tick);
        thread.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void register(final TrackNamespace namespace)
    {
        register(entry(namespace, null), self.text());
    }

    @Override
    public void unregister(final TrackNamespace namespace)
    {
        unregister(entry(namespace, null));
    }

    @Override
    public void registerTrack(final FullTrackName track, final List<KeyValuePair> properties)
    {
        register(entry(track.namespace(), track.name()),
            properties.isEmpty() ? self.text() : self.text() + " " + TrackPropertiesText.encode(properties));
    }

    @Override
    public void unregisterTrack(final FullTrackName track)
    {
        unregister(entry(track.namespace(), track.name()));
    }

    private void register(final String entry, final String value)
    {
        thread.execute(() ->
        {
            if (!value.equals(local.put(entry, value)) && connection != null)
            {
                try
                {
                    final RedisCommands<String, String> redis = connection.sync();
                    final String key = key(entry, self);
                    redis.set(key, value, SetArgs.Builder.px(ttl.toMillis()));
                    redis.publish(CHANNEL, "+" + key);
                }
                catch (final RuntimeException e)
                {
                    lost(e); // registered on the next successful tick
                }
            }
        });
    }

    private void unregister(final String entry)
    {
        thread.execute(() ->
        {
            if (local.remove(entry) != null && connection != null)
            {
                try
                {
                    final RedisCommands<String, String> redis = connection.sync();
                    final String key = key(entry, self);
                    redis.del(key);
                    redis.publish(CHANNEL, "-" + key);
                }
                catch (final RuntimeException e)
                {
                    lost(e); // the key expires within the TTL anyway
                }
            }
        });
    }

    /** Every third of the TTL: connect if needed, refresh this relay's registrations, rescan the others'. */
    private void tick()
    {
        if (closed)
        {
            return;
        }
        try
        {
            if (connection == null && !connect())
            {
                return;
            }
            final RedisCommands<String, String> redis = connection.sync();
            for (final Map.Entry<String, String> e : local.entrySet())
            {
                redis.set(key(e.getKey(), self), e.getValue(), SetArgs.Builder.px(ttl.toMillis()));
            }
            rescan(redis);
            if (!reachable)
            {
                reachable = true;
                backoffMillis = 0;
                LOG.info("cluster: Redis {} reachable; {} namespaces registered as {}", uri.getHost() + ":" +
                    uri.getPort(), local.size(), self);
            }
        }
        catch (final RuntimeException e)
        {
            lost(e);
        }
    }

    private boolean connect()
    {
        if (System.nanoTime() - nextAttemptNanos < 0)
        {
            return false;
        }
        try
        {
            if (client == null)
            {
                client = RedisClient.create(uri);
                client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .build());
            }
            connection = client.connect();
            pubsub = client.connectPubSub();
            pubsub.addListener(new RedisPubSubAdapter<>()
            {
                @Override
                public void message(final String channel, final String message)
                {
                    thread.execute(() -> onMessage(message));
                }

                @Override
                public void message(final String pattern, final String channel, final String message)
                {
                    if (message.startsWith(KEY_PREFIX))
                    {
                        thread.execute(() -> onMessage("-" + message)); // expired
                    }
                }
            });
            pubsub.sync().subscribe(CHANNEL);
            pubsub.sync().psubscribe("__keyevent@*__:expired");
            try
            {
                // Prompt expiry events where the server allows it (a managed Redis may refuse CONFIG); the flags
                // the operator set stay, E (keyevent channel) and x (expired) are added when missing.
                final String current = connection.sync().configGet("notify-keyspace-events")
                    .getOrDefault("notify-keyspace-events", "");
                String wanted = current;
                if (wanted.indexOf('E') < 0)
                {
                    wanted += "E";
                }
                if (wanted.indexOf('x') < 0 && wanted.indexOf('A') < 0)
                {
                    wanted += "x";
                }
                if (!wanted.equals(current))
                {
                    connection.sync().configSet("notify-keyspace-events", wanted);
                }
            }
            catch (final RuntimeException e)
            {
                LOG.info("cluster: Redis keyspace notifications not enabled ({}); expiries are found by rescans",
                    e.getMessage());
            }
            return true;
        }
        catch (final RuntimeException e)
        {
            closeConnections();
            lost(e);
            return false;
        }
    }

    private void lost(final RuntimeException e)
    {
        backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis == 0 ? 250 : backoffMillis * 2);
        nextAttemptNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
        if (reachable || backoffMillis == 250)
        {
            LOG.warn("cluster: Redis {} unreachable ({}); local traffic and established routes continue, retrying " +
                "with backoff", uri.getHost() + ":" + uri.getPort(), e.toString());
        }
        reachable = false;
    }

    private void onMessage(final String message)
    {
        if (message.length() < 2)
        {
            return;
        }
        final String key = message.substring(1);
        final Origin o = parse(key);
        if (o == null || o.relay.text().equals(self.text()))
        {
            return;
        }
        if (message.charAt(0) == '+')
        {
            if (remote.put(key, o) == null)
            {
                if (o.track == null)
                {
                    listener.originUp(o.namespace, o.relay);
                }
                else
                {
                    listener.trackUp(new FullTrackName(o.namespace, o.track), o.relay, trackProperties(key));
                }
            }
        }
        else if (message.charAt(0) == '-' && remote.remove(key) != null)
        {
            if (o.track == null)
            {
                listener.originDown(o.namespace, o.relay);
            }
            else
            {
                listener.trackDown(new FullTrackName(o.namespace, o.track), o.relay);
            }
        }
    }

    /** A track registration's Track Properties, read from its value (none when Redis or the value fails us). */
    private List<KeyValuePair> trackProperties(final String key)
    {
        if (connection == null)
        {
            return List.of();
        }
        try
        {
            final String value = connection.sync().get(key);
            final int space = value == null ? -1 : value.indexOf(' ');
            return space < 0 ? List.of() : TrackPropertiesText.decode(value.substring(space + 1));
        }
        catch (final RuntimeException e)
        {
            LOG.debug("cluster: no track properties for Redis key {}: {}", key, e.toString());
            return List.of();
        }
    }

    /** Brings the mirror to what Redis holds now: the catch-all for missed messages and expiries. */
    private void rescan(final RedisCommands<String, String> redis)
    {
        final Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        final ScanArgs args = ScanArgs.Builder.matches(KEY_PREFIX + "*").limit(1000);
        do
        {
            final KeyScanCursor<String> page = redis.scan(cursor, args);
            seen.addAll(page.getKeys());
            cursor = page;
        }
        while (!cursor.isFinished());
        for (final String key : seen)
        {
            if (!remote.containsKey(key))
            {
                onMessage("+" + key);
            }
        }
        for (final String key : new HashSet<>(remote.keySet()))
        {
            if (!seen.contains(key))
            {
                onMessage("-" + key);
            }
        }
    }

    static String key(final TrackNamespace namespace, final RelayUrl relay)
    {
        return key(entry(namespace, null), relay);
    }

    private static String key(final String entry, final RelayUrl relay)
    {
        return KEY_PREFIX + entry + "@" + relay.text();
    }

    /**
     * A registration's text: the namespace ({@link NamespaceKeys}), followed for a PUBLISH-ed track by {@code #} and
     * the track name encoded as one field ({@code #} and {@code @} are always percent-encoded in both).
     */
    static String entry(final TrackNamespace namespace, final Bytes track)
    {
        final String ns = NamespaceKeys.encode(namespace);
        return track == null ? ns : ns + "#" + NamespaceKeys.encode(new TrackNamespace(List.of(track)));
    }

    private static Origin parse(final String key)
    {
        if (!key.startsWith(KEY_PREFIX))
        {
            return null;
        }
        final int at = key.indexOf('@', KEY_PREFIX.length());
        if (at < 0)
        {
            return null;
        }
        try
        {
            final String entry = key.substring(KEY_PREFIX.length(), at);
            final int hash = entry.indexOf('#');
            final RelayUrl relay = RelayUrl.parse(key.substring(at + 1));
            if (hash < 0)
            {
                return new Origin(NamespaceKeys.decode(entry), null, relay);
            }
            final TrackNamespace name = NamespaceKeys.decode(entry.substring(hash + 1));
            if (name.size() != 1)
            {
                throw new IllegalArgumentException("track name with '/'");
            }
            return new Origin(NamespaceKeys.decode(entry.substring(0, hash)), name.fields().get(0), relay);
        }
        catch (final IllegalArgumentException e)
        {
            LOG.debug("cluster: ignoring Redis key {}: {}", key, e.getMessage());
            return null;
        }
    }

    private void closeConnections()
    {
        if (pubsub != null)
        {
            pubsub.closeAsync();
            pubsub = null;
        }
        if (connection != null)
        {
            connection.closeAsync();
            connection = null;
        }
    }

    @Override
    public void abandon()
    {
        closed = true;
        thread.shutdownNow();
        closeConnections();
        if (client != null)
        {
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close()
    {
        try
        {
            thread.submit(() ->
            {
                // Withdraw at once rather than leave the other relays to wait for the TTL.
                if (connection != null && connection.isOpen())
                {
                    try
                    {
                        for (final String entry : local.keySet())
                        {
                            final String key = key(entry, self);
                            connection.sync().del(key);
                            connection.sync().publish(CHANNEL, "-" + key);
                        }
                    }
                    catch (final RuntimeException e)
                    {
                        LOG.debug("cluster: withdrawing at close failed: {}", e.toString());
                    }
                }
                closed = true;
                closeConnections();
                if (client != null)
                {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
            }).get(3, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            LOG.debug("cluster: Redis close: {}", e.toString());
        }
        thread.shutdownNow();
    }
}
