package moq.relay.wire.param;

import moq.relay.wire.Bytes;
import moq.relay.wire.ControlMessage;
import moq.relay.wire.KeyValuePair;
import moq.relay.wire.TrackNamespace;

import java.util.List;
import java.util.function.Function;

/**
 * How one draft builds the messages drafts 18 and 20 lay out alike: its records' constructors, named once per draft
 * ({@code Draft18ControlCodec.RECORDS}, {@code Draft20ControlCodec.RECORDS}), so that the relay's and the client's
 * dialects build them once for both drafts from the shared {@link Parameter}s. Control messages only: each call
 * allocates its record.
 *
 * @param <B> the draft's parameter block
 */
public final class Records<B extends ParameterBlock>
{
    /** SUBSCRIBE's constructor. */
    public interface TrackRequest<B>
    {
        ControlMessage of(long requestId, TrackNamespace namespace, Bytes trackName, B parameters);
    }

    /** PUBLISH_NAMESPACE's constructor. */
    public interface NamespaceRequest<B>
    {
        ControlMessage of(long requestId, TrackNamespace namespace, B parameters);
    }

    /** PUBLISH's constructor. */
    public interface PublishRequest<B>
    {
        ControlMessage of(long requestId, TrackNamespace namespace, Bytes trackName, long trackAlias, B parameters,
            Properties trackProperties);
    }

    /** REQUEST_UPDATE's constructor. */
    public interface Update<B>
    {
        ControlMessage of(long requestId, B parameters);
    }

    /** SUBSCRIBE_OK's constructor. */
    public interface SubscribeOkAnswer<B>
    {
        ControlMessage of(long trackAlias, B parameters, Properties trackProperties);
    }

    /** REQUEST_OK's constructor. */
    public interface OkAnswer<B>
    {
        ControlMessage of(B parameters, Properties trackProperties);
    }

    /** REQUEST_ERROR (code, retry interval, reason) and PUBLISH_DONE (status, stream count, reason). */
    public interface CodedEnd
    {
        ControlMessage of(long code, long count, Bytes reason);
    }

    private final Function<TrackNamespace, ControlMessage> namespace;
    private final Function<TrackNamespace, ControlMessage> namespaceDone;
    private final Function<Parameter[], B> parameters;
    private final Function<List<KeyValuePair>, ControlMessage> setup;
    private final TrackRequest<B> subscribe;
    private final PublishRequest<B> publish;
    private final NamespaceRequest<B> publishNamespace;
    private final Update<B> requestUpdate;
    private final SubscribeOkAnswer<B> subscribeOk;
    private final OkAnswer<B> requestOk;
    private final CodedEnd requestError;
    private final CodedEnd publishDone;

    public Records(final Function<Parameter[], B> parameters, final Function<List<KeyValuePair>, ControlMessage> setup,
        final TrackRequest<B> subscribe, final PublishRequest<B> publish, final NamespaceRequest<B> publishNamespace,
        final Update<B> requestUpdate, final SubscribeOkAnswer<B> subscribeOk, final OkAnswer<B> requestOk,
        final CodedEnd requestError, final CodedEnd publishDone,
        final Function<TrackNamespace, ControlMessage> namespace,
        final Function<TrackNamespace, ControlMessage> namespaceDone)
    {
        this.namespace = namespace;
        this.namespaceDone = namespaceDone;
        this.parameters = parameters;
        this.setup = setup;
        this.subscribe = subscribe;
        this.publish = publish;
        this.publishNamespace = publishNamespace;
        this.requestUpdate = requestUpdate;
        this.subscribeOk = subscribeOk;
        this.requestOk = requestOk;
        this.requestError = requestError;
        this.publishDone = publishDone;
    }

    /** The draft's parameter block of {@code entries}, in any order. */
    public B parameters(final Parameter... entries)
    {
        return parameters.apply(entries);
    }

    public ControlMessage setup(final List<KeyValuePair> options)
    {
        return setup.apply(options);
    }

    public ControlMessage subscribe(final long requestId, final TrackNamespace namespace, final Bytes trackName,
        final Parameter... entries)
    {
        return subscribe.of(requestId, namespace, trackName, parameters(entries));
    }

    public ControlMessage publish(final long requestId, final TrackNamespace namespace, final Bytes trackName,
        final long trackAlias, final Properties trackProperties, final Parameter... entries)
    {
        return publish.of(requestId, namespace, trackName, trackAlias, parameters(entries), trackProperties);
    }

    public ControlMessage publishNamespace(final long requestId, final TrackNamespace namespace,
        final Parameter... entries)
    {
        return publishNamespace.of(requestId, namespace, parameters(entries));
    }

    public ControlMessage requestUpdate(final long requestId, final Parameter... entries)
    {
        return requestUpdate.of(requestId, parameters(entries));
    }

    public ControlMessage subscribeOk(final long trackAlias, final Properties trackProperties,
        final Parameter... entries)
    {
        return subscribeOk.of(trackAlias, parameters(entries), trackProperties);
    }

    public ControlMessage requestOk(final Properties trackProperties, final Parameter... entries)
    {
        return requestOk.of(parameters(entries), trackProperties);
    }

    /** REQUEST_ERROR with Retry Interval 0. */
    public ControlMessage requestError(final long code, final Bytes reason)
    {
        return requestError.of(code, 0, reason);
    }

    public ControlMessage publishDone(final long statusCode, final long streamCount, final Bytes reason)
    {
        return publishDone.of(statusCode, streamCount, reason);
    }

    /** NAMESPACE with a matching namespace's {@code suffix} after the SUBSCRIBE_NAMESPACE prefix. */
    public ControlMessage namespace(final TrackNamespace suffix)
    {
        return namespace.apply(suffix);
    }

    public ControlMessage namespaceDone(final TrackNamespace suffix)
    {
        return namespaceDone.apply(suffix);
    }
}
