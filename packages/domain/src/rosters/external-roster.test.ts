import { describe, expect, it } from "vitest";
import { EXTERNAL_ROSTER_COLUMNS, externalColumnHeader, externalRecordOfCells } from "./external-roster.ts";

describe("rosters of other systems' records", () => {
  it("reads labels, amounts in 元 (to 分) and integers into the API's record, the source system apart", () => {
    const r = externalRecordOfCells("benefits", {
      sourceSystem: "js-ui",
      sourceRecordId: "UI-1",
      idNumber: " 320102199001010012 ",
      sourceDate: "2026-10-01",
      claimDate: "2026-03-10",
      fromMonth: "2026-04",
      toMonth: "",
      monthsEntitled: "１２",
      monthlyAmountFen: "2,070.5",
      status: "发放中",
    });
    expect(r).toEqual({
      ok: true,
      sourceSystem: "js-ui",
      record: {
        sourceRecordId: "UI-1",
        idNumber: "320102199001010012",
        sourceDate: "2026-10-01",
        claimDate: "2026-03-10",
        fromMonth: "2026-04",
        monthsEntitled: 12,
        monthlyAmountFen: 207050,
        status: "paying",
      },
    });
  });

  it("names the column of every cell it cannot read, and every missing required one", () => {
    const r = externalRecordOfCells("disability", {
      sourceSystem: "js-cdpf",
      sourceRecordId: "",
      idNumber: "320102199001010012",
      sourceDate: "2026-10-01",
      certificateNumber: "32010219900101001242",
      kind: "失明",
      grade: "三级",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.column, e.code])).toEqual([
      ["源系统记录号", "REQUIRED"],
      ["残疾类别", "OPTION_INVALID"],
      ["残疾等级", "NOT_A_NUMBER"],
    ]);
    expect(r.errors[1]!.message).toContain("视力、听力、言语、肢体、智力、精神、多重");
    const money = externalRecordOfCells("insurance", {
      sourceSystem: "s",
      sourceRecordId: "1",
      idNumber: "x",
      sourceDate: "2026-01-01",
      fund: "失业",
      fromMonth: "2020-01",
      baseFen: "12.345",
    });
    expect(money.ok ? [] : money.errors.map((e) => e.column)).toEqual(["缴费基数（元）"]);
  });

  it("every kind has the source columns first and headers an API field maps back to", () => {
    for (const [kind, columns] of Object.entries(EXTERNAL_ROSTER_COLUMNS)) {
      expect(columns.slice(0, 4).map((c) => c.key)).toEqual([
        "sourceSystem",
        "sourceRecordId",
        "idNumber",
        "sourceDate",
      ]);
      expect(externalColumnHeader(kind as "insurance", "idNumber")).toBe("公民身份号码");
    }
  });
});
