/** Every size and limit of the relay as a {@code moq.relay.*} system property: {@link moq.relay.config.RelayConfiguration}. */
package moq.relay.config;
