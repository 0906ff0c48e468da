import type { Services } from '../core/services';
import type { Handlers } from './registry';

/** Maps every contract channel to a core service call. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.info': () => services.app.info(),
    'overview.get': (input) => services.overview.get(input),
    'jobs.list': (input) => services.jobs.list(input),
    'jobs.get': (input) => services.jobs.get(input.id),
    'jobs.cancel': (input) => services.jobs.cancel(input.id),
    'jobs.retry': (input) => services.jobs.retry(input.id),
    'jobs.start': (input) => services.jobs.start(input.type, input.payload),
    'jobs.types': () => services.jobs.types(),
    'diagnostics.metrics': () => services.diagnostics.metrics(),
    'alerts.list': (input) => services.alerts.list(input),
    'audit.list': (input) => services.audit.list(input),
    'audit.status': () => services.audit.status(),
    'audit.facets': () => services.audit.facets(),
    'audit.export': (input) => services.audit.export(input),
    'settings.get': () => services.settings.get(),
  };
}
