import { type Kysely, type Migration, type MigrationResultSet, Migrator } from "kysely";
import * as foundation from "../migrations/20261128170000_foundation.ts";
import * as ledger from "../migrations/20261128190000_ledger.ts";
import * as personProfile from "../migrations/20261128200000_person_profile.ts";
import * as registries from "../migrations/20261129090000_registries.ts";
import * as jobMarket from "../migrations/20261129200000_job_market.ts";
import * as policies from "../migrations/20261130090000_policies.ts";
import * as employerRoster from "../migrations/20261201090000_employer_roster.ts";
import * as postingsChanges from "../migrations/20261201100000_postings_changes.ts";
import * as externalRosters from "../migrations/20261201110000_external_rosters.ts";
import * as ledgerRegister from "../migrations/20261205090000_ledger_register.ts";
import * as postingsNotify from "../migrations/20261205100000_postings_notify.ts";
import * as importRowsDisplay from "../migrations/20261205110000_import_rows_display.ts";
import * as importDirect from "../migrations/20261206090000_import_direct.ts";
import * as personsRegionCheck from "../migrations/20261206120000_persons_region_check.ts";
import * as personsCompactIndexes from "../migrations/20261206150000_persons_compact_indexes.ts";

/** Every migration, by timestamped name; they run in name order. */
export const migrations: Record<string, Migration> = {
  "20261128170000_foundation": foundation,
  "20261128190000_ledger": ledger,
  "20261128200000_person_profile": personProfile,
  "20261129090000_registries": registries,
  "20261129200000_job_market": jobMarket,
  "20261130090000_policies": policies,
  "20261201090000_employer_roster": employerRoster,
  "20261201100000_postings_changes": postingsChanges,
  "20261201110000_external_rosters": externalRosters,
  "20261205090000_ledger_register": ledgerRegister,
  "20261205100000_postings_notify": postingsNotify,
  "20261205110000_import_rows_display": importRowsDisplay,
  "20261206090000_import_direct": importDirect,
  "20261206120000_persons_region_check": personsRegionCheck,
  "20261206150000_persons_compact_indexes": personsCompactIndexes,
};

export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
