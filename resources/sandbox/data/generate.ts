// The demo operation's seed data: a deterministic generator for an online retailer of home & outdoor goods.
// Contract: resources/sandbox/DATA.md. Run `node resources/sandbox/data/generate.ts` to rewrite the JSON files
// beside this script; the same seed gives byte-identical output on every run (no clock, no Math.random).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ---------------------------------------------------------------------------------------------------------
// Shapes (DATA.md)

export type Country = 'US' | 'GB' | 'CA' | 'DE' | 'FR';
export type Tier = 'standard' | 'plus' | 'gold';
export type OrderStatus = 'processing' | 'shipped' | 'delivered' | 'cancelled';
export type EventStatus = 'label_created' | 'in_transit' | 'out_for_delivery' | 'delivered' | 'exception';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postcode: string;
  country: Country;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  address: Address;
  created_at: string;
  tier: Tier;
}

export interface OrderItem {
  sku: string;
  name: string;
  qty: number;
  unit_price_cents: number;
}

export interface ShipmentEvent {
  at: string;
  status: EventStatus;
  location: string;
}

export interface Shipment {
  carrier: string;
  tracking_number: string;
  shipped_at: string;
  delivered_at: string | null;
  events: ShipmentEvent[];
}

export interface Order {
  id: string;
  customer_id: string;
  customer_email: string;
  placed_at: string;
  currency: 'USD';
  items: OrderItem[];
  total_cents: number;
  status: OrderStatus;
  shipping_address: Address;
  shipment: Shipment | null;
  charge_id: string | null;
}

export interface Charge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: 'usd';
  created: number;
  customer_email: string;
  metadata: { order_id: string };
  paid: boolean;
  refunded: boolean;
  status: 'succeeded';
}

export interface CrmNote {
  id: string;
  at: string;
  author: string;
  text: string;
}

export interface Crm {
  users: { username: string; display_name: string }[];
  customers: {
    id: string;
    name: string;
    email: string;
    phone: string;
    tier: Tier;
    store_credit_cents: number;
    notes: CrmNote[];
  }[];
}

export interface Subscription {
  id: string;
  customer_id: string;
  email: string;
  plan: string;
  status: 'active' | 'cancelled' | 'past_due';
  price_cents: number;
  interval: 'month' | 'year';
  started_at: string;
  cancelled_at: string | null;
  current_period_end: string;
}

export interface Invoice {
  id: string;
  subscription_id: string;
  customer_id: string;
  amount_cents: number;
  currency: 'usd';
  status: 'paid' | 'open' | 'void';
  issued_at: string;
}

export interface Billing {
  subscriptions: Subscription[];
  invoices: Invoice[];
}

export interface Helpdesk {
  users: { id: number; name: string; email: string; role: 'end-user' | 'agent' }[];
  tickets: never[];
}

export interface Logistics {
  shipments: { order_id: string; carrier: string; tracking_number: string; status: EventStatus; events: ShipmentEvent[] }[];
  labels: never[];
}

export interface Dataset {
  customers: Customer[];
  orders: Order[];
  charges: Charge[];
  crm: Crm;
  billing: Billing;
  helpdesk: Helpdesk;
  logistics: Logistics;
}

export const SEED = 20261120;
/** The "present" of the demo world. */
export const PRESENT_MS = Date.UTC(2026, 10, 20, 12, 0, 0);
export const FILES = ['customers.json', 'orders.json', 'charges.json', 'crm.json', 'billing.json', 'helpdesk.json', 'logistics.json'] as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return (entries[entries.length - 1] as readonly [T, number])[0];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Rounds a time down to the minute, the way most systems show it. */
function minute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

// ---------------------------------------------------------------------------------------------------------
// Reference lists

const FIRST_NAMES: Record<Country, readonly string[]> = {
  US: [
    'James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'Daniel', 'Elizabeth', 'Matthew',
    'Sarah', 'Anthony', 'Jessica', 'Mark', 'Karen', 'Steven', 'Nancy', 'Andrew', 'Lisa', 'Joshua', 'Ashley', 'Kevin',
    'Emily', 'Brian', 'Megan', 'Dana', 'Priya', 'Wei', 'Carlos', 'Maria', 'Aisha', 'Jamal', 'Hiroshi', 'Sofia',
    'Marcus', 'Rachel', 'Tyler', 'Brianna', 'Luis', 'Keisha', 'Noah', 'Hannah', 'Ethan', 'Olivia', 'Grace', 'Derek',
    'Tanya', 'Rosa', 'Omar', 'Caitlin', 'Trevor', 'Monique', 'Glen', 'Heather', 'Jorge', 'Mei', 'Shauna', 'Curtis',
  ],
  CA: [
    'Liam', 'Emma', 'Lucas', 'Chloé', 'Nathan', 'Sophie', 'Gabriel', 'Isabelle', 'Owen', 'Avery', 'Mathieu',
    'Julie', 'Connor', 'Madison', 'Raj', 'Harpreet', 'Kyle', 'Brooke', 'Étienne', 'Danielle', 'Ryan', 'Jasmine',
  ],
  GB: [
    'Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Emily', 'Charlie', 'Sophie', 'Thomas', 'Grace',
    'Alfie', 'Poppy', 'Callum', 'Freya', 'Rhys', 'Imogen', 'Declan', 'Niamh', 'Fraser', 'Eilidh', 'Imran', 'Aaliyah',
    'Rory', 'Hollie', 'Gareth', 'Siobhan',
  ],
  DE: [
    'Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Laura', 'Maximilian', 'Sophie', 'Leon', 'Marie', 'Paul', 'Hannah',
    'Jürgen', 'Katrin', 'Stefan', 'Sabine', 'Tobias', 'Jana', 'Matthias', 'Ulrike', 'Emre', 'Svenja',
  ],
  FR: [
    'Camille', 'Léa', 'Manon', 'Chloé', 'Julien', 'Nicolas', 'Thomas', 'Antoine', 'Mathilde', 'Élodie', 'Hugo',
    'Louis', 'Inès', 'Sébastien', 'Margaux', 'Yanis', 'Océane', 'Benoît', 'Aurélie', 'Karim',
  ],
};

