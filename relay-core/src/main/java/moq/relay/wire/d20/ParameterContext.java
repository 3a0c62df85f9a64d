package moq.relay.wire.d20;

import moq.relay.wire.param.ParameterScope;
import moq.relay.wire.param.ParameterType;

import java.util.Set;

import static moq.relay.wire.param.ParameterType.AUTHORIZATION_TOKEN;
import static moq.relay.wire.param.ParameterType.EXPIRES;
import static moq.relay.wire.param.ParameterType.FILL_PARAMETERS;
import static moq.relay.wire.param.ParameterType.FILL_TIMEOUT;
import static moq.relay.wire.param.ParameterType.FORWARD;
import static moq.relay.wire.param.ParameterType.GROUP_ORDER;
import static moq.relay.wire.param.ParameterType.INCLUDE_PROPERTIES;
import static moq.relay.wire.param.ParameterType.LARGEST_OBJECT;
import static moq.relay.wire.param.ParameterType.LOCATION_FILTER;
import static moq.relay.wire.param.ParameterType.NEW_GROUP_REQUEST;
import static moq.relay.wire.param.ParameterType.OBJECTID_FILTER;
import static moq.relay.wire.param.ParameterType.OBJECT_DELIVERY_TIMEOUT;
import static moq.relay.wire.param.ParameterType.OBJECT_PROPERTY_FILTER;
import static moq.relay.wire.param.ParameterType.PRIORITY_FILTER;
import static moq.relay.wire.param.ParameterType.RENDEZVOUS_TIMEOUT;
import static moq.relay.wire.param.ParameterType.SUBGROUP_DELIVERY_TIMEOUT;
import static moq.relay.wire.param.ParameterType.SUBGROUP_FILTER;
import static moq.relay.wire.param.ParameterType.SUBSCRIBER_PRIORITY;
import static moq.relay.wire.param.ParameterType.TRACK_NAMESPACE_PREFIX;
import static moq.relay.wire.param.ParameterType.TRACK_PROPERTY_FILTER;

/**
 * Where a parameter may appear. Each parameter's definition (draft-21 §9.20.3-§9.20.22, §3.3.2 for the Range
 * Filters) lists the messages it MAY appear in; anywhere else it is a PROTOCOL_VIOLATION (§9.20.1). The sets below
 * are those lists, inverted (§9.20.2's table is empty in the text).
 *
 * <p>REQUEST_OK and REQUEST_UPDATE are shared by several requests, and which parameters they may carry depends on
 * the request on the stream, which the codec cannot see. The codec decodes them against the union ({@link
 * #REQUEST_OK}, {@link #REQUEST_UPDATE}); the session layer narrows with {@code RequestOk.validateAs} /
 * {@code RequestUpdate.validateAs} and one of the specific contexts.
 *
 * <p>Readings where the text is not a closed list (see the package documentation):
 * <ul>
 *   <li>SUBSCRIBE_TRACKS takes every SUBSCRIBE parameter (§9.18.1, "Any Parameter that can be specified on a
 *       Subscription ... is valid in SUBSCRIBE_TRACKS, unless otherwise specified") plus TRACK_PROPERTY_FILTER.</li>
 *   <li>PUBLISH takes the subscription parameters a publisher can state (§9.8 "such as ...", and §9.18.1: the
 *       SUBSCRIBE_TRACKS parameters "are explicitly communicated in PUBLISH"), so also the object Range Filters;
 *       not the subscriber-only RENDEZVOUS_TIMEOUT, NEW_GROUP_REQUEST, FILL_PARAMETERS and INCLUDE_PROPERTIES.</li>
 *   <li>TRACK_STATUS_OK takes EXPIRES as well as LARGEST_OBJECT: it carries "the same parameters ... it would have
 *       set in a SUBSCRIBE_OK" (§9.13).</li>
 * </ul>
 */
