import { Decimal } from 'decimal.js';

/** How much children were approved for, by service, device kind and year, summed as usageOf sums it. */
export class UsageLedger {
  private readonly byChild = new Map<string, { service: string; deviceKind: string | null; year: number; amount: Decimal }[]>();

  constructor(rows: { childId: string; service: string; deviceKind: string | null; year: number; amount: string }[]) {
    for (const row of rows) this.add(row.childId, row.service, row.deviceKind, row.year, new Decimal(row.amount));
  }

  add(childId: string, service: string, deviceKind: string | null, year: number, amount: Decimal) {
    const entries = this.byChild.get(childId) ?? [];
    this.byChild.set(childId, entries);
    const entry = entries.find((item) => item.service === service && item.deviceKind === deviceKind && item.year === year);
    if (entry) entry.amount = entry.amount.plus(amount);
    else entries.push({ service, deviceKind, year, amount });
  }

  of(childId: string, service: string, deviceKind: string | null, year: number): { thisYear: Decimal; ever: Decimal } {
    let thisYear = new Decimal(0);
    let ever = new Decimal(0);
    for (const entry of this.byChild.get(childId) ?? []) {
      if (entry.service !== service || entry.deviceKind !== deviceKind) continue;
      ever = ever.plus(entry.amount);
      if (entry.year === year) thisYear = thisYear.plus(entry.amount);
    }
    return { thisYear, ever };
  }
}