const LAST_NAMES: Record<Country, readonly string[]> = {
  US: [
    'Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
    'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Lee', 'Thompson', 'White', 'Harris',
    'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Nguyen', 'Hill',
    'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Patel', 'Kim',
    'Chen', 'Okafor', 'Whitfield', 'Sullivan', 'Brennan', 'Kowalski', 'Novak', 'Delgado', 'Yamamoto', 'Osei',
    'Reyes', 'Fitzgerald', 'Lindqvist', 'Abernathy', 'Castillo', 'Bishop', 'Hale', 'Pruitt', 'Vasquez',
  ],
  CA: [
    'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'MacDonald',
    'Campbell', 'Wilson', 'Singh', 'Brown', 'Chan', 'Leblanc', 'Fraser', 'Bergeron', 'Sandhu', 'McKenzie',
  ],
  GB: [
    'Jones', 'Evans', 'Hughes', 'Wood', 'Turner', 'Harrison', 'Walsh', 'Holmes', 'Barker', 'Fletcher', 'Pearson',
    'Kaur', 'Begum', 'Ahmed', 'Davies', 'Roberts', 'Patel', 'Murphy', 'Stewart', 'Morgan', 'Lloyd', 'Price',
    'Doyle', 'Hargreaves', 'Ashworth', 'Whitaker', 'MacLeod', 'Pritchard',
  ],
  DE: [
    'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
    'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Zimmermann', 'Krüger', 'Hartmann',
    'Yılmaz', 'Lehmann',
  ],
  FR: [
    'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon',
    'Laurent', 'Lefebvre', 'Michel', 'Fontaine', 'Rousseau', 'Girard', 'Bonnet', 'Mercier', 'Benali',
  ],
};

interface City {
  city: string;
  region: string;
  postcodes: readonly string[];
  dial: string; // US/CA area code, or a local prefix
}

