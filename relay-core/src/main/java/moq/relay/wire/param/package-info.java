/**
 * What the request-stream drafts (18 and 20) share on the wire, written once: the Message Parameter layer
 * ({@link moq.relay.wire.param.ParameterType}, one enum keyed by parameter type for both drafts; the records both
 * define, {@link moq.relay.wire.param.Parameter}; the counted block's reading, writing and lookups,
 * {@link moq.relay.wire.param.ParameterBlock}), SETUP's options ({@link moq.relay.wire.param.SetupOptions}), the
 * shapes of the messages both lay out alike ({@link moq.relay.wire.param.Messages}) and how a draft names its records
 * for them ({@link moq.relay.wire.param.Records}); and the structures whose wire form the two drafts share: the
 * authorization {@link moq.relay.wire.param.AuthToken}, {@link moq.relay.wire.param.GroupOrder}, Track and Object
 * {@link moq.relay.wire.param.Properties} (with {@link moq.relay.wire.param.PropertyType}), REQUEST_ERROR's
 * {@link moq.relay.wire.param.Redirect} and the checks on locally built names ({@link moq.relay.wire.param.Names}).
 * Neither draft's package is imported here, and draft 20 imports none of draft 18's.
 *
 * <p>Each draft restricts it and declares only its differences: {@code d18.MessageParameters.TYPES} /
 * {@code d20.MessageParameters.TYPES} (the types it defines; code 0x21 is draft 18's SUBSCRIPTION_FILTER and draft
 * 20's LOCATION_FILTER), its {@code ParameterContext} (which message may carry which type), the values of the types
 * it alone has (draft 18's Subscription Filter; draft 20's Location Filter, FILL_PARAMETERS, Range Filters,
 * INCLUDE_PROPERTIES) in its {@code Parameter}, and its Setup Options. A draft's codec decodes only its own types
 * and records. Parameters are control-plane data: they may allocate; nothing here is on a data path.
 */
package moq.relay.wire.param;
