// The roll answer's writer is the monthly-roll kit's (one for every programme).
export { rollJson, sendRoll } from '../monthlyRoll/rollResponse.js';
