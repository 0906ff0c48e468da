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
    'audit.keychain': () => services.audit.keychain(),
    'settings.get': () => services.settings.get(),
    'settings.updateImportAlerts': (input) => services.settings.updateImportAlerts(input),
    'settings.updateImportLimits': (input) => services.settings.updateImportLimits(input),
    'imports.detect': (input) => services.imports.detect(input),
    'imports.start': (input) => services.imports.start(input),
    'imports.list': (input) => services.imports.list(input),
    'imports.grantPath': (input) => services.imports.grantPath(input),
    'imports.held': () => services.imports.held(),
    'imports.accept': (input) => services.imports.accept(input.runId),
    'imports.discard': (input) => services.imports.discard(input.runId),
    'costs.query': (input) => services.costs.query(input),
    'costs.lines': (input) => services.costs.lines(input),
    'costs.exportCsv': (input) => services.costs.exportCsv(input),
    'restatements.list': (input) => services.restatements.list(input),
    'restatements.page': (input) => services.restatements.page(input),
  };
}
