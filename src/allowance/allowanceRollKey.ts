// The care allowance's rolls as the roll kit's region lock names them (lockRegionRolls): one key for
// the roll actions and the beneficiary changes that must not interleave with them.
export const ALLOWANCE_ROLLS = { key: 'allowance' } as const;
