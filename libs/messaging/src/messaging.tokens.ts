/** Injection token of the shared NatsConnection provided by MessagingModule. */
export const NATS_CONNECTION = Symbol('NATS_CONNECTION');
/** Injection token of the resolved MessagingModuleOptions. */
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