const CITIES: Record<Country, readonly City[]> = {
  US: [
    { city: 'Springfield', region: 'IL', postcodes: ['62704', '62702'], dial: '217' },
    { city: 'Portland', region: 'OR', postcodes: ['97214', '97202', '97211'], dial: '503' },
    { city: 'Austin', region: 'TX', postcodes: ['78704', '78745', '78702'], dial: '512' },
    { city: 'Denver', region: 'CO', postcodes: ['80205', '80210', '80218'], dial: '303' },
    { city: 'Columbus', region: 'OH', postcodes: ['43215', '43201', '43209'], dial: '614' },
    { city: 'Raleigh', region: 'NC', postcodes: ['27601', '27608'], dial: '919' },
    { city: 'Madison', region: 'WI', postcodes: ['53703', '53705'], dial: '608' },
    { city: 'Boise', region: 'ID', postcodes: ['83702', '83706'], dial: '208' },
    { city: 'Burlington', region: 'VT', postcodes: ['05401'], dial: '802' },
    { city: 'Asheville', region: 'NC', postcodes: ['28801', '28804'], dial: '828' },
    { city: 'Sacramento', region: 'CA', postcodes: ['95814', '95818'], dial: '916' },
    { city: 'San Diego', region: 'CA', postcodes: ['92103', '92104', '92116'], dial: '619' },
    { city: 'Seattle', region: 'WA', postcodes: ['98103', '98117', '98122'], dial: '206' },
    { city: 'Minneapolis', region: 'MN', postcodes: ['55408', '55406'], dial: '612' },
    { city: 'Nashville', region: 'TN', postcodes: ['37206', '37212'], dial: '615' },
    { city: 'Pittsburgh', region: 'PA', postcodes: ['15213', '15206'], dial: '412' },
    { city: 'Tucson', region: 'AZ', postcodes: ['85719', '85705'], dial: '520' },
    { city: 'Albany', region: 'NY', postcodes: ['12203', '12208'], dial: '518' },
    { city: 'Savannah', region: 'GA', postcodes: ['31401', '31405'], dial: '912' },
    { city: 'Omaha', region: 'NE', postcodes: ['68102', '68131'], dial: '402' },
    { city: 'Ann Arbor', region: 'MI', postcodes: ['48104', '48103'], dial: '734' },
    { city: 'Charleston', region: 'SC', postcodes: ['29401', '29403'], dial: '843' },
    { city: 'Salt Lake City', region: 'UT', postcodes: ['84102', '84105'], dial: '801' },
    { city: 'Richmond', region: 'VA', postcodes: ['23220', '23221'], dial: '804' },
    { city: 'Providence', region: 'RI', postcodes: ['02903', '02906'], dial: '401' },
    { city: 'Brooklyn', region: 'NY', postcodes: ['11215', '11238', '11222'], dial: '718' },
    { city: 'Chicago', region: 'IL', postcodes: ['60614', '60647', '60657'], dial: '773' },
    { city: 'Boston', region: 'MA', postcodes: ['02118', '02130'], dial: '617' },
  ],
  CA: [
    { city: 'Toronto', region: 'ON', postcodes: ['M4C 1B5', 'M6G 2L7', 'M5T 1R9'], dial: '416' },
    { city: 'Vancouver', region: 'BC', postcodes: ['V5K 0A1', 'V6K 2G8', 'V5L 3X6'], dial: '604' },
    { city: 'Montréal', region: 'QC', postcodes: ['H2X 1Y4', 'H2T 2M1'], dial: '514' },
    { city: 'Calgary', region: 'AB', postcodes: ['T2P 1J9', 'T2S 0K3'], dial: '403' },
    { city: 'Ottawa', region: 'ON', postcodes: ['K1N 5T1', 'K1S 3W7'], dial: '613' },
    { city: 'Halifax', region: 'NS', postcodes: ['B3H 1Y6', 'B3K 4P7'], dial: '902' },
    { city: 'Winnipeg', region: 'MB', postcodes: ['R3C 0V8', 'R3L 1A2'], dial: '204' },
    { city: 'Victoria', region: 'BC', postcodes: ['V8W 1P6', 'V8V 3K4'], dial: '250' },
  ],
  GB: [
    { city: 'London', region: 'Greater London', postcodes: ['SW4 7JQ', 'N1 8QH', 'E8 3PN', 'SE15 4TR'], dial: '' },
    { city: 'Manchester', region: 'Greater Manchester', postcodes: ['M20 2RN', 'M14 5SX'], dial: '' },
    { city: 'Leeds', region: 'West Yorkshire', postcodes: ['LS6 2AB', 'LS8 1DP'], dial: '' },
    { city: 'Bristol', region: 'Bristol', postcodes: ['BS6 5BZ', 'BS3 1QX'], dial: '' },
    { city: 'Edinburgh', region: 'Scotland', postcodes: ['EH9 1QS', 'EH6 5JG'], dial: '' },
    { city: 'Cardiff', region: 'Wales', postcodes: ['CF24 4HQ', 'CF11 9DX'], dial: '' },
    { city: 'Brighton', region: 'East Sussex', postcodes: ['BN1 4GH', 'BN2 1TW'], dial: '' },
    { city: 'York', region: 'North Yorkshire', postcodes: ['YO10 3BP', 'YO31 7EG'], dial: '' },
    { city: 'Bath', region: 'Somerset', postcodes: ['BA1 2RS', 'BA2 4JT'], dial: '' },
    { city: 'Oxford', region: 'Oxfordshire', postcodes: ['OX4 1DE', 'OX2 6HL'], dial: '' },
  ],
  DE: [
    { city: 'Berlin', region: 'Berlin', postcodes: ['10115', '10437', '10999', '12047'], dial: '30' },
    { city: 'München', region: 'Bayern', postcodes: ['80331', '80469', '81667'], dial: '89' },
    { city: 'Hamburg', region: 'Hamburg', postcodes: ['20357', '22765'], dial: '40' },
    { city: 'Köln', region: 'Nordrhein-Westfalen', postcodes: ['50667', '50733'], dial: '221' },
    { city: 'Frankfurt am Main', region: 'Hessen', postcodes: ['60311', '60316'], dial: '69' },
    { city: 'Leipzig', region: 'Sachsen', postcodes: ['04109', '04275'], dial: '341' },
    { city: 'Stuttgart', region: 'Baden-Württemberg', postcodes: ['70173', '70199'], dial: '711' },
    { city: 'Freiburg im Breisgau', region: 'Baden-Württemberg', postcodes: ['79098', '79102'], dial: '761' },
  ],
  FR: [
    { city: 'Paris', region: 'Île-de-France', postcodes: ['75011', '75018', '75014'], dial: '1' },
    { city: 'Lyon', region: 'Auvergne-Rhône-Alpes', postcodes: ['69003', '69007'], dial: '4' },
    { city: 'Marseille', region: "Provence-Alpes-Côte d'Azur", postcodes: ['13006', '13001'], dial: '4' },
    { city: 'Bordeaux', region: 'Nouvelle-Aquitaine', postcodes: ['33000', '33800'], dial: '5' },
    { city: 'Lille', region: 'Hauts-de-France', postcodes: ['59000', '59800'], dial: '3' },
    { city: 'Nantes', region: 'Pays de la Loire', postcodes: ['44000', '44100'], dial: '2' },
    { city: 'Toulouse', region: 'Occitanie', postcodes: ['31000', '31400'], dial: '5' },
    { city: 'Strasbourg', region: 'Grand Est', postcodes: ['67000', '67100'], dial: '3' },
  ],
};

