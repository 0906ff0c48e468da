import { useRouter } from '../../app/router';
import { Spinner } from '../../components/Spinner';
import { ACTIVE_JOBS_INPUT, useJobs } from './queries';

/** In the Shell's header while jobs run or wait: "2 jobs running", opening the Jobs screen. */
export function JobActivity() {
  const navigate = useRouter((state) => state.navigate);
  const counts = useJobs(ACTIVE_JOBS_INPUT).data?.counts;
  const running = counts?.running ?? 0;
  const waiting = (counts?.queued ?? 0) + (counts?.failed ?? 0);
  if (running === 0 && waiting === 0) return null;

  const text =
    running > 0
      ? `${running} ${running === 1 ? 'job' : 'jobs'} running`
      : `${waiting} ${waiting === 1 ? 'job' : 'jobs'} waiting`;
  return (
    <button
      type="button"
      className="activity"
      data-testid="jobs-activity"
      data-running={running}
      onClick={() => navigate('jobs')}
      title={waiting > 0 && running > 0 ? `${text}, ${waiting} waiting: open Jobs` : `${text}: open Jobs`}
    >
      {running > 0 ? <Spinner size={12} /> : <span className="activity-dot" aria-hidden="true" />}
      <span aria-live="polite">{text}</span>
    </button>
  );
}
