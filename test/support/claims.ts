import type { Client } from './testApp.js';

let referenceSequence = 0;
export function ref(prefix = 'R'): string {
  referenceSequence += 1;
  return `${prefix}-${process.pid}-${referenceSequence}`;
}

export const ZERO_DEDUCTIONS = { basicMedicalInsurance: '0', criticalIllnessInsurance: '0', supplementaryCriticalIllnessInsurance: '0', medicalAid: '0' };

export function trainingClaim(childId: string, periodFrom: string, periodTo: string, grossCost: string, extra: Record<string, unknown> = {}) {
  return { externalRef: ref('T'), childId, service: 'training', periodFrom, periodTo, grossCost, reviewedBy: '李会计', ...extra };
}

export function deviceClaim(childId: string, deviceKind: string, serviceDate: string, grossCost: string, extra: Record<string, unknown> = {}) {
  return { externalRef: ref('D'), childId, service: 'device', deviceKind, serviceDate, grossCost, reviewedBy: '李会计', ...extra };
}

export async function submit(institution: Client, body: Record<string, unknown>) {
  const response = await institution.post('/api/v1/claims', body);
  if (response.status !== 201) throw new Error(`claim not submitted: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; externalRef: string; estimate: { subsidy: string } };
}

export async function submitAndApprove(institution: Client, reviewer: Client, body: Record<string, unknown>, approval: Record<string, unknown> = {}) {
  const claim = await submit(institution, body);
  const approved = await reviewer.post(`/api/v1/claims/${claim.id}/approve`, approval);
  if (approved.status !== 200) throw new Error(`claim not approved: ${approved.status} ${JSON.stringify(approved.body)}`);
  return approved.body as { id: string; approvedAmount: string; settlement: { reasons: string[]; cap: string; subsidy: string; policyId: string } };
}
