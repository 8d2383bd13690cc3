import { describe, expect, it } from "vitest";
import { isZeroEmploymentHousehold } from "./households.ts";

const m = (o: Partial<Parameters<typeof isZeroEmploymentHousehold>[0][number]>) => ({
  workingAge: true,
  ableToWork: true,
  employed: false,
  registeredUnemployed: true,
  ...o,
});

describe("零就业家庭", () => {
  it("is one when every working-age member able to work is registered unemployed", () => {
    expect(isZeroEmploymentHousehold([m({}), m({}), m({ workingAge: false, registeredUnemployed: false })])).toBe(true);
  });
  it("is not one when any member is employed, even one past working age", () => {
    expect(
      isZeroEmploymentHousehold([m({}), m({ workingAge: false, employed: true, registeredUnemployed: false })]),
    ).toBe(false);
  });
  it("is not one when a working-age member able to work is not registered", () => {
    expect(isZeroEmploymentHousehold([m({}), m({ registeredUnemployed: false })])).toBe(false);
  });
  it("ignores students and others unable to work, but needs at least one member in the labour force", () => {
    expect(isZeroEmploymentHousehold([m({}), m({ ableToWork: false, registeredUnemployed: false })])).toBe(true);
    expect(isZeroEmploymentHousehold([m({ ableToWork: false, registeredUnemployed: false })])).toBe(false);
    expect(isZeroEmploymentHousehold([])).toBe(false);
  });
});
