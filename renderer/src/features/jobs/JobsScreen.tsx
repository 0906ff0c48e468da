import { ActiveJobs } from './ActiveJobs';
import { JobDetailPanel } from './JobDetailPanel';
import { JobHistory } from './JobHistory';
import { ACTIVE_JOBS_INPUT, HISTORY_JOBS_INPUT, useJobs } from './queries';
import { StartDemoJob } from './StartDemoJob';
import { StatusCounts } from './StatusCounts';

/** Background work: what is running now with its progress, what finished, and each job in detail. */
export function JobsScreen() {
  const active = useJobs(ACTIVE_JOBS_INPUT);
  const history = useJobs(HISTORY_JOBS_INPUT);
  // Both answers carry the workspace-wide counts; show the fresher one.
  const counts = (active.dataUpdatedAt >= history.dataUpdatedAt ? active.data : history.data)?.counts;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1 className="page-title">Jobs</h1>
          <p className="page-subtitle">Background work in this workspace, from this window and the command line</p>
        </div>
        <div className="page-controls">
          <StartDemoJob />
        </div>
      </header>
      <StatusCounts counts={counts} />
      <ActiveJobs query={active} />
      <JobHistory query={history} />
      <JobDetailPanel />
    </div>
  );
}
