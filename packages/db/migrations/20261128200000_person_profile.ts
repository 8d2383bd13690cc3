import { type Kysely, sql } from "kysely";

/**
 * Person profile: education (GB/T 4658 coarse levels), 户籍 type and region, and key-group
 * attributes (重点群体) each with its source and dates.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table persons add column education varchar(16)
      check (education in ('doctorate','master','bachelor','junior_college','secondary_vocational','high_school','junior_high','primary_or_below'));
    alter table persons add column hukou_type varchar(8) check (hukou_type in ('urban','rural'));
    alter table persons add column hukou_region_code varchar(12);

    create table person_attributes (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references persons(id),
      kind varchar(24) not null check (kind in ('graduate','veteran','disability','dibao','poverty_alleviated','rural_migrant','released_prisoner')),
      details jsonb not null default '{}',
      source varchar(16) not null check (source in ('declared','imported','verified')),
      source_system varchar(64),
      verified_by uuid references users(id),
      valid_from date,
      valid_to date,
      recorded_by uuid references users(id),
      recorded_at timestamptz not null,
      constraint person_attributes_imported_system check (source <> 'imported' or source_system is not null),
      constraint person_attributes_dates check (valid_to is null or valid_from is null or valid_to >= valid_from)
    );
    create index person_attributes_person_idx on person_attributes(person_id);
    create index person_attributes_kind_idx on person_attributes(kind);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists person_attributes;
    alter table persons drop column if exists hukou_region_code;
    alter table persons drop column if exists hukou_type;
    alter table persons drop column if exists education;
  `.execute(db);
}
