import { type Kysely, sql } from "kysely";

/**
 * An employer's roster (职工名册) as the ledger knows it: the people whose open 就业登记 names the
 * employer's 统一社会信用代码. Policies aggregate over it (`employees:` in the rule language, e.g.
 * the disabled employees counted for 残疾人就业保障金).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index ledger_events_employer_credit_code on ledger_events (employer_credit_code)
            where employer_credit_code is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index ledger_events_employer_credit_code`.execute(db);
}
