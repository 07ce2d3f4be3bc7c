import type { PageWriter } from './tableDocument.js';

// The signature blocks at the foot of a payment document: the people who built and checked it sign
// by name (经办人, 审核人: two different people, security.md §2), an office seals (盖章).

export type Signer = { role: string; name: string } | { role: string; seal: true };

export const SIGNATURE_BOX_HEIGHT = 74;

/** Draws the blocks side by side across the page from `top`, `gap` points apart. */
export function drawSignatureBoxes(page: PageWriter, top: number, signers: readonly Signer[], gap: number): void {
  const boxWidth = (page.width - gap * (signers.length - 1)) / signers.length;
  signers.forEach((signer, index) => {
    const x = page.left + index * (boxWidth + gap);
    page.doc.rect(x, top, boxWidth, SIGNATURE_BOX_HEIGHT).lineWidth(0.6).strokeColor('#555555').stroke();
    if ('seal' in signer) {
      page.text(`${signer.role}（盖章）：`, x + 8, top + 8, { size: 10 });
    } else {
      page.text(`${signer.role}：${signer.name}`, x + 8, top + 8, { size: 10 });
      page.text('签字：', x + 8, top + 30, { size: 10 });
    }
    page.text('日期：　　　年　　月　　日', x + 8, top + 52, { size: 9 });
  });
}
