// Loading, empty and error states: every view uses these so each one says what is happening and what to do.
import { useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { hostReachability, isHostUnreachable } from '../api.ts';

export function Loading({ what }: { what: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

export function ErrorState({ message, hint, onRetry }: { message: string; hint?: string | undefined; onRetry?: () => void }) {
  if (isHostUnreachable({ message })) return <WaitingForHost onRetry={onRetry} />;
  return (
    <div className="state state-error" role="alert">
      <strong>{message}</strong>
      {hint && <p>{hint}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The host is unreachable: the app's banner says so and what to do; here, only what it means for this view. */
export function useHostState() {
  return useSyncExternalStore(hostReachability.subscribe, hostReachability.get);
}

function WaitingForHost({ onRetry }: { onRetry?: (() => void) | undefined }) {
  const { epoch, reachable } = useHostState();
  const retry = useRef(onRetry);
  retry.current = onRetry;
  // When the host answers again, what could not load loads: at each return, or at once if it came back before this
  // showed. A retry that fails again leaves this in place (the host is marked unreachable first), so it cannot loop.
  useEffect(() => {
    if (reachable) retry.current?.();
  }, [epoch, reachable]);
  return onRetry ? (
    <div className="state state-waiting" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Waiting for Tandem’s host: this fills in when it answers.
    </div>
  ) : (
    <p className="state-waiting muted small" aria-live="polite">
      Not done: Tandem’s host did not answer. Try again once it does.
    </p>
  );
}
