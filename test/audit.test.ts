import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tableCounts, type TestApp } from './support/testApp.js';
import { childBody, referredChild, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

describe('audit trail', () => {
  it('records each state change of an application, oldest first, with actor and role', async () => {
    const { child, application } = await referredChild(world, { birthDate: '2021-01-01', category: 'hearing', services: ['training'] });
    await world.a.post(`/api/v1/applications/${application.id}/dropout`, { date: '2026-06-30' });
    const events = await world.reviewer.get(`/api/v1/audit?entityType=application&entityId=${application.id}`);
    expect(events.status).toBe(200);
    expect(events.body.items.map((event: { action: string }) => event.action)).toEqual(['application.filed', 'application.approved', 'application.dropped_out']);
    expect(events.body.items[0]).toMatchObject({ actorId: world.users.reviewer.id, actorRole: 'reviewer', entityType: 'application', entityId: application.id });
    expect(events.body.items[2]).toMatchObject({ actorId: world.users.a.id, actorRole: 'institution', data: { date: '2026-06-30' } });
    const childEvents = await world.reviewer.get(`/api/v1/audit?entityType=child&entityId=${child.id}`);
    expect(childEvents.body.items.map((event: { action: string }) => event.action)).toEqual(['child.registered']);
  });

  it('never holds a full ID number', async () => {
    const child = await registerChild(world.reviewer);
    const events = await world.admin.get(`/api/v1/audit?entityId=${child.id}`);
    expect(JSON.stringify(events.body)).not.toContain(child.idNumber);
    expect(events.body.items[0].data.idNumberMasked).toBe(`${child.idNumber.slice(0, 6)}********${child.idNumber.slice(-4)}`);
  });

  it('records users, institutions and policies for the admin', async () => {
    const events = await world.admin.get('/api/v1/audit?limit=500');
    const actions = new Set(events.body.items.map((event: { action: string }) => event.action));
    for (const action of ['user.created', 'institution.created']) expect(actions).toContain(action);
    const policy = await world.admin.post('/api/v1/policies', { name: 'p', effectiveFrom: '2040-01-01', rules: [{ service: 'training', annualLimit: '1' }] });
    const policyEvents = await world.admin.get(`/api/v1/audit?entityType=policy&entityId=${policy.body.id}`);
    expect(policyEvents.body.items.map((event: { action: string }) => event.action)).toEqual(['policy.created']);
  });

  it('a reviewer sees only their region’s events; institutions and finance none', async () => {
    const child = await registerChild(world.reviewer);
    expect((await world.otherReviewer.get(`/api/v1/audit?entityId=${child.id}`)).body.items).toEqual([]);
    expect((await world.a.get('/api/v1/audit')).status).toBe(403);
    expect((await world.finance.get('/api/v1/audit')).status).toBe(403);
  });

  it('the change and its audit event commit together: if the event cannot be written, the change is undone', async () => {
    // A trigger that refuses one audit row stands in for any failure between the two writes.
    await test.db.execute(sql.raw(`
      create or replace function refuse_marked_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'child.registered' and new.data->>'category' = 'vision' then
          raise exception 'audit write failed on purpose';
        end if;
        return new;
      end $$`));
    await test.db.execute(sql.raw('create trigger refuse_marked_audit before insert on audit_events for each row execute function refuse_marked_audit()'));
    try {
      const before = await tableCounts(test.db);
      const response = await world.reviewer.post('/api/v1/children', childBody({ category: 'vision' }));
      expect(response.status).toBe(500);
      expect(response.body.error.code).toBe('INTERNAL_ERROR');
      expect(JSON.stringify(response.body)).not.toContain('on purpose');
      expect(await tableCounts(test.db)).toEqual(before);
    } finally {
      await test.db.execute(sql.raw('drop trigger refuse_marked_audit on audit_events'));
    }
  });
});