public enum ParameterContext implements ParameterScope
{
    SUBSCRIBE(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, RENDEZVOUS_TIMEOUT, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, LOCATION_FILTER, GROUP_ORDER, FILL_PARAMETERS, SUBGROUP_FILTER, OBJECTID_FILTER,
        PRIORITY_FILTER, OBJECT_PROPERTY_FILTER, NEW_GROUP_REQUEST, INCLUDE_PROPERTIES),
    SUBSCRIBE_OK(EXPIRES, LARGEST_OBJECT),
    PUBLISH(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, SUBGROUP_DELIVERY_TIMEOUT, EXPIRES, LARGEST_OBJECT, FORWARD,
        SUBSCRIBER_PRIORITY, LOCATION_FILTER, GROUP_ORDER, SUBGROUP_FILTER, OBJECTID_FILTER, PRIORITY_FILTER,
        OBJECT_PROPERTY_FILTER),
    /** §9.10: LOCATION_FILTER, LARGEST_OBJECT and FORWARD are the definitions naming PUBLISH_STATE_NOTIFY. */
    PUBLISH_STATE_NOTIFY(LARGEST_OBJECT, FORWARD, LOCATION_FILTER),
    FETCH(AUTHORIZATION_TOKEN, FILL_TIMEOUT, SUBSCRIBER_PRIORITY, LOCATION_FILTER, GROUP_ORDER, SUBGROUP_FILTER,
        OBJECTID_FILTER, PRIORITY_FILTER, OBJECT_PROPERTY_FILTER, INCLUDE_PROPERTIES),
    /** No parameter definition names FETCH_OK. */
    FETCH_OK(),
    TRACK_STATUS(AUTHORIZATION_TOKEN, INCLUDE_PROPERTIES),
    PUBLISH_NAMESPACE(AUTHORIZATION_TOKEN),
    SUBSCRIBE_NAMESPACE(AUTHORIZATION_TOKEN),
    SUBSCRIBE_TRACKS(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, RENDEZVOUS_TIMEOUT, SUBGROUP_DELIVERY_TIMEOUT,
        FORWARD, SUBSCRIBER_PRIORITY, LOCATION_FILTER, GROUP_ORDER, FILL_PARAMETERS, SUBGROUP_FILTER, OBJECTID_FILTER,
        PRIORITY_FILTER, OBJECT_PROPERTY_FILTER, TRACK_PROPERTY_FILTER, NEW_GROUP_REQUEST, INCLUDE_PROPERTIES),
    /** Inside FILL_PARAMETERS (§9.20.16, Table 6): a scope of its own. */
    FILL(FILL_TIMEOUT, SUBSCRIBER_PRIORITY, LOCATION_FILTER, GROUP_ORDER, SUBGROUP_FILTER, OBJECTID_FILTER,
        PRIORITY_FILTER, OBJECT_PROPERTY_FILTER),

    /** REQUEST_UPDATE as decoded: any parameter some REQUEST_UPDATE may carry. */
    REQUEST_UPDATE(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, LOCATION_FILTER, FILL_PARAMETERS, SUBGROUP_FILTER, OBJECTID_FILTER, PRIORITY_FILTER,
        OBJECT_PROPERTY_FILTER, TRACK_PROPERTY_FILTER, NEW_GROUP_REQUEST, TRACK_NAMESPACE_PREFIX),
    /** REQUEST_UPDATE of a subscription (made by SUBSCRIBE or PUBLISH). */
    REQUEST_UPDATE_OF_SUBSCRIPTION(OBJECT_DELIVERY_TIMEOUT, AUTHORIZATION_TOKEN, SUBGROUP_DELIVERY_TIMEOUT, FORWARD,
        SUBSCRIBER_PRIORITY, LOCATION_FILTER, FILL_PARAMETERS, SUBGROUP_FILTER, OBJECTID_FILTER, PRIORITY_FILTER,
        OBJECT_PROPERTY_FILTER, NEW_GROUP_REQUEST),
    REQUEST_UPDATE_OF_FETCH(AUTHORIZATION_TOKEN, SUBSCRIBER_PRIORITY),
    /** REQUEST_UPDATE of a SUBSCRIBE_TRACKS: FORWARD for future subscriptions (§9.20.19), the Track Property Filter. */
    REQUEST_UPDATE_OF_SUBSCRIBE_TRACKS(AUTHORIZATION_TOKEN, FORWARD, TRACK_PROPERTY_FILTER, TRACK_NAMESPACE_PREFIX),
    REQUEST_UPDATE_OF_SUBSCRIBE_NAMESPACE(AUTHORIZATION_TOKEN, TRACK_NAMESPACE_PREFIX),
    REQUEST_UPDATE_OF_PUBLISH_NAMESPACE(AUTHORIZATION_TOKEN),

    /** REQUEST_OK as decoded: any parameter some REQUEST_OK may carry. */
    REQUEST_OK(EXPIRES, LARGEST_OBJECT),
    /** Draft-20 moved the subscription parameters out of PUBLISH_OK into REQUEST_UPDATE (#1790). */
    PUBLISH_OK(EXPIRES),
    REQUEST_UPDATE_OK(EXPIRES, LARGEST_OBJECT),
    TRACK_STATUS_OK(EXPIRES, LARGEST_OBJECT),
    /** SUBSCRIBE_NAMESPACE_OK and PUBLISH_NAMESPACE_OK: EXPIRES only (§9.20.17), no Track Properties (§9.3). */
    NAMESPACE_REQUEST_OK(EXPIRES),
    /**
     * SUBSCRIBE_TRACKS_OK: EXPIRES only. §9.3 lists it neither among the REQUEST_OKs whose Track Properties must be
     * empty nor as populated, so non-empty ones are accepted (and ignored).
     */
    SUBSCRIBE_TRACKS_OK(EXPIRES);

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

    /** True for the REQUEST_OK variants in which Track Properties may be non-empty (only TRACK_STATUS_OK, §9.3). */
    public boolean allowsTrackProperties()
    {
        return this == TRACK_STATUS_OK || this == REQUEST_OK || this == SUBSCRIBE_TRACKS_OK;
    }
}
