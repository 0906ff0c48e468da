import type { Services } from '../core/services';
import type { Handlers } from './registry';

/** Maps every contract channel to a core service call. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.info': () => services.app.info(),
    'overview.get': (input) => services.overview.get(input),
  };
}
