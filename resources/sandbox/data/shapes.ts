// The demo world's records, exactly as the sandbox systems serve them (contract: resources/sandbox/DATA.md).

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
