import { readEnv } from './env.js';
import { startService } from './service.js';

// npm start: the service on PORT over DB_PATH (see README, "Environment").
const service = await startService(readEnv());

function shutdown() {
  void service.close().then(() => process.exit(0));
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
