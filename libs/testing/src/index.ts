export * from './free-port';
export * from './wait-for';
export * from './postgres-server';
export * from './nats-server';
export * from './sandbox-admin-client';
export * from './start-sandbox';
