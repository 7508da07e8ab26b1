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

window.addEventListener('hashchange', () => useRoute.setState({ route: parseHash(window.location.hash) }));
