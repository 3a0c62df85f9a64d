package moq.relay.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListSet;

import moq.relay.engine.NamespaceListener;
import moq.relay.engine.Relay;
import moq.relay.engine.RequestCallback;
import moq.relay.engine.RequestErrorCode;
import moq.relay.engine.Session;
import moq.relay.wire.Bytes;
import moq.relay.wire.TrackNamespace;
import moq.relay.transport.web.AnnouncedNamespaces;

/**
 * The namespaces published on the relay right now, kept by an engine session of its own that subscribes to every
 * namespace (the empty prefix) like a SUBSCRIBE_NAMESPACE peer would; the dev web server's {@code /announced} route
 * reads it. Namespaces are "/"-joined fields (UTF-8), the form browser clients use for paths.
 */
public final class PublishedNamespaces implements AnnouncedNamespaces, NamespaceListener, AutoCloseable
{
    private final ConcurrentSkipListSet<String> namespaces = new ConcurrentSkipListSet<>();
    private final Session session;

    public PublishedNamespaces(final Relay relay)
    {
        session = relay.openSession("dev web /announced", 0);
        session.subscribeNamespace(0, TrackNamespace.EMPTY, this, new RequestCallback()
        {
            @Override
            public void ok()
            {
            }

            @Override
            public void error(final RequestErrorCode code, final String reason)
            {
                throw new IllegalStateException("cannot list namespaces: " + code + " " + reason);
            }
        });
    }

    @Override
    public List<String> under(final List<String> prefix)
    {
        final String joined = String.join("/", prefix);
        final List<String> out = new ArrayList<>();
        for (final String namespace : namespaces.tailSet(joined))
        {
            if (!namespace.startsWith(joined))
            {
                break;
            }
            // whole fields only: "a/b" is under "a" but "ab" is not
            if (joined.isEmpty() || namespace.length() == joined.length() || namespace.charAt(joined.length()) == '/')
            {
                out.add(namespace);
            }
        }
        return out;
    }

    @Override
    public void namespace(final TrackNamespace suffix)
    {
        namespaces.add(path(suffix));
    }

    @Override
    public void namespaceDone(final TrackNamespace suffix)
    {
        namespaces.remove(path(suffix));
    }

    @Override
    public void close()
    {
        session.close();
    }

    private static String path(final TrackNamespace namespace)
    {
        final StringBuilder path = new StringBuilder();
        for (final Bytes field : namespace.fields())
        {
            if (path.length() > 0)
            {
                path.append('/');
            }
            path.append(field.utf8());
        }
        return path.toString();
    }
}
