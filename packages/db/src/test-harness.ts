import { randomBytes } from "node:crypto";
import { type DatabaseHandle, dropServerDatabase, ensureServerDatabase, openDatabase } from "./connection.ts";
import { migrateToLatest } from "./migrate.ts";
import { importRegions, loadChinaDivision } from "./regions-import.ts";

/** The demo city: 南京市 (3201). Tests load only its subtree to stay fast. */
export const DEMO_CITY_CODE = "3201";

/**
 * A fresh, migrated database for one test file: a new database on the PostgreSQL server when
 * DATABASE_URL is set (CI runs both), otherwise an in-memory embedded PGlite. Real PostgreSQL
 * either way.
 */
export async function createTestDatabase(options: { regions?: boolean } = {}): Promise<DatabaseHandle> {
  const serverUrl = process.env.DATABASE_URL;
  let handle: DatabaseHandle;
  let cleanup = async () => {};
  if (serverUrl) {
    const url = new URL(serverUrl);
    url.pathname = `/jiuye_t_${randomBytes(6).toString("hex")}`;
    const testUrl = url.toString();
    await ensureServerDatabase(testUrl);
    handle = await openDatabase({ databaseUrl: testUrl, poolSize: 5 });
    cleanup = () => dropServerDatabase(testUrl);
  } else {
    handle = await openDatabase({ dataDir: "memory" });
  }
  await migrateToLatest(handle.db);
  if (options.regions !== false) {
    await importRegions(handle.db, loadChinaDivision({ onlyPrefix: DEMO_CITY_CODE, communitiesOf: [DEMO_CITY_CODE] }));
  }
  const close = handle.close;
  return {
    ...handle,
    close: async () => {
      await close();
      await cleanup();
    },
  };
}
