package moq.relay.transport.web;

import java.util.List;

/** The namespaces currently published on the relay, for the development web server's {@code /announced} route. */
@FunctionalInterface
public interface AnnouncedNamespaces
{
    /** Nothing is ever announced (a server without a MoQT engine behind it). */
    AnnouncedNamespaces NONE = prefix -> List.of();

    /**
     * The published namespaces that start with {@code prefix}, each as its fields joined by "/", sorted.
     *
     * @param prefix namespace fields; empty for every namespace.
     */
    List<String> under(List<String> prefix);
}
