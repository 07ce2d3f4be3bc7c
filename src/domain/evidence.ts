// Evidence attached to a claim (佐证材料, api.md "Evidence"): the kinds a file may be, which files
// are accepted (told by their content, never by their name), and which required kinds a claim
// still lacks. Pure: the console uses the same kinds and names.

import type { Service } from './vocabulary.js';

export const EVIDENCE_KINDS = ['attendance', 'invoice', 'discharge_summary', 'prescription', 'device_receipt', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const EVIDENCE_KIND_NAMES_ZH: Record<EvidenceKind, string> = {
  attendance: '训练考勤',
  invoice: '发票',
  discharge_summary: '出院小结',
  prescription: '处方',
  device_receipt: '配发单',
  other: '其他材料',
};

/** 10 MiB: a scanned multi-page PDF at office settings stays well below it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS_PER_CLAIM = 20;

export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const EXTENSION_OF_TYPE: Record<AttachmentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((value, index) => bytes[index] === value);
}

/**
 * The type of a file by its first bytes: a PDF starts with "%PDF-", a JPEG with FF D8 FF, a PNG
 * with its 8-byte signature. Anything else (a Word file renamed .pdf, an HTML page, an empty
 * file) is null, whatever its name or declared type says.
 */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  return null;
}

/**
 * The name a file is kept under: the last part of what the client sent (no folders), without
 * control characters, at most 120 characters, ending in the extension of its real type (a scan
 * sent as "考勤.png" that is a PDF is kept as "考勤.png.pdf", so that it opens in the right program).
 * Without a name: the kind's Chinese name.
 */
export function attachmentFileName(sent: string | undefined, kind: EvidenceKind, type: AttachmentType): string {
  const extension = EXTENSION_OF_TYPE[type];
  const base = Array.from((sent ?? '').split(/[/\\]/).at(-1) ?? '')
    .filter((character) => character.charCodeAt(0) >= 0x20 && character.charCodeAt(0) !== 0x7f)
    .join('')
    .trim()
    .slice(0, 120);
  const name = base === '' ? EVIDENCE_KIND_NAMES_ZH[kind] : base;
  const hasExtension = name.toLowerCase().endsWith(`.${extension}`) || (type === 'image/jpeg' && name.toLowerCase().endsWith('.jpeg'));
  return hasExtension ? name : `${name}.${extension}`;
}

/** A region's setting: the kinds each service needs (api.md `requiredEvidence`); absent = none. */
export type RequiredEvidence = Partial<Record<Service, EvidenceKind[]>>;

/** The required kinds of `service` that none of the attached files is, in the setting's order. */
export function missingEvidence(required: RequiredEvidence | null | undefined, service: Service, attachedKinds: Iterable<string>): EvidenceKind[] {
  const attached = new Set(attachedKinds);
  return (required?.[service] ?? []).filter((kind) => !attached.has(kind));
}
