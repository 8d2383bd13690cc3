/** 家庭关系 (relation to the household head, 户主). */
export const HOUSEHOLD_RELATIONS = {
  head: "户主",
  spouse: "配偶",
  child: "子女",
  parent: "父母",
  sibling: "兄弟姐妹",
  grandchild: "孙子女",
  grandparent: "祖父母",
  other: "其他",
} as const;
export type HouseholdRelation = keyof typeof HOUSEHOLD_RELATIONS;

export interface HouseholdMemberFacts {
  workingAge: boolean;
  /** Able and willing to work; students in full-time education, serving soldiers and early retirees are not. */
  ableToWork: boolean;
  employed: boolean;
  registeredUnemployed: boolean;
}

/**
 * 零就业家庭: every working-age member able to work is registered unemployed and none is employed
 * (domain.md "Key groups"; 人社部 零就业家庭援助). A household with nobody of working age able to
 * work is not one: there is nobody to help into work.
 */
export function isZeroEmploymentHousehold(members: readonly HouseholdMemberFacts[]): boolean {
  if (members.some((m) => m.employed)) return false;
  const labour = members.filter((m) => m.workingAge && m.ableToWork);
  return labour.length > 0 && labour.every((m) => m.registeredUnemployed);
}
