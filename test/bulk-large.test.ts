import { describe, expect, it } from 'vitest';
import { deviceClaim } from './support/claims.js';
import { referredChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let world: World;
withTestWorld((made) => ({ world } = made));

describe('a full bulk request', () => {
  it('takes 5,000 rows in one request and answers every row', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['device'] });
    const rows = Array.from({ length: 5000 }, (_, index) =>
      deviceClaim(child.id, 'mobility_aid', `2026-${String((index % 10) + 1).padStart(2, '0')}-01`, '10.00', { externalRef: `L-${index}` }),
    );
    const response = await world.a.post('/api/v1/claims/bulk', { rows });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ created: 5000, existing: 0, refused: 0 });
    expect(response.body.results.at(-1)).toMatchObject({ row: 5000, status: 'created' });
  }, 300_000);
});
