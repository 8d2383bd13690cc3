import { describe, expect, it } from "vitest";
import { findUnmaskedIdentifiers, isMobilePhone, maskIdNumber, maskPersonName, maskPhone, maskText } from "./mask.ts";

describe("masking", () => {
  it("keeps the first 3 and last 4 characters", () => {
    expect(maskIdNumber("11010519491231002X")).toBe("110***********002X");
    expect(maskPhone("13812345678")).toBe("138****5678");
  });

  it("masks identifiers inside free text and leaves other numbers alone", () => {
    const text = "查询 11010519491231002X 电话13812345678 订单号 202611281234567890123 时间1795887248008";
    expect(maskText(text)).toBe(
      "查询 110***********002X 电话138****5678 订单号 202611281234567890123 时间1795887248008",
    );
  });

  it("finds unmasked values and ignores masked ones, hashes and uuids", () => {
    expect(findUnmaskedIdentifiers('{"id":"11010519491231002X","p":"13812345678"}').map((f) => f.kind)).toEqual([
      "id_number",
      "phone",
    ]);
    expect(findUnmaskedIdentifiers('{"id":"110***********002X","p":"138****5678"}')).toEqual([]);
    expect(findUnmaskedIdentifiers("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).toEqual([]);
    expect(findUnmaskedIdentifiers("5f0c9a1e-2b3c-4d5e-8f90-14228778331a")).toEqual([]);
    expect(findUnmaskedIdentifiers('"responseTime":0.13812345678')).toEqual([]);
  });

  it("an 18-digit number with a wrong checksum is not reported as an ID number", () => {
    expect(findUnmaskedIdentifiers("110105194912310021")).toEqual([]);
  });

  it.each([
    ["13812345678", true],
    ["19912345678", true],
    ["12812345678", false],
    ["1381234567", false],
  ])("isMobilePhone(%s) = %s", (v, ok) => expect(isMobilePhone(v)).toBe(ok));
});

describe("maskPersonName", () => {
  it("keeps the surname and hides the rest, one * per character (at least one)", () => {
    expect(maskPersonName("张伟")).toBe("张*");
    expect(maskPersonName("欧阳娜娜")).toBe("欧***");
    expect(maskPersonName("李")).toBe("李*");
    expect(maskPersonName("")).toBe("");
  });
});
