import { describe, expect, it } from "vitest";
import { decideLedgerEvent, type LedgerPerson, type OpenSpell } from "./ledger-rules.ts";

const TODAY = "2026-11-28";
const man: LedgerPerson = { birthDate: "1990-05-10", sex: "male", retirementCategory: null, deathDate: null };
const job: OpenSpell = {
  id: "s1",
  kind: "employment",
  form: "employer",
  employerName: "南京某公司",
  startedOn: "2020-01-01",
};
const unemp: OpenSpell = { id: "s2", kind: "unemployment", form: null, employerName: null, startedOn: "2026-03-01" };
const codes = (d: ReturnType<typeof decideLedgerEvent>) => d.refusals.map((r) => r.code);

describe("unemployment registration (失业登记)", () => {
  it("is accepted for a working-age person without open spells", () => {
    expect(
      codes(decideLedgerEvent(man, [], { type: "unemployment", date: "2026-11-01", ableAndWilling: true }, TODAY)),
    ).toEqual([]);
  });
  it("is refused while an employment is open, naming it", () => {
    const d = decideLedgerEvent(man, [job], { type: "unemployment", date: "2026-11-01", ableAndWilling: true }, TODAY);
    expect(codes(d)).toEqual(["LEDGER_STILL_EMPLOYED"]);
    expect(d.refusals[0]!.message).toContain("南京某公司");
    expect(d.refusals[0]!.kind).toBe("conflict");
  });
  it("is refused twice", () => {
    expect(
      codes(decideLedgerEvent(man, [unemp], { type: "unemployment", date: "2026-11-01", ableAndWilling: true }, TODAY)),
    ).toEqual(["LEDGER_ALREADY_UNEMPLOYED"]);
  });
  it("is refused from the statutory retirement month, with the month in the message", () => {
    const old: LedgerPerson = { birthDate: "1965-05-20", sex: "male", retirementCategory: null, deathDate: null };
    // born 1965-05: 60 years 2 months → 2025-07
    expect(
      codes(decideLedgerEvent(old, [], { type: "unemployment", date: "2025-06-30", ableAndWilling: true }, TODAY)),
    ).toEqual([]);
    const d = decideLedgerEvent(old, [], { type: "unemployment", date: "2025-07-01", ableAndWilling: true }, TODAY);
    expect(codes(d)).toEqual(["LEDGER_NOT_WORKING_AGE"]);
    expect(d.refusals[0]!.message).toContain("2025-07");
  });
  it("uses the recorded category for women (50-year posts retire earlier)", () => {
    const w: LedgerPerson = {
      birthDate: "1975-01-15",
      sex: "female",
      retirementCategory: "female-50",
      deathDate: null,
    };
    expect(
      codes(decideLedgerEvent(w, [], { type: "unemployment", date: "2025-02-01", ableAndWilling: true }, TODAY)),
    ).toEqual(["LEDGER_NOT_WORKING_AGE"]);
    expect(
      codes(
        decideLedgerEvent(
          { ...w, retirementCategory: null },
          [],
          { type: "unemployment", date: "2025-02-01", ableAndWilling: true },
          TODAY,
        ),
      ),
    ).toEqual([]);
  });
  it("is refused under 16, and without ability and willingness to work", () => {
    const kid: LedgerPerson = { birthDate: "2011-01-01", sex: "female", retirementCategory: null, deathDate: null };
    expect(
      codes(decideLedgerEvent(kid, [], { type: "unemployment", date: "2026-11-01", ableAndWilling: true }, TODAY)),
    ).toEqual(["LEDGER_NOT_WORKING_AGE"]);
    expect(
      codes(decideLedgerEvent(man, [], { type: "unemployment", date: "2026-11-01", ableAndWilling: false }, TODAY)),
    ).toEqual(["LEDGER_NOT_ABLE_AND_WILLING"]);
  });
});

