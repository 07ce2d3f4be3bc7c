import { describe, expect, it } from 'vitest';
import { redactUrl, scrubPersonalData } from './logging.js';

describe('scrubPersonalData', () => {
  it('masks ID numbers, mobile phone numbers and bearer tokens wherever they stand', () => {
    const line = JSON.stringify({ msg: 'boom 51170220200315002X for 13800001234', detail: 'Key (id_number)=(511702202003150029)', auth: 'Bearer abc.DEF-123_xyz' });
    const scrubbed = scrubPersonalData(line);
    expect(scrubbed).not.toContain('51170220200315002X');
    expect(scrubbed).not.toContain('511702202003150029');
    expect(scrubbed).not.toContain('13800001234');
    expect(scrubbed).not.toContain('abc.DEF-123_xyz');
    expect(scrubbed).toContain('511702********002X');
    expect(scrubbed).toContain('138****1234');
  });

  it('leaves ids, timestamps and amounts alone', () => {
    const line = '{"time":1795359095397,"reqId":"01a203bd-b671-7000-9589-1ee425914490","amount":"17000.00","count":123456789}';
    expect(scrubPersonalData(line)).toBe(line);
  });

  it('masks a family’s bank account number (the care allowance) to its first and last 4 digits', () => {
    const line = JSON.stringify({ msg: 'Key (account_number)=(6214670000000000001)', grouped: '62146700000099' });
    const scrubbed = scrubPersonalData(line);
    expect(scrubbed).not.toContain('6214670000000000001');
    expect(scrubbed).not.toContain('62146700000099');
    expect(scrubbed).toContain('6214******0001');
  });
});

describe('redactUrl', () => {
  it('masks personal query parameters', () => {
    expect(redactUrl('/api/v1/children?idNumber=511702202003150029&limit=5')).toBe('/api/v1/children?idNumber=***&limit=5');
    expect(redactUrl('/api/v1/children')).toBe('/api/v1/children');
    expect(redactUrl('/api/v1/allowance/beneficiaries?accountNumber=6214670000000000001')).toBe('/api/v1/allowance/beneficiaries?accountNumber=***');
  });
});
