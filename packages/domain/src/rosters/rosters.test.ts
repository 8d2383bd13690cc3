import { describe, expect, it } from "vitest";
import { creditCodeCheckChar } from "../identifiers/credit-code.ts";
import { idNumberCheckChar } from "../identifiers/id-number.ts";
import { neutraliseFormula, normaliseCell } from "./cells.ts";
import { validateEmployerRosterRow } from "./employer-roster.ts";
import { mapRosterHeaders, PERSON_ROSTER_COLUMNS, validatePersonRosterRow } from "./person-roster.ts";

const id = (first17: string) => first17 + idNumberCheckChar(first17);
const good = id("32010219900101001");
const wrongCheck = good.slice(0, 17) + (good[17] === "0" ? "1" : "0");
const ctx = {
  today: "2026-11-28",
  regionKnown: (c: string) => ["320102003", "320102003001", "320104001", "320102", "32"].includes(c),
  regionInScope: (c: string) => c.startsWith("320102"),
};
const row = (over: Record<string, string> = {}) => ({
  name: "张三",
  idNumber: id("32010219900101001"),
  phone: "13800001111",
  residenceRegionCode: "320102003001",
  education: "大学本科",
  hukouType: "城镇",
  hukouRegionCode: "320102",
  ...over,
});

describe("spreadsheet cells", () => {
  it.each([
    ["=1+2", "'=1+2"],
    ["+8613800001111", "'+8613800001111"],
    ["-5", "'-5"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "'\rcmd"],
    ["张三", "张三"],
    ["1+1", "1+1"],
    ["", ""],
  ])("neutralises %j as %j", (input, out) => {
    expect(neutraliseFormula(input)).toBe(out);
  });
  it("turns full-width digits and letters half-width and trims ideographic and zero-width spaces", () => {
    expect(normaliseCell("\u3000３２０１０２１９９００１０１００１Ｘ\u200B ")).toBe("32010219900101001X");
  });
});

describe("person roster rows", () => {
  it("accepts a valid row, deriving sex and birth date from the ID number and mapping labels to codes", () => {
    const r = validatePersonRosterRow(row(), ctx);
    expect(r).toMatchObject({
      ok: true,
      value: { sex: "male", birthDate: "1990-01-01", education: "bachelor", hukouType: "urban", phone: "13800001111" },
    });
  });

  it("converts a 15-digit legacy number with a warning", () => {
    const r = validatePersonRosterRow(row({ idNumber: "320102900101001" }), ctx);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.idNumber).toBe(id("32010219900101001"));
      expect(r.warnings.map((w) => w.code)).toContain("ID_NUMBER_LEGACY_CONVERTED");
    }
  });

  it.each([
    [{ idNumber: wrongCheck }, "公民身份号码"],
    [{ idNumber: id("32010219900230001") }, "公民身份号码"],
    [{ name: "" }, "姓名"],
    [{ name: "=HYPERLINK(1)" }, "姓名"],
    [{ phone: "12345" }, "手机号码"],
    [{ residenceRegionCode: "320104001" }, "常住地区划代码"],
    [{ residenceRegionCode: "999999999" }, "常住地区划代码"],
    [{ education: "大专以上" }, "学历"],
    [{ hukouType: "非农" }, "户籍类型"],
  ])("rejects %j naming the column %s in Chinese", (over, column) => {
    const r = validatePersonRosterRow(row(over), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.column)).toContain(column);
      expect(r.errors[0]!.message).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it("names the required headers a sheet is missing and ignores extra ones", () => {
    const ok = mapRosterHeaders(["序号", "*姓名", "公民身份号码", "常住地区划代码"], PERSON_ROSTER_COLUMNS);
    expect(ok).toEqual({ ok: true, index: { name: 1, idNumber: 2, residenceRegionCode: 3 } });
    const bad = mapRosterHeaders(["姓名", "身份证"], PERSON_ROSTER_COLUMNS);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.column)).toEqual(["公民身份号码", "常住地区划代码"]);
  });
});

describe("employer roster rows", () => {
  const first17 = "91320102MA1XY0001";
  const code = first17 + creditCodeCheckChar(first17);
  const row = (over: Record<string, string> = {}) => ({
    name: "南京某某科技有限公司",
    creditCode: code,
    industryCode: "65",
    ownership: "私营企业",
    sizeClass: "小型",
    regionCode: "320102003",
    headcount: "35",
    insuredHeadcount: "30",
    headcountAsOf: "2026-10-31",
    contactName: "王经理",
    contactPhone: "13800001111",
    ...over,
  });
  it("accepts a valid row, mapping labels to codes", () => {
    expect(validateEmployerRosterRow(row(), ctx)).toMatchObject({
      ok: true,
      value: { creditCode: code, ownership: "private", sizeClass: "small", headcount: 35, insuredHeadcount: 30 },
    });
  });
  it.each([
    [{ creditCode: `${first17}${code[17] === "0" ? "1" : "0"}` }, "统一社会信用代码"],
    [{ industryCode: "99" }, "行业代码"],
    [{ ownership: "合伙" }, "单位类型"],
    [{ regionCode: "320104001" }, "所在地区划代码"],
    [{ insuredHeadcount: "40" }, "参保人数"],
    [{ headcountAsOf: "" }, "统计日期"],
    [{ contactPhone: "025-1234" }, "联系电话"],
  ])("rejects %j naming the column %s", (over, column) => {
    const r = validateEmployerRosterRow(row(over), ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.column)).toContain(column);
  });
});
