/** Alerts: what Valdrix raises for people to look at (restatements, a broken audit chain, …). */
export * from './alerts';
export { alertsHandlers, createAlertServices, type AlertServices } from './service';
