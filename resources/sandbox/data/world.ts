// Builders for one piece of the world at a time: addresses, phones, tracking numbers, a parcel's route and scans,
// CRM note texts.
import { DAY, HOUR, PRESENT_MS, iso, minute } from './clock.ts';
import type { Rng } from './random.ts';
import { CARRIERS_BY_COUNTRY, CA_STREETS, CITIES, DE_STREETS, FR_STREETS, GB_STREETS, HUBS, ORIGIN, US_STREETS } from './reference.ts';
import type { Address, Country, Shipment, ShipmentEvent } from './shapes.ts';

export function asciiFold(s: string): string {
  return s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]/g, '');
}

export function makeAddress(rng: Rng, country: Country): { address: Address; dial: string } {
  const c = rng.pick(CITIES[country]);
  const postcode = rng.pick(c.postcodes);
  let line1: string;
  let line2: string | undefined;
  switch (country) {
    case 'US':
      line1 = `${rng.int(1, 4999)} ${rng.pick(US_STREETS)}`;
      if (rng.chance(0.25)) line2 = rng.pick([`Apt ${rng.int(1, 24)}${rng.pick(['A', 'B', 'C', 'D'])}`, `Unit ${rng.int(1, 40)}`, `Apt ${rng.int(101, 512)}`]);
      break;
    case 'CA':
      line1 = `${rng.int(1, 2999)} ${rng.pick(CA_STREETS)}`;
      if (rng.chance(0.3)) line2 = `Unit ${rng.int(101, 2408)}`;
      break;
    case 'GB':
      if (rng.chance(0.2)) {
        line1 = `Flat ${rng.int(1, 12)}`;
        line2 = `${rng.int(1, 140)} ${rng.pick(GB_STREETS)}`;
      } else {
        line1 = `${rng.int(1, 140)} ${rng.pick(GB_STREETS)}`;
      }
      break;
    case 'DE':
      line1 = `${rng.pick(DE_STREETS)} ${rng.int(1, 120)}${rng.chance(0.1) ? 'a' : ''}`;
      if (rng.chance(0.15)) line2 = `${rng.int(1, 5)}. OG`;
      break;
    case 'FR':
      line1 = `${rng.int(1, 160)} ${rng.pick(FR_STREETS)}`;
      if (rng.chance(0.2)) line2 = `Bât. ${rng.pick(['A', 'B', 'C'])}, ${rng.int(1, 6)}e étage`;
      break;
  }
  const address: Address = line2 === undefined
    ? { line1, city: c.city, region: c.region, postcode, country }
    : { line1, line2, city: c.city, region: c.region, postcode, country };
  return { address, dial: c.dial };
}

export function makePhone(rng: Rng, country: Country, dial: string): string {
  switch (country) {
    case 'US':
    case 'CA':
      // 555-01xx is reserved for fiction.
      return `+1 ${dial}-555-01${rng.digits(2)}`;
    case 'GB':
      // 07700 900000–900999 is Ofcom's drama range.
      return `+44 7700 900${rng.digits(3)}`;
    case 'DE':
      return `+49 ${rng.pick(['151', '160', '172', '176'])} ${rng.digits(7)}`;
    case 'FR':
      return `+33 ${rng.pick(['6', '7'])} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)} ${rng.digits(2)}`;
  }
}

function royalMailTracking(rng: Rng): string {
  const digits = rng.digits(8);
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (weights[i] as number);
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  if (check === 11) check = 5;
  return `${rng.pick(['QF', 'RK', 'TT', 'AB', 'LX'])}${digits}${check}GB`;
}

const UPS_SHIPPER: Record<string, string> = { 'Reno, NV, US': 'A4R729', 'Columbus, OH, US': 'W81V36', 'Venlo, NL': 'E27X05', 'Daventry, GB': 'G19H44' };

function trackingNumber(rng: Rng, carrier: string, origin: string): string {
  switch (carrier) {
    case 'UPS':
      return `1Z${UPS_SHIPPER[origin] ?? 'A4R729'}${rng.pick(['03', '01', '02'])}${rng.digits(8)}`;
    case 'FedEx':
      return `${rng.int(2, 7)}${rng.digits(11)}`;
    case 'USPS':
      return `9400${rng.pick(['1', '1', '2'])}${rng.digits(17)}`;
    case 'DHL':
      return `${rng.int(1, 9)}${rng.digits(9)}`;
    case 'Royal Mail':
      return royalMailTracking(rng);
    default:
      throw new Error(`unknown carrier ${carrier}`);
  }
}

function cityLine(a: Address): string {
  if (a.country === 'US' || a.country === 'CA') return `${a.city}, ${a.region}, ${a.country}`;
  return `${a.city}, ${a.country}`;
}

