// The inbox's line on background triage: a progress bar while the model reads new tickets, and its notice when it cannot.
import { useEffect } from 'react';
import { useTriageProgress } from './progress-store.ts';
import { progressLine, progressVisible } from './selectors.ts';

export function TriageProgressBar() {
  const { progress, load } = useTriageProgress();
  useEffect(() => {
    void load();
  }, [load]);
  if (!progress || !progressVisible(progress)) return null;
  const busy = progress.pending + progress.running > 0;
  return (
    <div className="triage-progress" data-testid="triage-progress">
      {busy && (
        <div className="bar" role="progressbar" aria-label="Background triage" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
          <span style={{ width: `${progress.total ? Math.round((progress.done / progress.total) * 100) : 0}%` }} />
        </div>
      )}
      <span className="muted small">{progressLine(progress)}</span>
      {progress.notice && (
        <p className="warning small" role="status">
          {progress.notice}
        </p>
      )}
    </div>
  );
}
