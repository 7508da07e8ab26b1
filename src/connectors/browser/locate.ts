// Turns a step's target (role + name, label, text, placeholder, selector) into a Playwright locator, and says it in words.
import type { Locator, Page } from 'playwright-core';

export interface Target {
  role?: string;
  name?: string;
  label?: string;
  text?: string;
  placeholder?: string;
  selector?: string;
}

type AriaRole = Parameters<Page['getByRole']>[0];

export function locate(page: Page, t: Target): Locator {
  // Robust locators first: what a person sees (role and name, label, text), a CSS selector only when given.
  if (t.role) return page.getByRole(t.role as AriaRole, t.name ? { name: t.name, exact: true } : {});
  if (t.label) return page.getByLabel(t.label, { exact: true });
  if (t.placeholder) return page.getByPlaceholder(t.placeholder, { exact: true });
  if (t.text) return page.getByText(t.text, { exact: false });
  if (t.selector) return page.locator(t.selector);
  throw new Error('a target needs a role, label, placeholder, text or selector');
}

export function describeTarget(t: Target): string {
  if (t.role) return `the ${t.role}${t.name ? ` “${t.name}”` : ''}`;
  if (t.label) return `the field labelled “${t.label}”`;
  if (t.placeholder) return `the field with placeholder “${t.placeholder}”`;
  if (t.text) return `the text “${t.text}”`;
  return `the element ${t.selector ?? '?'}`;
}