interface Route {
  carrier: string;
  tracking_number: string;
  labelMs: number;
  deliveredMs: number;
  /** Every scan through delivery, in order. */
  events: ShipmentEvent[];
}

/** Plans an order's journey: carrier, tracking number and the full scan history through delivery. */
export function planRoute(rng: Rng, placedMs: number, dest: Address): Route {
  const country = dest.country;
  const carrier = rng.weighted(CARRIERS_BY_COUNTRY[country]);
  const west = ['WA', 'OR', 'CA', 'ID', 'UT', 'AZ', 'CO'].includes(dest.region);
  const origin = country === 'US' ? (west ? 'Reno, NV, US' : 'Columbus, OH, US') : rng.pick(ORIGIN[country]);
  const tracking_number = trackingNumber(rng, carrier, origin);
  const labelMs = minute(placedMs + rng.int(6, 40) * HOUR + rng.int(0, 59) * 60_000);
  const hubs = HUBS[country][carrier] ?? [];
  const longest = country === 'CA' ? 5 : country === 'US' ? 3 : 2;
  const transitDays = rng.int(1, longest) + (rng.chance(0.15) ? rng.int(1, 3) : 0);
  const route: string[] = [];
  const hops = country === 'CA' ? hubs.length : transitDays > 2 && rng.chance(0.3) ? 2 : 1;
  for (let i = 0; i < hops; i++) route.push(country === 'CA' ? (hubs[i] as string) : rng.pick(hubs.filter((h) => !route.includes(h))));
  const events: ShipmentEvent[] = [{ at: iso(labelMs), status: 'label_created', location: origin }];
  const stepMs = Math.max(5 * HOUR, (transitDays * DAY - 14 * HOUR) / (hops + 1));
  // Picked up 3–14 hours after the label is printed; the first scan is at the first hub.
  let t = minute(labelMs + rng.int(3, 14) * HOUR);
  for (const hub of route) {
    t = minute(t + stepMs + rng.int(-90, 90) * 60_000);
    events.push({ at: iso(t), status: 'in_transit', location: hub });
  }
  // Out for delivery the morning after the last hub scan, delivered that afternoon.
  const outMs = (Math.floor(t / DAY) + 1) * DAY + rng.int(7, 9) * HOUR + rng.int(0, 59) * 60_000;
  const deliveredMs = outMs + rng.int(2, 8) * HOUR + rng.int(0, 59) * 60_000;
  const here = cityLine(dest);
  events.push({ at: iso(outMs), status: 'out_for_delivery', location: here });
  events.push({ at: iso(deliveredMs), status: 'delivered', location: here });
  return { carrier, tracking_number, labelMs, deliveredMs, events };
}

export function delivered(r: Route): Shipment {
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: iso(r.deliveredMs), events: r.events };
}

/** In transit: the scans that have happened by now, never the delivery. */
export function inTransit(r: Route): Shipment {
  const events = r.events.filter((e) => e.status !== 'delivered' && Date.parse(e.at) <= PRESENT_MS);
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: null, events };
}

/** Should have arrived, but the last hub reported a problem and nothing moved since. */
export function stuck(rng: Rng, r: Route): Shipment {
  const events = r.events.filter((e) => e.status === 'label_created' || e.status === 'in_transit');
  const last = events[events.length - 1] as ShipmentEvent;
  const at = minute(Date.parse(last.at) + rng.int(8, 30) * HOUR);
  events.push({ at: iso(Math.min(at, PRESENT_MS - HOUR)), status: 'exception', location: last.location });
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: null, events };
}

export const NOTE_TEXTS: readonly ((ctx: { order?: string; credit: number }) => string)[] = [
  () => 'Prefers contact by email, not phone.',
  () => 'Long-time customer; very polite on calls.',
  (c) => (c.order ? `Courier left order ${c.order} at the wrong door; customer found it next day. No action.` : 'Asked about delivery windows before the holidays.'),
  (c) => (c.credit > 0 ? `Added $${(c.credit / 100).toFixed(2)} goodwill store credit after a late delivery.` : 'Asked whether store credit can be used on sale items (yes).'),
  () => 'Asked about assembly service for patio furniture; told we do not offer it.',
  () => 'Has a dog: ask carriers not to leave parcels by the gate.',
  (c) => (c.order ? `Chargeback threatened over order ${c.order}; resolved after tracking was shared.` : 'Unhappy with the returns window; explained policy.'),
  () => 'Requested paper invoices for business expenses.',
  () => 'Hard of hearing: prefers chat or email.',
  () => 'Interested in bulk pricing for a holiday rental property.',
];
