import { Decimal } from 'decimal.js';
import type { Category, DeviceKind, Service } from '../domain/vocabulary.js';
import type { PolicyRule, PolicyVersion } from '../policies/policy.js';
import { DEDUCTION_ORDER, type Deductions, type SettlementClaim } from './engine.js';

// The rate table of domain.md, written out for the engine's tests. (test/policies.test.ts checks
// that the seeded default policy in the database says the same.)

const rule = (
  service: Service,
  categories: Category[] | null,
  limits: { annual?: string; monthly?: string; once?: string },
  maxAge: number | null,
  deviceKind: DeviceKind | null = null,
): PolicyRule => ({
  service,
  deviceKind,
  categories,
  annualLimit: limits.annual ? new Decimal(limits.annual) : null,
  monthlyLimit: limits.monthly ? new Decimal(limits.monthly) : null,
  oncePerChildLimit: limits.once ? new Decimal(limits.once) : null,
  maxAge,
});

export const DEFAULT_POLICY: PolicyVersion = {
  id: '00000000-0000-7000-8000-000000000001',
  name: 'default',
  effectiveFrom: '2000-01-01',
  regionCode: null,
  rules: [
    rule('training', ['vision'], { annual: '1000.00', monthly: '1700.00' }, 14),
    rule('training', ['hearing', 'speech', 'intellectual', 'autism'], { annual: '17000.00', monthly: '1700.00' }, 14),
    rule('training', ['limb'], { annual: '17000.00', monthly: '1700.00' }, 7),
    rule('early_intervention', ['vision', 'hearing', 'speech', 'intellectual', 'autism'], { annual: '24000.00', monthly: '2400.00' }, 14),
    rule('early_intervention', ['limb'], { annual: '24000.00', monthly: '2400.00' }, 7),
    rule('cochlear_implant', ['hearing'], { once: '12000.00' }, 6),
    rule('limb_surgery', ['limb'], { once: '17200.00' }, 17),
    rule('device', ['hearing', 'speech'], { annual: '4800.00' }, 14, 'hearing_aid'),
    rule('device', ['limb'], { annual: '5000.00' }, 7, 'prosthesis_orthosis'),
    rule('device', null, { annual: '1500.00' }, null, 'mobility_aid'),
  ],
};

export function deductions(values: Partial<Record<keyof Deductions, string>> = {}): Deductions {
  return Object.fromEntries(DEDUCTION_ORDER.map((name) => [name, new Decimal(values[name] ?? '0')])) as Deductions;
}

export function monthlyClaim(service: 'training' | 'early_intervention', periodFrom: string, periodTo: string, gross: string, deducted: Partial<Record<keyof Deductions, string>> = {}): SettlementClaim {
  return { service, deviceKind: null, periodFrom, periodTo, serviceDate: null, grossCost: new Decimal(gross), deductions: deductions(deducted), freeIssued: false };
}

export function eventClaim(service: Service, serviceDate: string, gross: string, deducted: Partial<Record<keyof Deductions, string>> = {}, deviceKind: DeviceKind | null = null, freeIssued = false): SettlementClaim {
  return { service, deviceKind, periodFrom: null, periodTo: null, serviceDate, grossCost: new Decimal(gross), deductions: deductions(deducted), freeIssued };
}

export const NO_USAGE = { approvedThisYear: new Decimal(0), approvedEver: new Decimal(0) };