const US_STREETS = [
  'Elm St', 'Maple Ave', 'Oak Dr', 'Cedar Ln', 'Lakeview Rd', 'Willow Ct', 'Pine St', 'Highland Ave', 'Park Pl',
  'Ridge Rd', '2nd St', 'Washington Ave', 'Cherry Ln', 'Sycamore St', 'Hillcrest Dr', 'Main St', 'Birch Way',
  'Juniper Ct', 'Prospect Ave', 'Orchard Rd', 'Franklin St', 'Magnolia Blvd', 'Chestnut St', 'Meadow Ln',
];
const CA_STREETS = [
  'Queen St E', 'Dundas St W', 'Main St', 'Maple Cres', 'Rue Saint-Denis', 'Oak Bay Ave', 'Kensington Rd NW',
  'Spring Garden Rd', 'Bank St', 'Corydon Ave', 'Commercial Dr', 'Avenue du Parc',
];
const GB_STREETS = [
  'Mill Lane', 'Church Road', 'Victoria Street', 'Station Road', 'Kingsway', 'Albert Terrace', 'Queens Crescent',
  'High Street', 'Park Avenue', 'Orchard Close', 'Willow Grove', 'Clarence Road', 'Marlborough Place',
];
const DE_STREETS = [
  'Hauptstraße', 'Lindenallee', 'Bergmannstraße', 'Schillerstraße', 'Goethestraße', 'Kastanienallee', 'Am Markt',
  'Gartenweg', 'Rosenstraße', 'Bahnhofstraße', 'Mühlenweg', 'Friedrichstraße',
];
const FR_STREETS = [
  'rue de la République', 'avenue Jean Jaurès', 'rue Oberkampf', 'boulevard Voltaire', 'rue des Lilas',
  'rue Victor Hugo', 'place du Marché', 'rue Pasteur', 'allée des Tilleuls', 'rue du Faubourg Saint-Antoine',
];

const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ['example.com', 50],
  ['example.org', 18],
  ['example.net', 12],
  ['mail.example.net', 12],
  ['post.example.org', 8],
];

interface Product {
  sku: string;
  name: string;
  price_cents: number;
}

// Home & outdoor catalogue: SKU prefix by department.
const CATALOG: readonly Product[] = [
  // Kitchen & dining
  { sku: 'KIT-1012-BLK', name: 'Cast Iron Skillet 12"', price_cents: 4200 },
  { sku: 'KIT-1015-SGE', name: 'Enamelled Dutch Oven 5.5 qt – Sage', price_cents: 12900 },
  { sku: 'KIT-1021', name: 'Bamboo Cutting Board Set (3 pc)', price_cents: 3400 },
  { sku: 'KIT-1033-MAT', name: 'Gooseneck Pour-Over Kettle – Matte Black', price_cents: 5900 },
  { sku: 'KIT-1040-WHT', name: 'Stoneware Dinner Plates (Set of 4) – Chalk', price_cents: 4800 },
  { sku: 'KIT-1046-OAT', name: 'Linen Napkins (Set of 6) – Oat', price_cents: 3600 },
  { sku: 'KIT-1052', name: 'Glass Food Storage Containers (10 pc)', price_cents: 3900 },
  { sku: 'KIT-1058', name: 'Chef Knife 8" Damascus', price_cents: 8900 },
  { sku: 'KIT-1063-TEA', name: 'Ceramic Mixing Bowls (Set of 3) – Teal', price_cents: 4400 },
  { sku: 'KIT-1071', name: 'Stainless Steel Cookware Set (10 pc)', price_cents: 32900 },
  { sku: 'KIT-1077', name: 'Walnut Serving Board', price_cents: 6200 },
  { sku: 'KIT-1084', name: 'French Press 34 oz', price_cents: 2900 },
  // Bedding & bath
  { sku: 'BED-2004-WHT-Q', name: 'Percale Sheet Set Queen – White', price_cents: 11900 },
  { sku: 'BED-2004-SLT-K', name: 'Percale Sheet Set King – Slate', price_cents: 13900 },
  { sku: 'BED-2011-K', name: 'Down Alternative Duvet King', price_cents: 16900 },
  { sku: 'BED-2018-CHR', name: 'Merino Wool Throw – Charcoal', price_cents: 8900 },
  { sku: 'BED-2025', name: 'Weighted Blanket 15 lb', price_cents: 14900 },
  { sku: 'BTH-2032-SND', name: 'Waffle Bath Towels (Set of 4) – Sand', price_cents: 5600 },
  { sku: 'BTH-2039', name: 'Teak Shower Bench', price_cents: 9800 },
  { sku: 'BED-2046-Q', name: 'Memory Foam Pillow (2-pack)', price_cents: 7900 },
  // Home decor, lighting & storage
  { sku: 'DEC-3003', name: 'Jute Area Rug 5x8', price_cents: 18900 },
  { sku: 'DEC-3008', name: 'Hand-Woven Wool Rug 8x10 – Ivory', price_cents: 54900 },
  { sku: 'LGT-3015-TRR', name: 'Ceramic Table Lamp – Terracotta', price_cents: 8900 },
  { sku: 'LGT-3022', name: 'Rattan Pendant Light 18"', price_cents: 12400 },
  { sku: 'LGT-3027-BRS', name: 'Arc Floor Lamp – Brass', price_cents: 21900 },
  { sku: 'STO-3031', name: 'Woven Seagrass Baskets (Set of 3)', price_cents: 6900 },
  { sku: 'STO-3036', name: 'Oak Entryway Bench with Storage', price_cents: 27900 },
  { sku: 'DEC-3042', name: 'Coir Doormat "Hello"', price_cents: 2400 },
  { sku: 'DEC-3048', name: 'Round Wall Mirror 30" – Black', price_cents: 14900 },
  { sku: 'DEC-3055-SGE', name: 'Linen Throw Pillow Cover 20" – Sage', price_cents: 2800 },
  { sku: 'DEC-3061', name: 'Soy Candle Trio – Cedar & Fig', price_cents: 3800 },
  { sku: 'HOM-3070', name: 'HEPA Air Purifier (500 sq ft)', price_cents: 23900 },
  // Patio & outdoor living
  { sku: 'PAT-4002-TEK', name: 'Teak Folding Bistro Set (3 pc)', price_cents: 38900 },
  { sku: 'PAT-4009-NAT', name: 'Acacia Adirondack Chair', price_cents: 19900 },
  { sku: 'PAT-4015', name: 'Outdoor String Lights 48 ft', price_cents: 4900 },
  { sku: 'PAT-4021', name: 'Steel Fire Pit 30"', price_cents: 17900 },
  { sku: 'PAT-4028', name: 'Propane Patio Heater', price_cents: 26900 },
  { sku: 'PAT-4034-GRY', name: 'Cast Aluminum Dining Table 72" – Graphite', price_cents: 64900 },
  { sku: 'PAT-4040-NVY', name: 'Cotton Rope Hammock with Stand – Navy', price_cents: 22900 },
  { sku: 'PAT-4047', name: 'Offset Patio Umbrella 10 ft', price_cents: 21400 },
  { sku: 'PAT-4053', name: 'Outdoor Cushion Set (4) – Spa Blue', price_cents: 11900 },
  { sku: 'GRL-4060', name: 'Kamado Ceramic Grill 18"', price_cents: 64900 },
  { sku: 'GRL-4066', name: '3-Burner Gas Grill', price_cents: 44900 },
  { sku: 'GRL-4071', name: 'Heavy-Duty Grill Cover 60"', price_cents: 3900 },
  { sku: 'GRL-4075', name: 'Grilling Tool Set (5 pc)', price_cents: 4600 },
  // Garden
  { sku: 'GDN-5004', name: 'Cedar Raised Garden Bed 4x8', price_cents: 15900 },
  { sku: 'GDN-5011', name: 'Expandable Garden Hose 50 ft', price_cents: 3900 },
  { sku: 'GDN-5016-CU', name: 'Copper-Roof Bird Feeder', price_cents: 4200 },
  { sku: 'GDN-5022', name: 'Rain Barrel 50 gal', price_cents: 11400 },
  { sku: 'GDN-5029', name: 'Bypass Pruning Shears', price_cents: 2600 },
  { sku: 'GDN-5033', name: 'Solar Path Lights (8-pack)', price_cents: 4500 },
  { sku: 'GDN-5040', name: 'Cordless Leaf Blower 40V', price_cents: 17900 },
  { sku: 'GDN-5046', name: 'Terracotta Planter Set (3)', price_cents: 5400 },
  { sku: 'GDN-5051', name: 'Smart Sprinkler Controller', price_cents: 14900 },
  { sku: 'GDN-5057', name: 'Galvanized Watering Can 2 gal', price_cents: 3200 },
  { sku: 'GDN-5062', name: 'Compost Tumbler 37 gal', price_cents: 12900 },
  // Camping
  { sku: 'CMP-6003-GRN', name: '2-Person Backpacking Tent – Moss', price_cents: 21900 },
  { sku: 'CMP-6008-OLV', name: 'Insulated Camp Tumbler 20 oz – Olive', price_cents: 2900 },
  { sku: 'CMP-6014', name: 'Down Sleeping Bag 20°F', price_cents: 24900 },
  { sku: 'CMP-6019', name: 'Two-Burner Camp Stove', price_cents: 13900 },
  { sku: 'CMP-6025', name: 'Rotomolded Cooler 45 qt', price_cents: 27900 },
  { sku: 'CMP-6031', name: 'LED Camp Lantern', price_cents: 3400 },
  { sku: 'CMP-6036', name: 'Folding Camp Chair (2-pack)', price_cents: 8900 },
  { sku: 'CMP-6042', name: '6-Person Cabin Tent', price_cents: 42900 },
];

