import { Decimal } from 'decimal.js';
import { settle, type PriorUsage, type SettlementClaim } from '../src/settlement/engine.js';
import { DEFAULT_POLICY, deductions } from '../src/settlement/engine.fixtures.js';

// The pure engine over a million pre-parsed claims, against the same arithmetic as a bare
// decimal.js loop (remainder, monthly and annual figures, cap, subsidy).

const COUNT = 1_000_000;

function claims(count: number): { claim: SettlementClaim; usage: PriorUsage }[] {
  const grossPool = Array.from({ length: 1000 }, (_, index) => new Decimal(1000 + index * 37).dividedBy(10).times(10).plus('0.25'));
  const usedPool = Array.from({ length: 100 }, (_, index) => new Decimal(index * 170));
  const noDeductions = deductions();
  const someDeductions = deductions({ basicMedicalInsurance: '300.00', medicalAid: '100.50' });
  return Array.from({ length: count }, (_, index) => {
    const from = 1 + (index % 12);
    const to = Math.min(12, from + (index % 4));
    return {
      claim: {
        service: 'training',
        deviceKind: null,
        periodFrom: `2025-${String(from).padStart(2, '0')}`,
        periodTo: `2025-${String(to).padStart(2, '0')}`,
        serviceDate: null,
        grossCost: grossPool[index % grossPool.length]!,
        deductions: index % 3 === 0 ? someDeductions : noDeductions,
        freeIssued: false,
      },
      usage: { approvedThisYear: usedPool[index % usedPool.length]!, approvedEver: usedPool[index % usedPool.length]! },
    };
  });
}

export function engineBench(count = COUNT) {
  const input = claims(count);
  const child = { category: 'hearing' as const, birthDate: '2021-06-01' };
  const monthly = new Decimal('1700.00');
  const annual = new Decimal('17000.00');
  const zero = new Decimal(0);
  return {
    count,
    engineRun(): number {
      const started = performance.now();
      let total = zero;
      for (const { claim, usage } of input) {
        const result = settle(claim, child, DEFAULT_POLICY, usage);
        if (result.ok) total = total.plus(result.breakdown.subsidy);
      }
      const seconds = (performance.now() - started) / 1000;
      if (total.isZero()) throw new Error('the engine settled nothing');
      return COUNT / seconds;
    },
    baselineRun(): number {
      const started = performance.now();
      let total = zero;
      for (const { claim, usage } of input) {
        const d = claim.deductions;
        const remainder = claim.grossCost.minus(d.basicMedicalInsurance).minus(d.criticalIllnessInsurance).minus(d.supplementaryCriticalIllnessInsurance).minus(d.medicalAid);
        const months = Number(claim.periodTo!.slice(5)) - Number(claim.periodFrom!.slice(5)) + 1;
        const cap = Decimal.min(monthly.times(months), Decimal.max(zero, annual.minus(usage.approvedThisYear)));
        total = total.plus(Decimal.min(remainder, cap));
      }
      const seconds = (performance.now() - started) / 1000;
      if (total.isZero()) throw new Error('the loop added nothing');
      return COUNT / seconds;
    },
  };
}
