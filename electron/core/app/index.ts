/** App-wide facts and habits: the injected clock, version, event bus, ids, CPU priority, path grants, app.info. */
export * from './clock';
export * from './event-bus';
export * from './ids';
export * from './path-grants';
export * from './priority';
export * from './version';
