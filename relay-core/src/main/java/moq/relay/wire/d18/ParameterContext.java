package moq.relay.wire.d18;

import moq.relay.wire.param.ParameterScope;
import moq.relay.wire.param.ParameterType;

import java.util.Set;

import static moq.relay.wire.param.ParameterType.AUTHORIZATION_TOKEN;
import static moq.relay.wire.param.ParameterType.EXPIRES;
import static moq.relay.wire.param.ParameterType.FILL_TIMEOUT;
import static moq.relay.wire.param.ParameterType.FORWARD;
import static moq.relay.wire.param.ParameterType.GROUP_ORDER;
import static moq.relay.wire.param.ParameterType.LARGEST_OBJECT;
import static moq.relay.wire.param.ParameterType.NEW_GROUP_REQUEST;
import static moq.relay.wire.param.ParameterType.OBJECT_DELIVERY_TIMEOUT;
import static moq.relay.wire.param.ParameterType.RENDEZVOUS_TIMEOUT;
import static moq.relay.wire.param.ParameterType.SUBGROUP_DELIVERY_TIMEOUT;
import static moq.relay.wire.param.ParameterType.SUBSCRIBER_PRIORITY;
import static moq.relay.wire.param.ParameterType.SUBSCRIPTION_FILTER;
import static moq.relay.wire.param.ParameterType.TRACK_NAMESPACE_PREFIX;

/**
 * Where a parameter may appear. Each parameter's definition lists the messages it MAY appear in; anywhere else it
 * is a PROTOCOL_VIOLATION (§"Parameter Scope"). The sets below are those lists, inverted.
 *
 * <p>REQUEST_OK and REQUEST_UPDATE are shared by several requests (PUBLISH_OK, TRACK_STATUS_OK, ...), and which
 * parameters they may carry depends on the request on the stream, which the codec cannot see. The codec therefore
 * decodes them against the union ({@link #REQUEST_OK}, {@link #REQUEST_UPDATE}); the session layer, which knows
 * the request, narrows with {@code RequestOk.validateAs} / {@code RequestUpdate.validateAs} and one of the
 * specific contexts.
 *
 * <p>TRACK_STATUS admits only AUTHORIZATION_TOKEN: it is the only parameter whose definition names TRACK_STATUS
 * (the TRACK_STATUS text also says delivery parameters "are not included").
 */
public enum ParameterContext implements ParameterScope
{
    SUBSCRIBE(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, RENDEZVOUS_TIMEOUT, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, SUBSCRIPTION_FILTER, GROUP_ORDER, NEW_GROUP_REQUEST),
    SUBSCRIBE_OK(EXPIRES, LARGEST_OBJECT),
    PUBLISH(AUTHORIZATION_TOKEN, EXPIRES, LARGEST_OBJECT, FORWARD),
    FETCH(AUTHORIZATION_TOKEN, FILL_TIMEOUT, SUBSCRIBER_PRIORITY, GROUP_ORDER),
    /** No parameter definition names FETCH_OK. */
    FETCH_OK(),
    TRACK_STATUS(AUTHORIZATION_TOKEN),
    PUBLISH_NAMESPACE(AUTHORIZATION_TOKEN),
    SUBSCRIBE_NAMESPACE(AUTHORIZATION_TOKEN),
    SUBSCRIBE_TRACKS(AUTHORIZATION_TOKEN, FORWARD),

    /** REQUEST_UPDATE as decoded: any parameter some REQUEST_UPDATE may carry. */
    REQUEST_UPDATE(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, SUBSCRIPTION_FILTER, NEW_GROUP_REQUEST, TRACK_NAMESPACE_PREFIX),
    /** REQUEST_UPDATE of a subscription (made by SUBSCRIBE or PUBLISH). */
    REQUEST_UPDATE_OF_SUBSCRIPTION(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, SUBSCRIPTION_FILTER, NEW_GROUP_REQUEST),
    REQUEST_UPDATE_OF_FETCH(AUTHORIZATION_TOKEN, SUBSCRIBER_PRIORITY),
    /** REQUEST_UPDATE of a SUBSCRIBE_NAMESPACE or SUBSCRIBE_TRACKS. */
    REQUEST_UPDATE_OF_NAMESPACE_SUBSCRIPTION(AUTHORIZATION_TOKEN, TRACK_NAMESPACE_PREFIX),
    REQUEST_UPDATE_OF_PUBLISH_NAMESPACE(AUTHORIZATION_TOKEN),

    /** REQUEST_OK as decoded: any parameter some REQUEST_OK may carry. */
    REQUEST_OK(OBJECT_DELIVERY_TIMEOUT, SUBGROUP_DELIVERY_TIMEOUT, EXPIRES, LARGEST_OBJECT, FORWARD,
        SUBSCRIBER_PRIORITY, SUBSCRIPTION_FILTER, GROUP_ORDER, NEW_GROUP_REQUEST),
    PUBLISH_OK(OBJECT_DELIVERY_TIMEOUT, SUBGROUP_DELIVERY_TIMEOUT, EXPIRES, FORWARD, SUBSCRIBER_PRIORITY,
        SUBSCRIPTION_FILTER, GROUP_ORDER, NEW_GROUP_REQUEST),
    REQUEST_UPDATE_OK(EXPIRES, LARGEST_OBJECT),
    TRACK_STATUS_OK(LARGEST_OBJECT),
    /** SUBSCRIBE_NAMESPACE_OK, SUBSCRIBE_TRACKS_OK and PUBLISH_NAMESPACE_OK: no parameter names them. */
    NAMESPACE_REQUEST_OK();

    private final Set<ParameterType> allowed;

    ParameterContext(final ParameterType... allowed)
    {
        this.allowed = ParameterScope.setOf(allowed);
    }

    @Override
    public boolean allows(final ParameterType type)
    {
        return allowed.contains(type);
    }

    /** True for the REQUEST_OK variants in which Track Properties may be non-empty (only TRACK_STATUS_OK). */
    public boolean allowsTrackProperties()
    {
        return this == TRACK_STATUS_OK || this == REQUEST_OK;
    }
}
