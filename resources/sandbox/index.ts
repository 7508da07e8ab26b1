// The demo operation: six back-office systems of an online retailer, plus a second helpdesk (Casebook), started in-process on 127.0.0.1 (free ports).
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createBilling } from './billing.ts';
import { createCasebook } from './casebook.ts';
import { createCrm } from './crm.ts';
import { createHelpdesk } from './helpdesk.ts';
import { serve, stopServer, type Audit, type AuditEntry, type Router } from './kit.ts';
import { createLogistics } from './logistics.ts';
import { createOrders } from './orders.ts';
import { createPayments } from './payments.ts';

export type { AuditEntry } from './kit.ts';

export type SystemName = 'helpdesk' | 'orders' | 'payments' | 'crm' | 'logistics' | 'billing' | 'casebook';

export interface SandboxSystem {
  name: SystemName;
  title: string;
  /** Where Tandem's connector points: the root, plus the API prefix for the helpdesk. */
  baseUrl: string;
  /** The web root, to open in a browser. */
  url: string;
  credentials: Record<string, string>;
  kind: 'api' | 'web';
}

export interface Sandbox {
  systems: Record<SystemName, SandboxSystem>;
  audit(system?: SystemName): AuditEntry[];
  stop(): Promise<void>;
}

export interface SandboxOptions {
  dataDir?: string;
  ticketsDir?: string;
  host?: string;
  slowMs?: number;
  sessionExpiryEvery?: number;
  rateLimit?: { max: number; perMs: number };
  /** Ticket splits (train, test, hostile) the helpdesk seeds as already solved: the history a workspace learns from. */
  solvedSplits?: readonly string[];
  /** Every CRM account asks for a one-time code after its password (sam.okafor always does). */
  crmTwoFactor?: boolean;
}

const HERE = import.meta.dirname;

interface SystemDef {
  name: SystemName;
  title: string;
  kind: 'api' | 'web';
  router: Router;
  audit: Audit;
  credentials: Record<string, string>;
  basePath: string;
  close?: () => void;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const dataDir = opts.dataDir ?? join(HERE, 'data');
  const ticketsDir = opts.ticketsDir ?? join(HERE, '..', 'demo-workspace', 'tickets');
  const defs: SystemDef[] = [
    createHelpdesk({ dataDir, ticketsDir, ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}), ...(opts.solvedSplits ? { solvedSplits: opts.solvedSplits } : {}) }),
    createOrders({ dataDir }),
    createPayments({ dataDir }),
    createCrm({ dataDir, ...(opts.crmTwoFactor ? { twoFactor: true } : {}) }),
    createLogistics({ dataDir, ...(opts.slowMs !== undefined ? { slowMs: opts.slowMs } : {}), ...(opts.sessionExpiryEvery !== undefined ? { sessionExpiryEvery: opts.sessionExpiryEvery } : {}) }),
    createBilling({ dataDir }),
    // Casebook keeps its own cases (from the demo's training tickets) whatever workspace started the sandbox.
    createCasebook({ ticketsDir: join(HERE, '..', 'demo-workspace', 'tickets'), ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}) }),
  ];
  const servers: Server[] = [];
  const systems = {} as Record<SystemName, SandboxSystem>;
  try {
    for (const d of defs) {
      const { server, baseUrl } = await serve(d.router, d.audit, opts.host);
      servers.push(server);
      systems[d.name] = { name: d.name, title: d.title, baseUrl: baseUrl + d.basePath, url: baseUrl, credentials: { ...d.credentials }, kind: d.kind };
    }
  } catch (err) {
    await Promise.all(servers.map(stopServer));
    for (const d of defs) d.close?.();
    throw err;
  }
  return {
    systems,
    audit(system) {
      return defs.filter((d) => !system || d.name === system).flatMap((d) => d.audit.entries);
    },
    async stop() {
      await Promise.all(servers.map(stopServer));
      for (const d of defs) d.close?.();
    },
  };
}
