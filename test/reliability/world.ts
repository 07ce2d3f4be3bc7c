import { checkCharacter } from '../../src/domain/idNumber.js';
import { api, RELIABILITY_ADMIN_TOKEN, signUp, type Api, type Credential } from './service.js';

// The people and children the reliability suites work with, made over HTTP.

let sequence = 0;
function idNumberOf(birthDate: string): string {
  sequence += 1;
  const body = `511702${birthDate.replaceAll('-', '')}${String(sequence % 1000).padStart(3, '0')}`;
  return body + checkCharacter(body);
}

export interface ReliabilityWorld {
  admin: Api;
  reviewer: Api;
  /** A second reviewer of the region: issues the batches the first builds (security.md §2). */
  reviewer2: Api;
  finance: Api;
  institutions: { id: string; user: Api }[];
  /** Children referred to each institution for training and devices in 2025. */
  children: { id: string; idNumber: string; institution: number }[];
  /** The credentials of admin, reviewer, finance and the two institutions' systems, in that order. */
  tokens: Credential[];
  /** Everything secret about those accounts, for the checks that no log holds one. */
  secrets: string[];
}

async function must<T>(response: Promise<{ status: number; body: any }>, status: number): Promise<T> {
  const result = await response;
  if (result.status !== status) throw new Error(`expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body as T;
}

export async function buildWorld(baseUrl: string, childrenPerInstitution: number): Promise<ReliabilityWorld> {
  const admin = api(baseUrl, RELIABILITY_ADMIN_TOKEN);
  const tokens: Credential[] = [RELIABILITY_ADMIN_TOKEN];
  const secrets = [RELIABILITY_ADMIN_TOKEN];
  const user = async (body: Record<string, unknown>) => {
    const created = await signUp(baseUrl, admin, body);
    tokens.push(created.credential);
    secrets.push(...created.secrets);
    return created.api;
  };
  const reviewer = await user({ name: '审核', role: 'reviewer', regionCode: '511702' });
  const finance = await user({ name: '财政', role: 'finance', regionCode: '511702' });
  const institutions = [];
  for (const index of [1, 2]) {
    const institution = await must<{ id: string }>(
      admin.post('/api/v1/institutions', {
        code: `REL-${index}-${Date.now()}`,
        name: `可靠性测试机构${index}`,
        regionCode: '511702',
        services: ['training', 'early_intervention', 'cochlear_implant', 'limb_surgery', 'device'],
        bankAccount: { bank: '中国农业银行', accountName: `可靠性测试机构${index}`, accountNumber: `62284800000000${index}` },
      }),
      201,
    );
    institutions.push({ id: institution.id, user: await user({ name: `会计${index}`, role: 'institution', institutionId: institution.id }) });
  }
  const reviewer2 = await user({ name: '复核', role: 'reviewer', regionCode: '511702' });
  const children = [];
  for (let index = 0; index < childrenPerInstitution * institutions.length; index++) {
    const institution = index % institutions.length;
    const idNumber = idNumberOf('2021-02-01');
    const child = await must<{ id: string }>(
      reviewer.post('/api/v1/children', { idNumber, name: `儿童${index}`, regionCode: '511702', category: 'hearing', guardian: { name: '家长', relation: 'mother', phone: '13900001111' } }),
      201,
    );
    const application = await must<{ id: string }>(reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['training', 'device'], institutionId: institutions[institution]!.id }), 201);
    await must(reviewer.post(`/api/v1/applications/${application.id}/approve`, {}), 200);
    children.push({ id: child.id, idNumber, institution });
  }
  return { admin, reviewer, reviewer2, finance, institutions, children, tokens, secrets };
}
