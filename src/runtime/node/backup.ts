import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readEnv } from './env.js';
import { backupSqlite } from './sqlite.js';

// npm run backup -- <file>: a consistent copy of DB_PATH, made while the service runs (README,
// "Backup and restore").
const target = process.argv[2];
if (!target) {
  console.error('用法：npm run backup -- <备份文件路径>，例如 npm run backup -- /backup/app-2026-11-30.sqlite');
  process.exit(2);
}
const { DB_PATH } = readEnv();
if (!existsSync(DB_PATH)) {
  console.error(`数据库文件不存在：${DB_PATH}（可用 DB_PATH 指定）`);
  process.exit(1);
}
if (existsSync(target)) {
  console.error(`目标文件已存在，未覆盖：${resolve(target)}`);
  process.exit(1);
}
let shown = -1;
const { pages, integrity } = await backupSqlite(DB_PATH, target, (done) => {
  const percent = Math.floor(done * 100);
  if (percent >= shown + 10 || percent === 100) {
    shown = percent;
    process.stdout.write(`备份中… ${percent}%\n`);
  }
});
if (integrity !== 'ok') {
  console.error(`备份完成但完整性检查未通过：${integrity}（副本保留为 ${resolve(target)}.partial，未作为备份使用）`);
  process.exit(1);
}
console.log(`已备份 ${DB_PATH} → ${resolve(target)}（${pages} 页，完整性检查通过）`);
