import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { withTestWorld } from './support/lifecycle.js';
import type { TestApp } from './support/testApp.js';
import { registerChild, type World } from './support/world.js';

// Every spreadsheet the service writes holds data, not formulas (allowance.md, Corrections and
// edges; OWASP CSV injection): a cell that begins with =, +, -, @, a tab or a carriage return is
// written with a leading '. The writers share one place (src/http/spreadsheetWriter.ts); these
// pin it on the claims export, the batch sheets and the reconciliation sheet.

let test: TestApp;
let world: World;
withTestWorld((made) => ({ test, world } = made));

async function sheetValues(bytes: Buffer, sheetIndex = 0): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const values: unknown[] = [];
  workbook.worksheets[sheetIndex]!.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
  return values;
}

const startsAFormula = (value: unknown) => typeof value === 'string' && /^[=+\-@\t\r]/.test(value);

describe('spreadsheets are data, not formulas', () => {
  it('a child named =1+2 and a claim numbered +SUM(1,2): the claims export, the batch sheet and the batch list write them with a leading \'', async () => {
    const child = await registerChild(world.reviewer, { name: '=1+2', category: 'hearing', birthDate: '2021-02-01' });
    const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2026, services: ['training'], institutionId: world.instA.id });
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-01', '1000', { externalRef: '+SUM(1,2)' }));

    const exported = await sheetValues((await world.reviewer.get('/api/v1/claims/export.xlsx')).rawPayload);
    expect(exported).toContain("'+SUM(1,2)");
    expect(exported).toContain("'=1+2");
    expect(exported.some(startsAFormula)).toBe(false);

    const batch = (await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id })).body.batches[0] as { id: string };
    const lines = await sheetValues((await world.reviewer.get(`/api/v1/batches/${batch.id}/xlsx`)).rawPayload);
    expect(lines).toContain("'+SUM(1,2)");
    expect(lines).toContain("'=1+2");
    expect(lines.some(startsAFormula)).toBe(false);
    expect((await sheetValues((await world.reviewer.get('/api/v1/batches/export.xlsx')).rawPayload)).some(startsAFormula)).toBe(false);
  });

  it('a reconciliation statement line @cmd is written as \'@cmd in the reconciliation sheet', async () => {
    const created = await world.a.post('/api/v1/reconciliations', { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [{ externalRef: '@cmd', amount: '1.00' }] });
    expect(created.status).toBe(201);
    const values = await sheetValues((await world.a.get(`/api/v1/reconciliations/${created.body.id}/xlsx`)).rawPayload);
    expect(values).toContain("'@cmd");
    expect(values.some(startsAFormula)).toBe(false);
  });
});
