// Which screen is showing, kept in the URL hash so reload and back/forward work in the browser and in Electron.
import { create } from 'zustand';

export type Route = { name: 'inbox' } | { name: 'escalations' } | { name: 'settings' } | { name: 'insights' } | { name: 'ticket'; id: string } | { name: 'maps' } | { name: 'map'; id: string; step: string | null };

export function parseHash(hash: string): Route {
  const m = /^#\/tickets\/(.+)$/.exec(hash);
  if (m?.[1]) return { name: 'ticket', id: decodeURIComponent(m[1]) };
  if (hash === '#/escalations') return { name: 'escalations' };
  if (hash === '#/maps') return { name: 'maps' };
  const map = /^#\/maps\/([^?]+)(?:\?step=(.+))?$/.exec(hash);
  if (map?.[1]) return { name: 'map', id: decodeURIComponent(map[1]), step: map[2] ? decodeURIComponent(map[2]) : null };
  if (hash === '#/insights') return { name: 'insights' };
  return hash === '#/settings' ? { name: 'settings' } : { name: 'inbox' };
}

export function routeHash(route: Route): string {
  if (route.name === 'ticket') return `#/tickets/${encodeURIComponent(route.id)}`;
  if (route.name === 'settings') return '#/settings';
  if (route.name === 'insights') return '#/insights';
  if (route.name === 'maps') return '#/maps';
  if (route.name === 'map') return `#/maps/${encodeURIComponent(route.id)}${route.step ? `?step=${encodeURIComponent(route.step)}` : ''}`;
  return route.name === 'escalations' ? '#/escalations' : '#/';
}

interface RouteState {
  route: Route;
  go(route: Route): void;
}

export const useRoute = create<RouteState>(() => ({
  route: parseHash(window.location.hash),
  go(route) {
    window.location.hash = routeHash(route);
  },
}));

/** Whether two routes show the same thing (a map with or without a step to open is the same map). */
function sameScreen(a: Route, b: Route): boolean {
  if (a.name === 'map' && b.name === 'map') return a.id === b.id;
  return routeHash(a) === routeHash(b);
}

let leaveGuard: (() => string | null) | null = null;

/**
 * A screen with unsaved work sets a guard that returns what would be lost (or null when nothing would). Leaving the
 * screen then asks first, in the app (links, back and forward) and when the page itself would close or reload.
 */
export function guardLeaving(guard: (() => string | null) | null): void {
  leaveGuard = guard;
}

window.addEventListener('hashchange', () => {
  const next = parseHash(window.location.hash);
  const current = useRoute.getState().route;
  const loss = sameScreen(next, current) ? null : leaveGuard?.();
  if (loss && !window.confirm(`${loss}\n\nLeave and drop them?`)) {
    // Stay: put the address back without adding a history entry (nothing re-renders, the work stays on screen).
    history.replaceState(history.state, '', routeHash(current));
    return;
  }
  useRoute.setState({ route: next });
});

window.addEventListener('beforeunload', (event) => {
  if (leaveGuard?.()) event.preventDefault();
});