const CARRIERS_BY_COUNTRY: Record<Country, readonly (readonly [string, number])[]> = {
  US: [
    ['UPS', 40],
    ['FedEx', 25],
    ['USPS', 35],
  ],
  CA: [
    ['UPS', 60],
    ['FedEx', 40],
  ],
  GB: [
    ['Royal Mail', 70],
    ['DHL', 30],
  ],
  DE: [
    ['DHL', 80],
    ['UPS', 20],
  ],
  FR: [
    ['DHL', 60],
    ['UPS', 40],
  ],
};

// Where parcels leave from, and the hubs they pass through.
const ORIGIN: Record<Country, readonly string[]> = {
  US: ['Reno, NV, US', 'Columbus, OH, US'],
  CA: ['Columbus, OH, US'],
  GB: ['Daventry, GB'],
  DE: ['Venlo, NL'],
  FR: ['Venlo, NL'],
};

// Sorting hubs by destination country and carrier.
const HUBS: Record<Country, Record<string, readonly string[]>> = {
  US: {
    UPS: ['Louisville, KY, US', 'Hodgkins, IL, US', 'Ontario, CA, US', 'Dallas, TX, US'],
    FedEx: ['Memphis, TN, US', 'Indianapolis, IN, US', 'Oakland, CA, US'],
    USPS: ['Chicago, IL, US', 'Denver, CO, US', 'Atlanta, GA, US', 'Jersey City, NJ, US'],
  },
  // Cross-border from Ohio: the US hub, then the Canadian gateway (in this order).
  CA: {
    UPS: ['Louisville, KY, US', 'Mississauga, ON, CA'],
    FedEx: ['Memphis, TN, US', 'Mississauga, ON, CA'],
  },
  GB: {
    'Royal Mail': ['Warrington Mail Centre, GB', 'Princess Royal DC, London, GB', 'Bristol Mail Centre, GB'],
    DHL: ['East Midlands, GB', 'Coventry, GB'],
  },
  DE: {
    DHL: ['Leipzig, DE', 'Cologne, DE', 'Hanover, DE'],
    UPS: ['Cologne, DE', 'Neuss, DE'],
  },
  FR: {
    DHL: ['Leipzig, DE', 'Roissy-CDG, FR'],
    UPS: ['Cologne, DE', 'Paris-Nord, FR'],
  },
};

