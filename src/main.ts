import { ConfigError, loadConfig } from './config.js';
import { runService } from './server.js';
import { limitHeapGrowth } from './workers/heap.js';

async function main() {
  // Before any heap has grown: the PDF threads' peak memory then stays flat with the document's length.
  limitHeapGrowth();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  await runService(config);
}

main().catch((error) => {
  process.stderr.write(`start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
