import type { MouseEvent } from 'react';
import { useJobsScreenState } from './screen-state';

/** A click anywhere in a job's row opens its detail panel, except a click on one of the row's own buttons. */
export function useOpenJobOnRowClick(id: string) {
  const select = useJobsScreenState((state) => state.select);
  return (event: MouseEvent<HTMLElement>) => {
    if (event.target instanceof Element && event.target.closest('button, a')) return;
    select(id);
  };
}
