import { type Kysely, sql } from "kysely";

/**
 * Cheaper person indexes, for bulk imports (and for memory when the registry grows):
 * - The blind indexes (keyed HMAC-SHA-256 of the ID and phone numbers) are stored as their 32 raw
 *   bytes (`bytea`) instead of 64 hex characters (`char(64)`). Both are random-key indexes that every
 *   new person touches; as bytes each index entry is 48 instead of 80 bytes
 *   (aligned) and a comparison is a memcmp, not a blank-padded character compare. Measured
 *   (PostgreSQL 15, a 1,000,000-row insert into a persons-like table with all its indexes):
 *   18.8–20.3 s as char(64), 14.9–16.2 s as bytea; each index 119 MB as char(64), 56 MB as bytea
 *   after this migration's rewrite (see docs/ARCHITECTURE.md).
 * - The phone blind index is a hash index: a phone number is only ever looked up by equality, and
 *   it need not be unique (one phone, several people). 12.1–12.3 s against 14.1–14.4 s as a btree
 *   (same measurement, blind indexes already bytea), 37 MB against 72 MB.
 * - `persons_name_idx` (a btree on name) is dropped: nothing can use it. Name search is a substring
 *   match (`like '%…%'`), which a btree cannot serve, and no query sorts or joins persons by name.
 *   Every insert paid for it (17.3 s without it against 18.8 s with it, same measurement).
 * The values are the same digests: the application now reads and writes them as bytea text
 * (`\x` and 64 hex digits, see blindIndexText in @jiuye/db).
 * Rewrites persons (an ACCESS EXCLUSIVE lock for as long as that takes: 4.7 s for a seeded city of
 * 1,000,000 people here); docs/scaling.md says how to run it on a large registry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index persons_name_idx`.execute(db);
  await sql`drop index persons_phone_bidx_idx`.execute(db);
  await sql`
    alter table persons
      alter column id_number_bidx type bytea using decode(id_number_bidx, 'hex'),
      alter column phone_bidx type bytea using decode(phone_bidx, 'hex')`.execute(db);
  await sql`
    alter table persons
      add constraint persons_id_number_bidx_length check (octet_length(id_number_bidx) = 32),
      add constraint persons_phone_bidx_length check (octet_length(phone_bidx) = 32)`.execute(db);
  await sql`create index persons_phone_bidx_idx on persons using hash (phone_bidx)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index persons_phone_bidx_idx`.execute(db);
  await sql`
    alter table persons
      drop constraint persons_id_number_bidx_length,
      drop constraint persons_phone_bidx_length`.execute(db);
  await sql`
    alter table persons
      alter column id_number_bidx type char(64) using encode(id_number_bidx, 'hex'),
      alter column phone_bidx type char(64) using encode(phone_bidx, 'hex')`.execute(db);
  await sql`create index persons_phone_bidx_idx on persons(phone_bidx)`.execute(db);
  await sql`create index persons_name_idx on persons(name)`.execute(db);
}