describe("dates", () => {
  it.each([
    ["1990-05-09", "LEDGER_DATE_BEFORE_BIRTH"],
    ["2026-11-29", "LEDGER_DATE_FUTURE"],
  ])("%s → %s", (date, code) => {
    expect(codes(decideLedgerEvent(man, [], { type: "employment", date, form: "flexible" }, TODAY))).toContain(code);
  });
  it("refuses events after death", () => {
    expect(
      codes(
        decideLedgerEvent(
          { ...man, deathDate: "2026-01-01" },
          [],
          { type: "employment", date: "2026-02-01", form: "flexible" },
          TODAY,
        ),
      ),
    ).toContain("LEDGER_DATE_AFTER_DEATH");
  });
});

describe("employment registration (就业登记)", () => {
  it("closes an open unemployment registration as 'employed'", () => {
    const d = decideLedgerEvent(
      man,
      [unemp],
      { type: "employment", date: "2026-11-01", form: "employer", employerName: "新单位" },
      TODAY,
    );
    expect(codes(d)).toEqual([]);
    expect(d.alsoEnds).toEqual([{ spell: unemp, reason: "employed" }]);
  });
  it("forbids two open jobs with employers but allows flexible work beside one", () => {
    expect(
      codes(
        decideLedgerEvent(
          man,
          [job],
          { type: "employment", date: "2026-11-01", form: "employer", employerName: "第二家" },
          TODAY,
        ),
      ),
    ).toEqual(["LEDGER_ALREADY_EMPLOYED"]);
    expect(
      codes(decideLedgerEvent(man, [job], { type: "employment", date: "2026-11-01", form: "platform" }, TODAY)),
    ).toEqual([]);
  });
  it("requires the employer's name for employment with an employer", () => {
    expect(
      codes(decideLedgerEvent(man, [], { type: "employment", date: "2026-11-01", form: "employer" }, TODAY)),
    ).toEqual(["LEDGER_EMPLOYER_REQUIRED"]);
  });
});

describe("ending spells (注销)", () => {
  it("ends the one open employment, not before it started", () => {
    expect(
      decideLedgerEvent(man, [job], { type: "employment_end", date: "2026-10-31", reason: "layoff" }, TODAY).endsSpell,
    ).toBe(job);
    expect(
      codes(decideLedgerEvent(man, [job], { type: "employment_end", date: "2019-12-31", reason: "layoff" }, TODAY)),
    ).toEqual(["LEDGER_END_BEFORE_START"]);
    expect(
      codes(decideLedgerEvent(man, [], { type: "employment_end", date: "2026-10-31", reason: "layoff" }, TODAY)),
    ).toEqual(["LEDGER_NO_OPEN_EMPLOYMENT"]);
  });
  it("asks which one when several employments are open", () => {
    const gig: OpenSpell = {
      id: "s3",
      kind: "employment",
      form: "platform",
      employerName: null,
      startedOn: "2021-01-01",
    };
    expect(
      codes(
        decideLedgerEvent(man, [job, gig], { type: "employment_end", date: "2026-10-31", reason: "voluntary" }, TODAY),
      ),
    ).toEqual(["LEDGER_SPELL_AMBIGUOUS"]);
    expect(
      decideLedgerEvent(
        man,
        [job, gig],
        { type: "employment_end", date: "2026-10-31", spellId: "s3", reason: "voluntary" },
        TODAY,
      ).endsSpell,
    ).toBe(gig);
  });
  it("ends an open unemployment registration", () => {
    expect(
      decideLedgerEvent(man, [unemp], { type: "unemployment_end", date: "2026-11-01", reason: "moved" }, TODAY)
        .endsSpell,
    ).toBe(unemp);
    expect(
      codes(decideLedgerEvent(man, [], { type: "unemployment_end", date: "2026-11-01", reason: "moved" }, TODAY)),
    ).toEqual(["LEDGER_NO_OPEN_UNEMPLOYMENT"]);
  });
});
