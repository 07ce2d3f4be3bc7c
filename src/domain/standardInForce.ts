// Monthly standards versioned by month and region (the care allowance's, allowance.md; the basic
// living of children in difficulty, protection.md §8): for each month, the region's own latest
// standard in force that month applies, else the latest default (regionCode null) in force. Pure.

export interface MonthlyStandardVersion {
  /** The first month it applies, YYYY-MM. */
  effectiveFrom: string;
  /** Null for the default of every region without its own. */
  regionCode: string | null;
}

/** The standard in force in a month for a region; none for a month before every standard (nothing is payable in it). */
export function standardInForce<Standard extends MonthlyStandardVersion>(month: string, regionCode: string, standards: readonly Standard[]): Standard | undefined {
  let own: Standard | undefined;
  let fallback: Standard | undefined;
  for (const standard of standards) {
    if (standard.effectiveFrom > month) continue;
    if (standard.regionCode === regionCode) {
      if (!own || standard.effectiveFrom > own.effectiveFrom) own = standard;
    } else if (standard.regionCode === null) {
      if (!fallback || standard.effectiveFrom > fallback.effectiveFrom) fallback = standard;
    }
  }
  return own ?? fallback;
}