const AGENTS = [
  { username: 'maya.ortiz', display_name: 'Maya Ortiz', email: 'maya.ortiz@support.example.com' },
  { username: 'sam.keller', display_name: 'Sam Keller', email: 'sam.keller@support.example.com' },
  { username: 'priya.raman', display_name: 'Priya Raman', email: 'priya.raman@support.example.com' },
] as const;

const PLANS = [
  { plan: 'Plus monthly', tier: 'plus', price_cents: 999, interval: 'month' },
  { plan: 'Plus yearly', tier: 'plus', price_cents: 9900, interval: 'year' },
  { plan: 'Gold monthly', tier: 'gold', price_cents: 1999, interval: 'month' },
  { plan: 'Gold yearly', tier: 'gold', price_cents: 19900, interval: 'year' },
] as const;

// Cheap things sell more often than patio sets.
const CATALOG_WEIGHTS = CATALOG.map((p) => [p, 1 / Math.sqrt(p.price_cents / 100) - 0.03] as const);

// ---------------------------------------------------------------------------------------------------------
// Builders

function asciiFold(s: string): string {
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

function makeAddress(rng: Rng, country: Country): { address: Address; dial: string } {
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

function makePhone(rng: Rng, country: Country, dial: string): string {
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
function planRoute(rng: Rng, placedMs: number, dest: Address): Route {
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

function delivered(r: Route): Shipment {
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: iso(r.deliveredMs), events: r.events };
}

/** In transit: the scans that have happened by now, never the delivery. */
function inTransit(r: Route): Shipment {
  const events = r.events.filter((e) => e.status !== 'delivered' && Date.parse(e.at) <= PRESENT_MS);
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: null, events };
}

/** Should have arrived, but the last hub reported a problem and nothing moved since. */
function stuck(rng: Rng, r: Route): Shipment {
  const events = r.events.filter((e) => e.status === 'label_created' || e.status === 'in_transit');
  const last = events[events.length - 1] as ShipmentEvent;
  const at = minute(Date.parse(last.at) + rng.int(8, 30) * HOUR);
  events.push({ at: iso(Math.min(at, PRESENT_MS - HOUR)), status: 'exception', location: last.location });
  return { carrier: r.carrier, tracking_number: r.tracking_number, shipped_at: iso(r.labelMs), delivered_at: null, events };
}

const NOTE_TEXTS: readonly ((ctx: { order?: string; credit: number }) => string)[] = [
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

// ---------------------------------------------------------------------------------------------------------
// The dataset

export function build(seed: number = SEED): Dataset {
  const rng = new Rng(seed);

  // Customers ------------------------------------------------------------------------------------------
  const NUM_CUSTOMERS = 300;
  const usedEmails = new Set<string>();
  const customers: Customer[] = [];
  for (let i = 1; i <= NUM_CUSTOMERS; i++) {
    const country = rng.weighted<Country>([
      ['US', 55],
      ['GB', 15],
      ['CA', 12],
      ['DE', 10],
      ['FR', 8],
    ]);
    const first = rng.pick(FIRST_NAMES[country]);
    const last = rng.pick(LAST_NAMES[country]);
    const f = asciiFold(first).toLowerCase();
    const l = asciiFold(last).toLowerCase();
    const domain = rng.weighted(EMAIL_DOMAINS);
    const style = rng.weighted<string>([
      ['first.last', 70],
      ['firstlast', 10],
      ['f.last', 10],
      ['first_last', 5],
      ['last.first', 5],
    ]);
    let local = style === 'firstlast' ? `${f}${l}` : style === 'f.last' ? `${f[0]}.${l}` : style === 'first_last' ? `${f}_${l}` : style === 'last.first' ? `${l}.${f}` : `${f}.${l}`;
    let email = `${local}@${domain}`;
    if (usedEmails.has(email)) {
      local = `${local}${rng.int(2, 99)}`;
      email = `${local}@${domain}`;
    }
    while (usedEmails.has(email)) email = `${local}${rng.int(100, 999)}@${domain}`;
    usedEmails.add(email);
    const { address, dial } = makeAddress(rng, country);
    customers.push({
      id: `cus_${String(i).padStart(4, '0')}`,
      name: `${first} ${last}`,
      email,
      phone: makePhone(rng, country, dial),
      address,
      created_at: '', // set below, once we know the first order
      tier: 'standard', // set below, from the subscription
    });
  }

  // Orders ---------------------------------------------------------------------------------------------
  const NUM_ORDERS = 1000;
  // Each customer's appetite: a few buy often, most buy once or twice.
  const weights = customers.map(() => {
    const r = rng.float();
    return r < 0.1 ? 0 : r < 0.6 ? 1 : r < 0.9 ? 2.5 : 6;
  });
  const weightedCustomers = customers.map((c, i) => [c, weights[i] as number] as const);
  // More orders closer to the present (the run-up to the holidays).
  const ages = Array.from({ length: NUM_ORDERS }, () => 120 * DAY * Math.pow(rng.float(), 1.6));
  ages.sort((a, b) => b - a);
  let nextId = 100000 + rng.int(150, 400);
  const orders: Order[] = [];
  const charges: Charge[] = [];
  for (const age of ages) {
    const placedMs = minute(PRESENT_MS - age);
    const customer = rng.weighted(weightedCustomers);
    const nItems = rng.weighted([
      [1, 55],
      [2, 28],
      [3, 12],
      [4, 5],
    ] as const);
    let items: OrderItem[] = [];
    let total = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      const chosen = new Set<Product>();
      while (chosen.size < nItems) chosen.add(rng.weighted(CATALOG_WEIGHTS));
      items = [...chosen].map((p) => ({
        sku: p.sku,
        name: p.name,
        qty: p.price_cents < 6000 && rng.chance(0.25) ? rng.int(2, 4) : 1,
        unit_price_cents: p.price_cents,
      }));
      total = items.reduce((s, it) => s + it.qty * it.unit_price_cents, 0);
      if (total >= 800 && total <= 90000) break;
    }
    if (total < 800 || total > 90000) throw new Error('could not draw an order within $8–$900');

    const ageDays = (PRESENT_MS - placedMs) / DAY;
    const shipping_address = rng.chance(0.07) ? makeAddress(rng, customer.address.country).address : customer.address;
    const route = planRoute(rng, placedMs, shipping_address);
    let status: OrderStatus;
    let shipment: Shipment | null = null;
    if (rng.chance(ageDays < 1.5 ? 0.08 : 0.045)) {
      status = 'cancelled'; // cancelled before payment was captured
    } else if (route.labelMs > PRESENT_MS - HOUR || (ageDays > 2 && ageDays < 7 && rng.chance(0.1))) {
      status = 'processing'; // not shipped yet (or waiting on back-ordered stock)
    } else if (route.deliveredMs <= PRESENT_MS && ageDays > 4 && ageDays < 21 && rng.chance(0.05)) {
      status = 'shipped'; // lost in the network
      shipment = stuck(rng, route);
    } else if (route.deliveredMs <= PRESENT_MS) {
      status = 'delivered';
      shipment = delivered(route);
    } else {
      status = 'shipped';
      shipment = inTransit(route);
    }

    const id = String(nextId);
    nextId += rng.int(1, 12);
    let charge_id: string | null = null;
    // Cancelled orders were cancelled before payment was captured: no charge.
    if (status !== 'cancelled') {
      charge_id = `ch_3N${rng.chars(22, BASE62)}`;
      charges.push({
        id: charge_id,
        object: 'charge',
        amount: total,
        amount_refunded: 0,
        currency: 'usd',
        created: Math.floor(placedMs / 1000) + rng.int(2, 40),
        customer_email: customer.email,
        metadata: { order_id: id },
        paid: true,
        refunded: false,
        status: 'succeeded',
      });
    }
    orders.push({
      id,
      customer_id: customer.id,
      customer_email: customer.email,
      placed_at: iso(placedMs),
      currency: 'USD',
      items,
      total_cents: total,
      status,
      shipping_address,
      shipment,
      charge_id,
    });
  }
  if (nextId > 109999) throw new Error('order ids ran past 109999');

  // Customer since: before their first order (or a while ago, for those who never ordered).
  const firstOrder = new Map<string, number>();
  for (const o of orders) if (!firstOrder.has(o.customer_id)) firstOrder.set(o.customer_id, Date.parse(o.placed_at));
  const EARLIEST = Date.UTC(2021, 2, 1);
  for (const c of customers) {
    const latest = (firstOrder.get(c.id) ?? PRESENT_MS - 5 * DAY) - HOUR;
    const recent = rng.chance(0.15);
    const from = recent ? Math.max(EARLIEST, latest - 20 * DAY) : EARLIEST;
    c.created_at = iso(minute(from + rng.float() * (latest - from)));
  }

  // Billing: about a third subscribe ---------------------------------------------------------------
  const subscriptions: Subscription[] = [];
  const invoices: Invoice[] = [];
  for (const c of customers) {
    if (!rng.chance(0.34)) continue;
    const p = rng.weighted<(typeof PLANS)[number]>([
      [PLANS[0], 45],
      [PLANS[1], 25],
      [PLANS[2], 18],
      [PLANS[3], 12],
    ]);
    const status = rng.weighted<Subscription['status']>([['active', 84], ['cancelled', 9], ['past_due', 7]]);
    const createdMs = Date.parse(c.created_at);
    const maxBackDays = p.interval === 'month' ? 420 : 900;
    const earliest = Math.max(createdMs, PRESENT_MS - maxBackDays * DAY);
    let startMs = minute(earliest + rng.float() * (PRESENT_MS - 40 * DAY - earliest));
    if (startMs < createdMs) startMs = createdMs + DAY;
    const s = new Date(startMs);
    if (s.getUTCDate() > 28) startMs = Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), 28, s.getUTCHours(), s.getUTCMinutes());
    const step = (k: number): number => {
      const d = new Date(startMs);
      const months = p.interval === 'month' ? k : 12 * k;
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
    };
    let periods = 0;
    while (step(periods + 1) <= PRESENT_MS) periods++;
    // periods = completed periods; the current one is index `periods`.
    let cancelledMs: number | null = null;
    let lastInvoice = periods; // index of the last period billed
    if (status === 'cancelled') {
      const cancelPeriod = rng.int(Math.max(0, periods - 6), periods);
      cancelledMs = minute(step(cancelPeriod) + rng.float() * (Math.min(step(cancelPeriod + 1), PRESENT_MS - DAY) - step(cancelPeriod)));
      if (cancelledMs < startMs) cancelledMs = startMs + HOUR;
      lastInvoice = cancelPeriod;
    }
    const sub: Subscription = {
      id: `sub_1N${rng.chars(22, BASE62)}`,
      customer_id: c.id,
      email: c.email,
      plan: p.plan,
      status,
      price_cents: p.price_cents,
      interval: p.interval,
      started_at: iso(startMs),
      cancelled_at: cancelledMs === null ? null : iso(cancelledMs),
      current_period_end: iso(step(lastInvoice + 1)),
    };
    subscriptions.push(sub);
    for (let k = 0; k <= lastInvoice; k++) {
      const open = status === 'past_due' && k === lastInvoice;
      invoices.push({
        id: `in_1N${rng.chars(22, BASE62)}`,
        subscription_id: sub.id,
        customer_id: c.id,
        amount_cents: p.price_cents,
        currency: 'usd',
        status: open ? 'open' : 'paid',
        issued_at: iso(step(k)),
      });
    }
    if (status !== 'cancelled') c.tier = p.tier;
  }
  invoices.sort((a, b) => (a.issued_at < b.issued_at ? -1 : a.issued_at > b.issued_at ? 1 : a.id < b.id ? -1 : 1));

  // CRM ------------------------------------------------------------------------------------------------
  const ordersByCustomer = new Map<string, Order[]>();
  for (const o of orders) ordersByCustomer.set(o.customer_id, [...(ordersByCustomer.get(o.customer_id) ?? []), o]);
  let noteSeq = 0;
  const crm: Crm = {
    users: AGENTS.map((a) => ({ username: a.username, display_name: a.display_name })),
    customers: customers.map((c) => {
      const credit = rng.chance(0.12) ? rng.pick([500, 1000, 1000, 1500, 2000, 2500, 5000]) : 0;
      const notes: CrmNote[] = [];
      const nNotes = rng.weighted([[0, 72], [1, 20], [2, 8]] as const);
      const mine = ordersByCustomer.get(c.id) ?? [];
      const createdMs = Date.parse(c.created_at);
      for (let k = 0; k < nNotes; k++) {
        const order = mine.length > 0 ? rng.pick(mine) : undefined;
        const text = rng.pick(NOTE_TEXTS)({ order: order?.id, credit });
        const from = order ? Date.parse(order.placed_at) : createdMs;
        noteSeq++;
        notes.push({ id: `note_${String(noteSeq).padStart(4, '0')}`, at: iso(minute(from + rng.float() * (PRESENT_MS - DAY - from))), author: rng.pick(AGENTS).username, text });
      }
      notes.sort((a, b) => (a.at < b.at ? -1 : 1));
      return { id: c.id, name: c.name, email: c.email, phone: c.phone, tier: c.tier, store_credit_cents: credit, notes };
    }),
  };

  // Helpdesk users: agents 1–3, end-users 1001+ (cus_0001 is 1001) -----------------------------------
  const helpdesk: Helpdesk = {
    users: [
      ...AGENTS.map((a, i) => ({ id: i + 1, name: a.display_name, email: a.email, role: 'agent' as const })),
      ...customers.map((c, i) => ({ id: 1001 + i, name: c.name, email: c.email, role: 'end-user' as const })),
    ],
    tickets: [],
  };

  // Logistics ------------------------------------------------------------------------------------------
  const logistics: Logistics = {
    shipments: orders.flatMap((o) => {
      if (!o.shipment) return [];
      const last = o.shipment.events[o.shipment.events.length - 1] as ShipmentEvent;
      return [{ order_id: o.id, carrier: o.shipment.carrier, tracking_number: o.shipment.tracking_number, status: last.status, events: o.shipment.events }];
    }),
    labels: [],
  };

  return { customers, orders, charges, crm, billing: { subscriptions, invoices }, helpdesk, logistics };
}

// ---------------------------------------------------------------------------------------------------------
// Output: one record per line, so the files stay small and diff well.

function serialize(value: unknown): string {
  const list = (items: unknown[]): string => (items.length === 0 ? '[]' : `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]`);
  if (Array.isArray(value)) return `${list(value)}\n`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${JSON.stringify(k)}: ${Array.isArray(v) ? list(v) : JSON.stringify(v)}`,
  );
  return `{\n${entries.join(',\n')}\n}\n`;
}

export function render(data: Dataset): Record<(typeof FILES)[number], string> {
  return {
    'customers.json': serialize(data.customers),
    'orders.json': serialize(data.orders),
    'charges.json': serialize(data.charges),
    'crm.json': serialize(data.crm),
    'billing.json': serialize(data.billing),
    'helpdesk.json': serialize(data.helpdesk),
    'logistics.json': serialize(data.logistics),
  };
}

/** Writes the seed files into outDir (created if missing) and returns the paths written. */
export function generate(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files = render(build());
  return FILES.map((name) => {
    const path = join(outDir, name);
    writeFileSync(path, files[name]);
    return path;
  });
}

export const DATA_DIR = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of generate(DATA_DIR)) console.log(`wrote ${path}`);
}
